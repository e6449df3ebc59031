import { foldText } from './text.js';

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame', 'rev', 'fr', 'herr', 'frau', 'mme', 'mlle', 'm']);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'dds', 'jnr', 'snr']);

/**
 * A person's name as comparable text: folded, punctuation dropped ("O'Neil" → "oneil",
 * "Smith-Jones" → "smith jones"), titles and generational suffixes removed.
 */
export function standardizeName(raw: string | null | undefined): string | null {
  const folded = foldText(raw);
  if (folded === null) return null;
  const tokens = folded
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .split(' ')
    .filter((t) => t !== '');
  const kept = tokens.filter((t, i) => {
    if (tokens.length === 1) return true;
    if (i === 0 && TITLES.has(t)) return false;
    return !SUFFIXES.has(t);
  });
  const out = kept.join(' ');
  return out === '' ? null : out;
}

const LEGAL_FORMS = new Set([
  'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'llc', 'llp', 'lp', 'ltd', 'limited', 'plc',
  'gmbh', 'ag', 'kg', 'ohg', 'ug', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'oy', 'ab', 'as', 'aps', 'pty', 'pte', 'kk',
]);

/** A company name without its legal form ("ACME Holdings, Inc." → "acme holdings"). */
export function standardizeOrgName(raw: string | null | undefined): string | null {
  const folded = foldText(raw);
  if (folded === null) return null;
  const tokens = folded.replace(/&/g, ' and ').replace(/[^a-z0-9 ]+/g, ' ').split(' ').filter((t) => t !== '');
  while (tokens.length > 1 && LEGAL_FORMS.has(tokens[tokens.length - 1]!)) tokens.pop();
  const out = tokens.join(' ');
  return out === '' ? null : out;
}
