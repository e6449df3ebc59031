import { coord as c, esc } from '../reports/html-text.js';

/** A self-contained HTML report of an evaluation run: summary, confusion counts, weight histogram and threshold curve. */

export interface ReportInput {
  title: string;
  /** ISO timestamp, printed as given so the output stays deterministic. */
  generatedAt: string;
  summary: Record<string, string | number>;
  confusion: { truePositives: number; falsePositives: number; falseNegatives: number };
  /** Match weight of every scored candidate pair, and whether that pair is a true match (1) or not (0). */
  weights: Float32Array;
  isMatch: Uint8Array;
  /** True pairs in the whole data set (including those blocking never produced), the recall denominator. */
  totalTruePairs: number;
  matchWeight: number;
  reviewWeight: number;
  /** Optional model table: per comparison, its levels with m, u and weight. */
  model?: Array<{ label: string; levels: Array<{ label: string; m: number | null; u: number | null; weight: number }> }>;
}

export interface CurvePoint {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Precision, recall and F1 at `points` evenly spaced thresholds between the lowest and highest weight, ascending.
 * Matches and non-matches are sorted separately as Float64Array copies (native numeric sort, no object per pair),
 * so one forward sweep over both counts the pairs at or above each threshold: O(n log n) overall.
 */
export function thresholdCurve(weights: Float32Array, isMatch: Uint8Array, totalTruePairs: number, points = 60): CurvePoint[] {
  // Two passes: count first, so the sorted copies are allocated once at their final size.
  let [nPos, nNeg, min, max] = [0, 0, Infinity, -Infinity];
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (Number.isNaN(w)) continue; // a NaN weight can never be at or above a threshold
    if (isMatch[i]) nPos++;
    else nNeg++;
    // Infinite weights still count, but would make the threshold range meaningless.
    if (Number.isFinite(w)) {
      if (w < min) min = w;
      if (w > max) max = w;
    }
  }
  if (min > max) return [];
  const matches = new Float64Array(nPos);
  const others = new Float64Array(nNeg);
  for (let i = 0, a = 0, b = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (Number.isNaN(w)) continue;
    if (isMatch[i]) matches[a++] = w;
    else others[b++] = w;
  }
  matches.sort(); // typed-array sort is numeric ascending
  others.sort();
  const count = max > min ? Math.max(1, Math.floor(points)) : 1;
  const curve: CurvePoint[] = [];
  let [p, q] = [0, 0]; // matches[0..p) and others[0..q) are below the current threshold
  for (let k = 0; k < count; k++) {
    // The last threshold is exactly the maximum so rounding cannot drop the top pair.
    const t = k === count - 1 && count > 1 ? max : min + ((max - min) * k) / Math.max(1, count - 1);
    while (p < matches.length && matches[p]! < t) p++;
    while (q < others.length && others[q]! < t) q++;
    const tp = matches.length - p;
    const predicted = tp + others.length - q;
    const precision = predicted === 0 ? 1 : tp / predicted;
    // Same convention as metricsFromCounts: nothing to find means nothing was missed.
    const recall = totalTruePairs > 0 ? tp / totalTruePairs : 1;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    curve.push({ threshold: t, precision, recall, f1 });
  }
  return curve;
}

/** Numbers for people: integers as is, fractions to 4 significant digits, never "NaN". */
function fmt(n: number): string {
  if (Number.isNaN(n)) return '—';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '−∞';
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}


const W = 720;
const H = 280;
const M = { left: 56, right: 16, top: 28, bottom: 40 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
const COLORS = { match: '#2b8a3e', other: '#868e96', precision: '#1c7ed6', recall: '#e8590c', f1: '#862e9c' };

function legend(items: Array<[string, string]>): string {
  return items
    .map(([label, color], i) => {
      const x = M.left + 8 + i * 130;
      return `<rect x="${x}" y="6" width="12" height="12" fill="${color}"/><text x="${x + 16}" y="16">${esc(label)}</text>`;
    })
    .join('');
}

function thresholdLine(x: number, label: string, dashed: boolean): string {
  const dash = dashed ? ' stroke-dasharray="5 4"' : '';
  return (
    `<line class="threshold" x1="${c(x)}" y1="${M.top}" x2="${c(x)}" y2="${M.top + PH}" stroke="#c92a2a"${dash}/>` +
    `<text x="${c(x + 3)}" y="${M.top + 12}" fill="#c92a2a">${esc(label)}</text>`
  );
}

/** Tick step of 1, 2, 5 × 10^k that keeps about `target` labels on an axis. */
function niceStep(span: number, target: number): number {
  const raw = Math.max(span / target, 1e-9);
  const base = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((f) => f * base).find((s) => s >= raw) ?? 10 * base;
}

function xAxis(lo: number, hi: number, x: (v: number) => number, integer: boolean): string {
  const step = integer ? Math.max(1, Math.ceil(niceStep(hi - lo, 12))) : niceStep(hi - lo, 12);
  let out = `<line x1="${M.left}" y1="${M.top + PH}" x2="${M.left + PW}" y2="${M.top + PH}" stroke="#333"/>`;
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) {
    out += `<text x="${c(x(v))}" y="${M.top + PH + 16}" text-anchor="middle">${fmt(Number(v.toFixed(6)))}</text>`;
  }
  return out + `<text x="${M.left + PW / 2}" y="${H - 4}" text-anchor="middle">match weight (log2 odds)</text>`;
}

/**
 * Pair counts per 1-unit weight bin. Non-matches usually outnumber matches by orders of magnitude,
 * so the y axis is log-scaled and the two series are overlaid (not stacked, which a log scale would distort).
 */
function histogram(input: ReportInput): string {
  const { weights, isMatch } = input;
  // The thresholds are part of the range so their lines are always on the chart.
  let [min, max] = [Infinity, -Infinity];
  const widen = (w: number): void => {
    if (Number.isFinite(w)) [min, max] = [Math.min(min, w), Math.max(max, w)];
  };
  widen(input.matchWeight);
  widen(input.reviewWeight);
  weights.forEach(widen);
  const lo = min <= max ? Math.floor(min) : 0;
  const hi = min <= max ? Math.floor(max) + 1 : 1;
  const bins = hi - lo;
  const counts = [new Float64Array(bins), new Float64Array(bins)]; // [non-matches, matches]
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (Number.isNaN(w)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(w) - lo)); // infinite weights land in the edge bins
    counts[isMatch[i] ? 1 : 0]![b]!++;
  }
  let maxCount = 0;
  for (const series of counts) for (const n of series) maxCount = Math.max(maxCount, n);
  const top = Math.log10(1 + maxCount) || 1;
  const x = (v: number): number => M.left + ((v - lo) / bins) * PW;
  const y = (n: number): number => M.top + PH - (Math.log10(1 + n) / top) * PH;
  const bw = PW / bins;
  let bars = '';
  for (let b = 0; b < bins; b++) {
    const tip = `<title>weight ${lo + b} to ${lo + b + 1}: ${counts[1]![b]} matches, ${counts[0]![b]} non-matches</title>`;
    for (const [s, color, opacity] of [[0, COLORS.other, 0.8], [1, COLORS.match, 0.75]] as const) {
      const n = counts[s]![b]!;
      if (n === 0) continue;
      bars += `<rect class="${s ? 'match' : 'non-match'}" x="${c(x(lo + b) + 0.5)}" y="${c(y(n))}" width="${c(Math.max(bw - 1, 0.5))}" height="${c(M.top + PH - y(n))}" fill="${color}" fill-opacity="${opacity}">${tip}</rect>`;
    }
  }
  let yTicks = '';
  for (let v = 1; v <= maxCount; v *= 10) {
    yTicks += `<text x="${M.left - 6}" y="${c(y(v) + 4)}" text-anchor="end">${v}</text><line x1="${M.left}" y1="${c(y(v))}" x2="${M.left + PW}" y2="${c(y(v))}" stroke="#eee"/>`;
  }
  return (
    `<svg class="histogram" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Histogram of match weights">` +
    legend([['true matches', COLORS.match], ['non-matches', COLORS.other]]) +
    yTicks + bars + xAxis(lo, hi, x, true) +
    thresholdLine(x(input.matchWeight), 'match', false) +
    thresholdLine(x(input.reviewWeight), 'review', true) +
    `<text x="12" y="${M.top + PH / 2}" transform="rotate(-90 12 ${M.top + PH / 2})" text-anchor="middle">pairs (log scale)</text></svg>`
  );
}

function prCurve(input: ReportInput): string {
  const curve = thresholdCurve(input.weights, input.isMatch, input.totalTruePairs);
  const open = `<svg class="pr-curve" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Precision, recall and F1 by threshold">`;
  if (curve.length === 0) return `${open}<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no scored pairs</text></svg>`;
  const ends = [curve[0]!.threshold, curve[curve.length - 1]!.threshold, input.matchWeight].filter(Number.isFinite);
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  const span = hi - lo || 1;
  const x = (v: number): number => M.left + ((v - lo) / span) * PW;
  const y = (v: number): number => M.top + PH - v * PH;
  const line = (key: 'precision' | 'recall' | 'f1'): string =>
    `<polyline class="${key}" fill="none" stroke="${COLORS[key]}" stroke-width="2" points="${curve.map((p) => `${c(x(p.threshold))},${c(y(p[key]))}`).join(' ')}"/>`;
  let yTicks = '';
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    yTicks += `<text x="${M.left - 6}" y="${c(y(v) + 4)}" text-anchor="end">${v}</text><line x1="${M.left}" y1="${c(y(v))}" x2="${M.left + PW}" y2="${c(y(v))}" stroke="#eee"/>`;
  }
  return (
    open +
    legend([['precision', COLORS.precision], ['recall', COLORS.recall], ['F1', COLORS.f1]]) +
    yTicks + line('precision') + line('recall') + line('f1') + xAxis(lo, hi, x, false) +
    thresholdLine(x(input.matchWeight), 'match', false) +
    '</svg>'
  );
}

function summaryTable(summary: ReportInput['summary']): string {
  const rows = Object.entries(summary).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'number' ? fmt(v) : v)}</td></tr>`);
  return `<table class="summary">${rows.join('')}</table>`;
}

function confusionTable({ truePositives, falsePositives, falseNegatives }: ReportInput['confusion']): string {
  // True negatives are every non-matching pair the data set could form; not worth counting, so shown as a dash.
  return (
    '<table class="confusion"><tr><td></td><th>predicted match</th><th>predicted non-match</th></tr>' +
    `<tr><th>true match</th><td>TP ${fmt(truePositives)}</td><td>FN ${fmt(falseNegatives)}</td></tr>` +
    `<tr><th>non-match</th><td>FP ${fmt(falsePositives)}</td><td>TN —</td></tr></table>`
  );
}

function modelTable(model: NonNullable<ReportInput['model']>): string {
  const prob = (p: number | null): string => (p === null ? '—' : fmt(p));
  const rows = model.flatMap((cmp) =>
    cmp.levels.map((lv, i) => {
      const head = i === 0 ? `<th rowspan="${cmp.levels.length}">${esc(cmp.label)}</th>` : '';
      return `<tr>${head}<td>${esc(lv.label)}</td><td>${prob(lv.m)}</td><td>${prob(lv.u)}</td><td>${fmt(lv.weight)}</td></tr>`;
    }),
  );
  return `<h2>Model</h2><table class="model"><tr><th>comparison</th><th>level</th><th>m</th><th>u</th><th>weight</th></tr>${rows.join('')}</table>`;
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:760px}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ddd;padding:3px 10px;text-align:left}
td{font-variant-numeric:tabular-nums}svg{display:block;margin-bottom:1.5em}svg text{font-size:11px;fill:#333}
.meta{color:#666}`;

export function renderEvaluationReport(input: ReportInput): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${esc(input.title)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(input.title)}</h1>
<p class="meta">Generated ${esc(input.generatedAt)}</p>
<h2>Summary</h2>
${summaryTable(input.summary)}
<h2>Confusion</h2>
${confusionTable(input.confusion)}
<h2>Match weights</h2>
${histogram(input)}
<h2>Precision, recall and F1 by threshold</h2>
${prCurve(input)}
${input.model ? modelTable(input.model) : ''}
</body>
</html>
`;
}
