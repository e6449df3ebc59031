const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Lower case, accents folded ("Müller" → "muller"), whitespace collapsed; empty → null. */
export function foldText(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const out = raw
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/\s+/g, ' ')
    .trim();
  return isPlaceholder(out) ? null : out;
}

/** Values that systems write when they have nothing: treated as missing, not as data. */
const PLACEHOLDERS = new Set(['', 'n/a', 'na', 'null', 'none', 'unknown', 'nil', '-', '--', '?', 'tbd', 'not known', 'not applicable']);

export function isPlaceholder(folded: string): boolean {
  return PLACEHOLDERS.has(folded);
}

/** Identifiers and codes: upper case without inner whitespace. */
export function standardizeCode(raw: string | null | undefined): string | null {
  const folded = foldText(raw);
  if (folded === null) return null;
  const out = folded.replace(/[\s.]+/g, '').toUpperCase();
  return out === '' ? null : out;
}
