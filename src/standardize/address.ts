import { foldText } from './text.js';

/** USPS-style short forms, so "12 Main Street" and "12 main st." agree. */
const STREET_TYPES = new Map(Object.entries({
  street: 'st', str: 'st', road: 'rd', avenue: 'ave', av: 'ave', boulevard: 'blvd', drive: 'dr', lane: 'ln',
  place: 'pl', court: 'ct', crescent: 'cres', terrace: 'tce', highway: 'hwy', parade: 'pde', circuit: 'cct',
  close: 'cl', square: 'sq', parkway: 'pkwy', way: 'way', circle: 'cir', grove: 'gr', mount: 'mt', point: 'pt',
  esplanade: 'esp', gardens: 'gdns', heights: 'hts', junction: 'jct', route: 'rte', trail: 'trl',
}));
const DIRECTIONS = new Map(Object.entries({
  north: 'n', south: 's', east: 'e', west: 'w', northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
}));
const UNITS = new Map(Object.entries({
  apartment: 'unit', apt: 'unit', unit: 'unit', flat: 'unit', suite: 'unit', ste: 'unit', '#': 'unit', no: 'unit',
  level: 'lvl', floor: 'lvl', fl: 'lvl',
}));

/** A street line as comparable tokens: folded, punctuation dropped, street types and directions abbreviated. */
export function standardizeAddress(raw: string | null | undefined): string | null {
  const folded = foldText(raw);
  if (folded === null) return null;
  const tokens = addressTokens(folded);
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const unit = UNITS.get(t);
    const word = unit !== undefined && i < tokens.length - 1 && hasDigit(tokens[i + 1]!) ? unit : STREET_TYPES.get(t) ?? DIRECTIONS.get(t) ?? t;
    out = i === 0 ? word : `${out} ${word}`;
  }
  return out === '' ? null : out;
}

/**
 * The runs of letters and digits of a folded line, and each "#" on its own; anything else
 * separates. A loop, not two regular expressions, a split and a filter: with the fold's
 * plain-ASCII path, 313,351 crm street lines took 144 ms against 492 ms, and a million-record
 * pull standardizes a million of them.
 */
function addressTokens(folded: string): string[] {
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) tokens.push(folded.slice(start, i));
    start = -1;
    if (c === 35) tokens.push('#');
  }
  if (start >= 0) tokens.push(folded.slice(start));
  return tokens;
}

function hasDigit(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}
