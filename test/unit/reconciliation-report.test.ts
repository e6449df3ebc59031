import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { reconciliationCounts } from '../../src/reconcile/counts.js';
import { RECONCILIATION_CSV_COLUMNS, reconciliationCsv, spreadsheetSafe } from '../../src/reconcile/report-csv.js';
import { reconciliationHtml } from '../../src/reconcile/report-html.js';
import { ITEM_STATUSES, type AttributeConflict, type ReconciliationItem, type ReconciliationReport } from '../../src/reconcile/types.js';

function item(itemNo: number, overrides: Partial<ReconciliationItem>): ReconciliationItem {
  return {
    itemNo,
    sourceId: `S${itemNo}`,
    rowNumber: itemNo + 1,
    status: 'new',
    goldenId: null,
    probability: null,
    candidates: [],
    duplicateOf: null,
    reason: null,
    attrs: {},
    conflicts: [],
    ...overrides,
  };
}

const conflict = (attribute: string, ours: string, theirs: string, newer: AttributeConflict['newer']): AttributeConflict => ({
  attribute, ours, theirs, oursUpdatedAt: null, theirsUpdatedAt: null, newer,
});

const HOSTILE_NAME = 'Smith, "Jr"\nsecond line';
const FORMULA = '=HYPERLINK("http://evil.example","click")';

/** Ten records: two acquired records match GR1, a matched group and a duplicate share GR2, the ambiguous one's candidates are no overlap. */
const items: ReconciliationItem[] = [
  item(1, { status: 'matched', goldenId: 'GR1', probability: 0.97, attrs: { firstName: 'ann', lastName: 'lee', email: 'b@y.com' },
    conflicts: [conflict('email', 'a@x.com', 'b@y.com', 'theirs')] }),
  item(2, { status: 'matched', goldenId: 'GR1', probability: 0.912345, candidates: [{ goldenId: 'GR9', probability: 0.61 }],
    attrs: { firstName: HOSTILE_NAME, lastName: FORMULA, phone: '+4930222' },
    conflicts: [conflict('email', 'a@x.com', 'c@z.com', 'ours'), conflict('phone', '+4930111', '+4930222', 'unknown')] }),
  item(3, { status: 'matched', goldenId: 'GR2', probability: 0.99 }),
  item(4, { status: 'duplicate', goldenId: 'GR2', probability: 0.95, duplicateOf: 'S3', conflicts: [conflict('phone', '+4930333', '+4930444', 'same')] }),
  item(5, { status: 'duplicate', duplicateOf: 'S6', probability: 0.9 }),
  item(6, { status: 'new', attrs: { firstName: 'bo' } }),
  item(7, { status: 'ambiguous', candidates: [{ goldenId: 'GR3', probability: 0.93124 }, { goldenId: 'GR4', probability: 0.88114 }] }),
  item(8, { status: 'not_customer', reason: 'employee account' }),
  item(9, { status: 'quarantined', sourceId: null, reason: 'email: not an email address' }),
  item(10, { status: 'new' }),
];

function report(list: ReconciliationItem[], overrides: Partial<ReconciliationReport> = {}): ReconciliationReport {
  return {
    id: 'rc_1',
    name: 'Acme acquisition',
    deployment: 'customers',
    source: 'acme_crm',
    state: 'reconciled',
    createdAt: '2025-03-04T05:06:07.000Z',
    thresholds: { match: 0.9, review: 0.6 },
    counts: reconciliationCounts(list),
    coverage: [
      { attribute: 'email', mapped: true, filled: 8, records: 10, invalid: 1, fillRate: 0.8, masterFillRate: 0.95, verdict: 'good' },
      { attribute: 'birthDate', mapped: false, filled: 0, records: 10, invalid: 0, fillRate: 0, masterFillRate: 0.7, verdict: 'missing' },
    ],
    items: list,
    ...overrides,
  };
}

describe('reconciliationCounts', () => {
  it('counts every status, shares of the total, conflicts and distinct overlapping golden records', () => {
    const counts = reconciliationCounts(items);
    expect(counts.total).toBe(10);
    expect(counts.byStatus).toEqual({ matched: 3, new: 2, ambiguous: 1, duplicate: 2, not_customer: 1, quarantined: 1 });
    expect(counts.shares.matched).toBeCloseTo(0.3);
    expect(counts.shares.new).toBeCloseTo(0.2);
    expect(counts.shares.quarantined).toBeCloseTo(0.1);
    // Items 1, 2 and 4; item 2's two conflicts make it one item, not two.
    expect(counts.withConflicts).toBe(3);
    expect(counts.conflictsByAttribute).toEqual({ email: 2, phone: 2 });
    // GR1 twice and GR2 via a match and a duplicate: two customers. Ambiguous candidates and an unmatched duplicate group are not overlap.
    expect(counts.overlapGoldenRecords).toBe(2);
  });

  it('has every status, at zero, for an empty import', () => {
    const counts = reconciliationCounts([]);
    expect(counts.total).toBe(0);
    for (const s of ITEM_STATUSES) {
      expect(counts.byStatus[s]).toBe(0);
      expect(counts.shares[s]).toBe(0);
    }
    expect(counts).toMatchObject({ withConflicts: 0, conflictsByAttribute: {}, overlapGoldenRecords: 0 });
  });
});

describe('reconciliationCsv', () => {
  const csv = reconciliationCsv(report(items));
  const rows = parse(csv) as string[][];
  const byItem = (n: number): Record<string, string> => Object.fromEntries(rows[0]!.map((col, i) => [col, rows[n]![i]!]));

  it('writes the documented columns, then one attr_ column per attribute sorted by name, with LF line ends', () => {
    expect(rows[0]).toEqual([...RECONCILIATION_CSV_COLUMNS, 'attr_email', 'attr_firstName', 'attr_lastName', 'attr_phone']);
    expect(rows).toHaveLength(items.length + 1);
    expect(csv).not.toContain('\r\n');
    expect(csv.endsWith('\n')).toBe(true);
  });

  it('writes each item\'s values: probabilities to 4 decimals, candidates and conflicts joined', () => {
    expect(byItem(1)).toMatchObject({ item_no: '1', source_id: 'S1', row_number: '2', status: 'matched', golden_id: 'GR1', probability: '0.9700',
      attr_email: 'b@y.com', attr_phone: '' });
    expect(byItem(2).probability).toBe('0.9123');
    expect(byItem(2).candidates).toBe('GR9:0.6100');
    expect(byItem(2).conflicts).toBe('email: ours=a@x.com theirs=c@z.com newer=ours; phone: ours=+4930111 theirs=+4930222 newer=unknown');
    expect(byItem(4)).toMatchObject({ status: 'duplicate', golden_id: 'GR2', duplicate_of: 'S3' });
    expect(byItem(7)).toMatchObject({ candidates: 'GR3:0.9312|GR4:0.8811', golden_id: '', probability: '' });
    expect(byItem(8).reason).toBe('employee account');
    expect(byItem(9)).toMatchObject({ source_id: '', reason: 'email: not an email address' });
  });

  it('quotes commas, quotes and newlines so they read back intact', () => {
    expect(byItem(2).attr_firstName).toBe(HOSTILE_NAME);
    expect(csv).toContain('"Smith, ""Jr""\nsecond line"');
  });

  it('defuses cells a spreadsheet would run as formulas, and leaves signed numbers and phone numbers alone', () => {
    expect(byItem(2).attr_lastName).toBe(`'${FORMULA}`);
    expect(byItem(2).attr_phone).toBe('+4930222');
    expect(spreadsheetSafe("-2+3+cmd|' /C calc'!A0")).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(spreadsheetSafe('+1 (609) 555-0100')).toBe('+1 (609) 555-0100');
    expect(spreadsheetSafe('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(spreadsheetSafe('\t=1')).toBe("'\t=1");
    expect(byItem(1).attr_firstName).toBe('ann');
  });

  it('writes only the header for an empty import', () => {
    expect(parse(reconciliationCsv(report([]))) as string[][]).toEqual([[...RECONCILIATION_CSV_COLUMNS]]);
  });
});

describe('reconciliationHtml', () => {
  const cellText = (html: string, id: string) => new RegExp(`id="${id}">([^<]*)<`).exec(html)?.[1];
  const tableRows = (html: string, id: string) => {
    const table = new RegExp(`<table id="${id}">.*?</table>`, 's').exec(html)?.[0] ?? '';
    return (table.match(/<tr>/g) ?? []).length - 1; // minus the header row
  };

  it('shows the count and share of every status, and the overlap', () => {
    const html = reconciliationHtml(report(items));
    expect(ITEM_STATUSES.map((s) => cellText(html, `count-${s}`))).toEqual(['3', '2', '1', '2', '1', '1']);
    expect(cellText(html, 'share-matched')).toBe('30.0%');
    expect(cellText(html, 'count-total')).toBe('10');
    expect(cellText(html, 'overlap-golden')).toBe('2');
    expect(cellText(html, 'with-conflicts')).toBe('3');
  });

  it('lists conflicts, overlap, ambiguous candidates and reasons', () => {
    const html = reconciliationHtml(report(items));
    expect(tableRows(html, 'conflicts-table')).toBe(4);
    // Three matches and the duplicate of a matched group; the unmatched duplicate is not overlap.
    expect(tableRows(html, 'overlap-table')).toBe(4);
    expect(html).toContain('GR3 (0.9312), GR4 (0.8811)');
    expect(html).toContain('employee account');
    expect(html).toContain('email: not an email address');
    expect(html).toMatch(/<span class="verdict verdict-missing">missing<\/span>/);
  });

  it('draws a status bar only for the statuses that have records', () => {
    const html = reconciliationHtml(report(items.filter((i) => i.status !== 'quarantined')));
    const chart = /<svg id="status-chart".*?<\/svg>/s.exec(html)![0];
    expect([...chart.matchAll(/<rect class="bar" data-key="(\w+)"/g)].map((m) => m[1])).toEqual(['matched', 'new', 'ambiguous', 'duplicate', 'not_customer']);
    expect(chart).toContain('aria-label="Records by status: matched 3 (33.3%)');
  });

  it('escapes hostile values from the acquired file and loads nothing', () => {
    const hostile = [
      item(1, { status: 'matched', goldenId: 'GR1', probability: 0.95, attrs: { firstName: '<script>alert(1)</script>', lastName: '"><svg onload=alert(2)>' } }),
      item(2, { status: 'quarantined', sourceId: '<b>x</b>', reason: '<img src=x onerror=alert(3)>' }),
    ];
    const html = reconciliationHtml(report(hostile, { name: '<script>alert(0)</script>' }));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('<svg onload');
    expect(html).not.toContain('<b>x');
    expect(html).toContain('<h1>Acquisition import: &lt;script&gt;alert(0)&lt;/script&gt;</h1>');
    expect(html).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(html).toContain('&lt;img src=x onerror=alert(3)&gt;');
    // No element refers to anything outside the page.
    expect(html).not.toMatch(/<[^>]*\s(?:src|href)\s*=/i);
    expect(html).not.toMatch(/url\(/i);
  });

  it('shows at most 1,000 rows of a list and says how many more the CSV has', () => {
    const many = Array.from({ length: 1_005 }, (_, i) => item(i + 1, { status: 'quarantined', reason: `bad row ${i + 1}` }));
    const html = reconciliationHtml(report(many));
    expect(tableRows(html, 'quarantined-table')).toBe(1_000);
    expect(html).toContain('bad row 1000<');
    expect(html).not.toContain('bad row 1001<');
    expect(cellText(html, 'quarantined-table-more')).toBe('5 more records not shown here: see the CSV.');
    expect(cellText(html, 'count-quarantined')).toBe('1,005');
  });
});
