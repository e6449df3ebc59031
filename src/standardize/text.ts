const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Lower case, accents folded ("Müller" → "muller"), whitespace collapsed; empty → null. */
export function foldText(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const out = onlyLowerCasing(raw) ? raw.toLowerCase() : foldAny(raw);
  return isPlaceholder(out) ? null : out;
}

/**
 * Whether folding the text only lower-cases it: printable ASCII, no space at either end or
 * twice in a row. Most values of most sources are, and the full fold (normalization and five
 * regular expressions) took 0.27 µs a value against 0.1 µs: a pull folds five or six values a
 * record (313,351 crm rows, one column: 85 ms against 30 ms).
 */
function onlyLowerCasing(s: string): boolean {
  const n = s.length;
  if (n > 0 && (s.charCodeAt(0) === 32 || s.charCodeAt(n - 1) === 32)) return false;
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || (c === 32 && previous === 32)) return false;
    previous = c;
  }
  return true;
}

function foldAny(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/\s+/g, ' ')
    .trim();
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
