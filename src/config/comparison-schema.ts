import { z } from 'zod';

const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must start with a letter and hold only letters, digits and _');
const similarity = z.number().gt(0).lt(1);
const edits = z.number().int().positive();

/**
 * One fuzzy level of a comparison, as written in settings. Levels are tried in the order
 * listed, after the implicit "missing" and "exact" levels; the first that applies wins.
 */
/** The compiled form of a level, accepted too so that validated settings validate again unchanged. */
const compiledLevel = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['nickname', 'metaphone', 'dayMonthSwapped']) }).strict(),
  z.object({ kind: z.literal('jaroWinkler'), threshold: similarity }).strict(),
  z.object({ kind: z.enum(['levenshtein', 'damerauLevenshtein']), max: edits }).strict(),
  z.object({ kind: z.literal('withinDays'), days: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('within'), distance: z.number().positive() }).strict(),
  z.object({ kind: z.literal('sharedTokens'), min: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('jaccard'), threshold: z.number().gt(0).max(1) }).strict(),
  z.object({ kind: z.literal('reversed'), other: identifier, threshold: similarity }).strict(),
]);

export const levelSchema = z.union([
  compiledLevel,
  z.enum(['nickname', 'metaphone', 'dayMonthSwapped']),
  z.object({ jaroWinkler: similarity }).strict(),
  z.object({ levenshtein: edits }).strict(),
  z.object({ damerauLevenshtein: edits }).strict(),
  z.object({ withinDays: z.number().int().positive() }).strict(),
  z.object({ within: z.number().positive() }).strict(),
  z.object({ sharedTokens: z.number().int().positive() }).strict(),
  z.object({ jaccard: z.number().gt(0).max(1) }).strict(),
  z.object({ reversed: identifier, jaroWinkler: similarity.default(0.9) }).strict(),
]);

/** A level in compiled form: what comparators and reports use. */
export type Level =
  | { kind: 'nickname' }
  | { kind: 'metaphone' }
  | { kind: 'dayMonthSwapped' }
  | { kind: 'jaroWinkler'; threshold: number }
  | { kind: 'levenshtein'; max: number }
  | { kind: 'damerauLevenshtein'; max: number }
  | { kind: 'withinDays'; days: number }
  | { kind: 'within'; distance: number }
  | { kind: 'sharedTokens'; min: number }
  | { kind: 'jaccard'; threshold: number }
  | { kind: 'reversed'; other: string; threshold: number };

export function normalizeLevel(spec: z.output<typeof levelSchema>): Level {
  if (typeof spec === 'string') return { kind: spec };
  if ('kind' in spec) return spec as Level;
  if ('reversed' in spec) return { kind: 'reversed', other: spec.reversed, threshold: spec.jaroWinkler };
  if ('jaroWinkler' in spec) return { kind: 'jaroWinkler', threshold: spec.jaroWinkler };
  if ('levenshtein' in spec) return { kind: 'levenshtein', max: spec.levenshtein };
  if ('damerauLevenshtein' in spec) return { kind: 'damerauLevenshtein', max: spec.damerauLevenshtein };
  if ('withinDays' in spec) return { kind: 'withinDays', days: spec.withinDays };
  if ('within' in spec) return { kind: 'within', distance: spec.within };
  if ('sharedTokens' in spec) return { kind: 'sharedTokens', min: spec.sharedTokens };
  return { kind: 'jaccard', threshold: spec.jaccard };
}

export function levelLabel(level: Level): string {
  switch (level.kind) {
    case 'nickname': return 'nickname of';
    case 'metaphone': return 'sounds alike (double metaphone)';
    case 'dayMonthSwapped': return 'day and month swapped';
    case 'jaroWinkler': return `jaro-winkler ≥ ${level.threshold}`;
    case 'levenshtein': return `levenshtein ≤ ${level.max}`;
    case 'damerauLevenshtein': return `damerau-levenshtein ≤ ${level.max}`;
    case 'withinDays': return `within ${level.days} days`;
    case 'within': return `within ${level.distance}`;
    case 'sharedTokens': return `${level.min}+ shared tokens`;
    case 'jaccard': return `token jaccard ≥ ${level.threshold}`;
    case 'reversed': return `swapped with ${level.other} (jaro-winkler ≥ ${level.threshold})`;
  }
}

/**
 * A comparison: either the short form (`method` with `thresholds`) or an ordered list of
 * `levels`. Both compile to the same thing: missing, exact, the listed levels, else.
 */
export const comparisonSchema = z.object({
  attribute: identifier,
  /** A label for reports; defaults to the attribute name. */
  label: z.string().optional(),
  method: z.enum(['exact', 'jaroWinkler', 'levenshtein', 'damerauLevenshtein']).optional(),
  thresholds: z.array(z.number().positive()).min(1).max(4).optional(),
  levels: z.array(levelSchema).max(8).optional(),
  /** Weigh an exact agreement by how rare the value is: "Zabrinski" counts for more than "Smith". */
  termFrequency: z.boolean().default(false),
}).strict().superRefine((c, ctx) => {
  if (c.method && c.levels) ctx.addIssue({ code: 'custom', path: ['levels'], message: 'give either method (with thresholds) or levels, not both' });
  if (c.thresholds && (!c.method || c.method === 'exact')) ctx.addIssue({ code: 'custom', path: ['thresholds'], message: 'thresholds need method jaroWinkler, levenshtein or damerauLevenshtein' });
  if (c.thresholds && c.method === 'jaroWinkler' && c.thresholds.some((t) => t >= 1)) ctx.addIssue({ code: 'custom', path: ['thresholds'], message: 'jaro-winkler thresholds lie between 0 and 1' });
  if (c.thresholds && c.method && c.method !== 'jaroWinkler' && c.thresholds.some((t) => !Number.isInteger(t))) ctx.addIssue({ code: 'custom', path: ['thresholds'], message: 'edit distance thresholds are whole numbers' });
  if (c.thresholds && c.method && c.method !== 'exact') {
    const sorted = [...c.thresholds].sort((a, b) => (c.method === 'jaroWinkler' ? b - a : a - b));
    if (sorted.some((v, k) => v !== c.thresholds![k])) {
      ctx.addIssue({ code: 'custom', path: ['thresholds'], message: `list them from closest to loosest (${sorted.join(', ')})` });
    }
  }
}).transform((c) => ({
  attribute: c.attribute,
  label: c.label ?? c.attribute,
  levels: c.levels ? c.levels.map(normalizeLevel) : shortFormLevels(c.method ?? 'exact', c.thresholds),
  termFrequency: c.termFrequency,
}));

function shortFormLevels(method: 'exact' | 'jaroWinkler' | 'levenshtein' | 'damerauLevenshtein', thresholds?: number[]): Level[] {
  switch (method) {
    case 'exact':
      return [];
    case 'jaroWinkler':
      return (thresholds ?? [0.92, 0.8]).map((threshold) => ({ kind: 'jaroWinkler', threshold }));
    case 'levenshtein':
    case 'damerauLevenshtein':
      return (thresholds ?? [1, 2]).map((max) => ({ kind: method, max }));
  }
}

export type ComparisonSettings = z.output<typeof comparisonSchema>;
