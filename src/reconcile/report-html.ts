import { coord as c, esc } from '../reports/html-text.js';
import { ITEM_STATUSES, type AttributeCoverage, type ItemStatus, type ReconciliationItem, type ReconciliationReport } from './types.js';

/**
 * A self-contained HTML page of an acquisition import: counts, charts, conflicts, coverage and the
 * lists someone has to look at. Same approach as the evaluation report (src/evaluate/report-html.ts):
 * inline CSS and SVG, no script, no external resource, so it can be mailed or archived as one file.
 * Every value from the acquired file is untrusted, so every value goes through `esc`, and a
 * Content-Security-Policy forbids scripts and loads should one ever slip through.
 */

/** Rows per list in the page; the CSV has them all. */
const LIST_LIMIT = 1_000;


/** 12345 -> "12,345", without depending on the ICU data Node was built with. */
const int = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const pct = (share: number): string => `${(Number.isFinite(share) ? share * 100 : 0).toFixed(1)}%`;
const prob = (p: number | null): string => (p === null || !Number.isFinite(p) ? '' : p.toFixed(4));

const STATUS_LABEL: Record<ItemStatus, string> = {
  matched: 'matched',
  new: 'new',
  ambiguous: 'ambiguous',
  duplicate: 'duplicate',
  not_customer: 'not a customer',
  quarantined: 'quarantined',
};
const STATUS_MEANING: Record<ItemStatus, string> = {
  matched: 'already our customer: one of our golden records',
  new: 'a customer we do not have',
  ambiguous: 'could be one of several of our customers: needs a person',
  duplicate: 'the same customer as another record of the acquired file',
  not_customer: 'left out by an exclude rule',
  quarantined: 'unusable row',
};
const STATUS_COLOR: Record<ItemStatus, string> = {
  matched: '#2b8a3e',
  new: '#1c7ed6',
  ambiguous: '#e8590c',
  duplicate: '#862e9c',
  not_customer: '#868e96',
  quarantined: '#c92a2a',
};
const STATE_LABEL: Record<ReconciliationReport['state'], string> = {
  reconciled: 'dry run (reconciled, not committed)',
  committed: 'committed',
  rolled_back: 'rolled back',
};
const VERDICT_COLOR: Record<AttributeCoverage['verdict'], string> = { good: '#2b8a3e', poor: '#e8590c', missing: '#c92a2a' };

/** Cells are HTML already: callers escape data, so markup such as an inline bar can be a cell too. */
function table(id: string, headers: string[], rows: string[][], numeric: number[] = []): string {
  const cell = (html: string, i: number) => (numeric.includes(i) ? `<td class="num">${html}</td>` : `<td>${html}</td>`);
  return (
    `<table id="${id}"><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`
  );
}

/** A list table cut at LIST_LIMIT rows, saying how many more the CSV holds. */
function limitedTable(id: string, headers: string[], rows: string[][], what: string, numeric: number[] = []): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  const more = rows.length - LIST_LIMIT;
  return (
    table(id, headers, rows.slice(0, LIST_LIMIT), numeric) +
    (more > 0 ? `<p class="more" id="${id}-more">${int(more)} more ${esc(what)} not shown here: see the CSV.</p>` : '')
  );
}

const CHART_W = 720;
const LABEL_W = 150;
const VALUE_W = 110;
const ROW_H = 30;

/** Horizontal bars, one row per entry; zero entries keep their label but get no bar. */
function barChart(id: string, label: string, entries: Array<{ key: string; label: string; value: number; text: string; color: string }>): string {
  const height = entries.length * ROW_H + 10;
  const max = Math.max(1, ...entries.map((e) => e.value));
  const plot = CHART_W - LABEL_W - VALUE_W;
  const rows = entries.map((e, i) => {
    const y = 5 + i * ROW_H;
    // At least 2 px, so a status with a handful of items among thousands is still visible.
    const bar =
      e.value > 0
        ? `<rect class="bar" data-key="${esc(e.key)}" x="${LABEL_W}" y="${y + 4}" width="${c(Math.max(2, (e.value / max) * plot))}" height="${ROW_H - 8}" fill="${e.color}"><title>${esc(`${e.label}: ${e.text}`)}</title></rect>`
        : '';
    const end = LABEL_W + (e.value > 0 ? Math.max(2, (e.value / max) * plot) : 0) + 6;
    return (
      `<text x="${LABEL_W - 8}" y="${y + ROW_H / 2 + 4}" text-anchor="end">${esc(e.label)}</text>` +
      bar +
      `<text x="${c(end)}" y="${y + ROW_H / 2 + 4}">${esc(e.text)}</text>`
    );
  });
  return (
    `<svg id="${id}" viewBox="0 0 ${CHART_W} ${height}" width="${CHART_W}" height="${height}" role="img" aria-label="${esc(label)}">` +
    rows.join('') +
    '</svg>'
  );
}

function header(report: ReconciliationReport): string {
  const rows: Array<[string, string]> = [
    ['deployment', report.deployment],
    ['source', report.source],
    ['state', STATE_LABEL[report.state] ?? report.state],
    ['date', report.createdAt],
    ['match threshold', String(report.thresholds.match)],
    ['review threshold', String(report.thresholds.review)],
    ['reconciliation', report.id],
  ];
  return (
    `<h1>Acquisition import: ${esc(report.name)}</h1>` +
    `<table id="summary" class="summary">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`
  );
}

function countsSection({ counts }: ReconciliationReport): string {
  const rows = ITEM_STATUSES.map(
    (s) =>
      `<tr><th><span class="swatch" style="background:${STATUS_COLOR[s]}"></span>${esc(STATUS_LABEL[s])}</th>` +
      `<td class="num" id="count-${s}">${int(counts.byStatus[s])}</td><td class="num" id="share-${s}">${pct(counts.shares[s])}</td>` +
      `<td class="meaning">${esc(STATUS_MEANING[s])}</td></tr>`,
  );
  const summary = ITEM_STATUSES.map((s) => `${STATUS_LABEL[s]} ${counts.byStatus[s]} (${pct(counts.shares[s])})`).join(', ');
  const chart = barChart(
    'status-chart',
    `Records by status: ${summary}`,
    ITEM_STATUSES.map((s) => ({ key: s, label: STATUS_LABEL[s], value: counts.byStatus[s], text: `${int(counts.byStatus[s])} · ${pct(counts.shares[s])}`, color: STATUS_COLOR[s] })),
  );
  return (
    '<h2 id="counts">Records by status</h2>' +
    '<table id="counts-table"><thead><tr><th>status</th><th>records</th><th>share</th><th>meaning</th></tr></thead><tbody>' +
    rows.join('') +
    `</tbody><tfoot><tr><th>total</th><td class="num" id="count-total">${int(counts.total)}</td><td class="num">${pct(counts.total > 0 ? 1 : 0)}</td><td></td></tr></tfoot></table>` +
    `<p>Customers of both companies: <strong id="overlap-golden">${int(counts.overlapGoldenRecords)}</strong> of our golden records. ` +
    `Records whose values differ from ours: <strong id="with-conflicts">${int(counts.withConflicts)}</strong>.</p>` +
    chart
  );
}

function conflictsSection(report: ReconciliationReport): string {
  const entries = Object.entries(report.counts.conflictsByAttribute).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return '<h2 id="conflicts">Conflicts</h2><p class="none">No matched record disagrees with our values.</p>';
  const chart = barChart(
    'conflict-chart',
    `Conflicts by attribute: ${entries.map(([a, n]) => `${a} ${n}`).join(', ')}`,
    entries.map(([a, n]) => ({ key: a, label: a, value: n, text: int(n), color: '#e8590c' })),
  );
  const rows = report.items.flatMap((item) =>
    item.conflicts.map((cf) => [esc(item.sourceId ?? ''), esc(item.goldenId ?? ''), esc(cf.attribute), esc(cf.ours), esc(cf.theirs), esc(cf.newer)]),
  );
  return (
    '<h2 id="conflicts">Conflicts</h2>' +
    '<p>Where a customer of both companies has a different value in the acquired file than in our golden record. ' +
    '"newer" says which side changed last, when both sources date their values.</p>' +
    chart +
    limitedTable('conflicts-table', ['source id', 'golden id', 'attribute', 'ours', 'theirs', 'newer'], rows, 'conflicts')
  );
}

/** Acquired fill rate as a bar coloured by verdict, with a tick at the master's fill rate. */
function coverageBar(row: AttributeCoverage): string {
  const w = 120;
  const fill = Math.min(1, Math.max(0, row.fillRate)) * w;
  const master = Math.min(1, Math.max(0, row.masterFillRate)) * w;
  return (
    `<svg class="fill-bar" width="${w}" height="12" viewBox="0 0 ${w} 12" role="img" aria-label="${esc(`acquired ${pct(row.fillRate)}, master ${pct(row.masterFillRate)}`)}">` +
    `<rect width="${w}" height="12" fill="#e9ecef"/>` +
    `<rect width="${c(fill)}" height="12" fill="${VERDICT_COLOR[row.verdict] ?? '#868e96'}"/>` +
    `<line x1="${c(master)}" y1="0" x2="${c(master)}" y2="12" stroke="#222" stroke-width="2"/></svg>`
  );
}

function coverageSection(report: ReconciliationReport): string {
  if (report.coverage.length === 0) return '<h2 id="coverage">Coverage</h2><p class="none">No attributes.</p>';
  const rows = report.coverage.map((row) => [
    esc(row.attribute),
    row.mapped ? 'yes' : 'no',
    `${coverageBar(row)} ${pct(row.fillRate)} <span class="meta">(${int(row.filled)} of ${int(row.records)})</span>`,
    int(row.invalid),
    pct(row.masterFillRate),
    `<span class="verdict verdict-${esc(row.verdict)}">${esc(row.verdict)}</span>`,
  ]);
  return (
    '<h2 id="coverage">Coverage</h2>' +
    '<p>How well the acquired file fills each of our attributes; the black tick is our own fill rate.</p>' +
    table('coverage-table', ['attribute', 'mapped', 'filled', 'invalid', 'master fill', 'verdict'], rows, [3, 4])
  );
}

function nameColumns(items: ReconciliationItem[]): string[] {
  return ['firstName', 'lastName'].filter((a) => items.some((i) => Object.hasOwn(i.attrs, a)));
}
const attr = (item: ReconciliationItem, name: string): string => esc((Object.hasOwn(item.attrs, name) ? item.attrs[name] : null) ?? '');

function listsSection(report: ReconciliationReport): string {
  const { items } = report;
  const names = nameColumns(items);
  const nameHeaders = names.map((n) => (n === 'firstName' ? 'first name' : 'last name'));
  const nameCells = (item: ReconciliationItem) => names.map((n) => attr(item, n));

  const overlap = items.filter((i) => i.goldenId !== null && (i.status === 'matched' || i.status === 'duplicate'));
  const ambiguous = items.filter((i) => i.status === 'ambiguous');
  const duplicates = items.filter((i) => i.status === 'duplicate');
  const notCustomers = items.filter((i) => i.status === 'not_customer');
  const quarantined = items.filter((i) => i.status === 'quarantined');
  const id = (i: ReconciliationItem) => esc(i.sourceId ?? '');

  return [
    '<h2 id="overlap">Customers of both companies</h2>',
    limitedTable(
      'overlap-table',
      ['source id', 'golden id', 'probability', ...nameHeaders, 'status'],
      overlap.map((i) => [id(i), esc(i.goldenId ?? ''), prob(i.probability), ...nameCells(i), esc(STATUS_LABEL[i.status])]),
      'records',
      [2],
    ),
    '<h2 id="ambiguous">Ambiguous: for a person to decide</h2>',
    limitedTable(
      'ambiguous-table',
      ['source id', 'row', ...nameHeaders, 'candidates'],
      ambiguous.map((i) => [id(i), String(i.rowNumber), ...nameCells(i), i.candidates.map((cd) => `${esc(cd.goldenId)} (${prob(cd.probability)})`).join(', ')]),
      'records',
      [1],
    ),
    '<h2 id="duplicates">Duplicates within the acquired file</h2>',
    limitedTable(
      'duplicates-table',
      ['source id', 'row', ...nameHeaders, 'duplicate of', 'golden id', 'probability'],
      duplicates.map((i) => [id(i), String(i.rowNumber), ...nameCells(i), esc(i.duplicateOf ?? ''), esc(i.goldenId ?? ''), prob(i.probability)]),
      'records',
      [1],
    ),
    '<h2 id="not-customers">Not customers</h2>',
    limitedTable('not-customers-table', ['source id', 'row', 'reason'], notCustomers.map((i) => [id(i), String(i.rowNumber), esc(i.reason ?? '')]), 'records', [1]),
    '<h2 id="quarantined">Quarantined</h2>',
    limitedTable('quarantined-table', ['row', 'source id', 'reason'], quarantined.map((i) => [String(i.rowNumber), id(i), esc(i.reason ?? '')]), 'records', [0]),
    `<p class="meta">New customers (${int(report.counts.byStatus.new)}) are listed in the CSV only.</p>`,
  ].join('\n');
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ddd;padding:3px 10px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}td{overflow-wrap:anywhere}svg{display:block;margin-bottom:1.5em}
svg text{font-size:12px;fill:#333}td svg.fill-bar{display:inline-block;vertical-align:middle;margin:0 .4em 0 0}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.4em;border-radius:2px}
.meta,.meaning,.none,.more{color:#666}.verdict-good{color:#2b8a3e}.verdict-poor{color:#e8590c}.verdict-missing{color:#c92a2a;font-weight:600}`;

/** No scripts and nothing loaded from anywhere: the page shows untrusted data and must stay inert. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function reconciliationHtml(report: ReconciliationReport): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>Acquisition import: ${esc(report.name)}</title><style>${STYLE}</style></head>
<body>
${header(report)}
${countsSection(report)}
${conflictsSection(report)}
${coverageSection(report)}
${listsSection(report)}
</body>
</html>
`;
}
