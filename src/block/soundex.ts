const CODES: Record<string, string> = {
  b: '1', f: '1', p: '1', v: '1',
  c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2',
  d: '3', t: '3', l: '4', m: '5', n: '5', r: '6',
};

/** American Soundex ("robert" → "R163"); letters only, h and w do not separate equal codes. */
export function soundex(value: string): string | null {
  const letters = value.toLowerCase().replace(/[^a-z]/g, '');
  if (letters === '') return null;
  let out = letters[0]!.toUpperCase();
  let last = CODES[letters[0]!] ?? '';
  for (let i = 1; i < letters.length && out.length < 4; i++) {
    const ch = letters[i]!;
    const code = CODES[ch];
    if (code) {
      if (code !== last) out += code;
      last = code;
    } else if (ch !== 'h' && ch !== 'w') {
      last = '';
    }
  }
  return out.padEnd(4, '0');
}
