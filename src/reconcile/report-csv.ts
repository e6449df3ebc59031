import { stringify } from 'csv-stringify/sync';
import type { AttributeConflict, GoldenCandidate, ReconciliationItem, ReconciliationReport } from './types.js';

/** The fixed columns, in order; one `attr_<name>` column per attribute follows, sorted by name. */
export const RECONCILIATION_CSV_COLUMNS = [
  'item_no',
  'source_id',
  'row_number',
  'status',
  'golden_id',
  'probability',
  'candidates',
  'duplicate_of',
  'reason',
  'conflicts',
] as const;

const probability = (p: number | null): string => (p === null || !Number.isFinite(p) ? '' : p.toFixed(4));
const candidates = (list: GoldenCandidate[]): string => list.map((c) => `${c.goldenId}:${probability(c.probability)}`).join('|');
const conflicts = (list: AttributeConflict[]): string =>
  list.map((c) => `${c.attribute}: ours=${c.ours} theirs=${c.theirs} newer=${c.newer}`).join('; ');

function attributeNames(items: ReadonlyArray<ReconciliationItem>): string[] {
  const names = new Set<string>();
  for (const item of items) for (const name of Object.keys(item.attrs)) names.add(name);
  return [...names].sort();
}

/**
 * Every item of a reconciliation as CSV: a header row, then one row per item in the report's order.
 * RFC 4180 quoting (fields with a comma, quote, CR or LF are quoted, quotes doubled) with LF line
 * ends, which every CSV reader and spreadsheet accepts, instead of RFC 4180's CRLF.
 *
 * The acquired company's values are untrusted and this file is made to be opened in a spreadsheet,
 * where a cell starting with =, +, -, @, tab or CR may run as a formula (CSV injection). Such cells
 * get a leading apostrophe, which spreadsheets read as "this is text", except a + or - followed
 * only by digits and phone punctuation ("+1 (609) 555-0100", "-12.5"): a number cannot run
 * anything, and every phone number would otherwise carry the apostrophe. The database holds the
 * values unaltered.
 */
export function reconciliationCsv(report: ReconciliationReport): string {
  const attributes = attributeNames(report.items);
  const header = [...RECONCILIATION_CSV_COLUMNS, ...attributes.map((a) => `attr_${a}`)];
  const rows = report.items.map((item) => [
    String(item.itemNo),
    item.sourceId ?? '',
    String(item.rowNumber),
    item.status,
    item.goldenId ?? '',
    probability(item.probability),
    candidates(item.candidates),
    item.duplicateOf ?? '',
    item.reason ?? '',
    conflicts(item.conflicts),
    ...attributes.map((a) => (Object.hasOwn(item.attrs, a) ? item.attrs[a] ?? '' : '')),
  ]);
  return stringify([header, ...rows.map((row) => row.map(spreadsheetSafe))], { record_delimiter: 'unix', quote_record_delimiter: true });
}

const FORMULA_START = /^[=@\t\r]/;
const SIGNED = /^[+-]/;
const SIGNED_NUMBER = /^[+-][\d\s().\/-]*$/;

export function spreadsheetSafe(cell: string): string {
  return FORMULA_START.test(cell) || (SIGNED.test(cell) && !SIGNED_NUMBER.test(cell)) ? `'${cell}` : cell;
}
