import { foldText } from './text.js';

/** USPS-style short forms, so "12 Main Street" and "12 main st." agree. */
const STREET_TYPES: Record<string, string> = {
  street: 'st', str: 'st', road: 'rd', avenue: 'ave', av: 'ave', boulevard: 'blvd', drive: 'dr', lane: 'ln',
  place: 'pl', court: 'ct', crescent: 'cres', terrace: 'tce', highway: 'hwy', parade: 'pde', circuit: 'cct',
  close: 'cl', square: 'sq', parkway: 'pkwy', way: 'way', circle: 'cir', grove: 'gr', mount: 'mt', point: 'pt',
  esplanade: 'esp', gardens: 'gdns', heights: 'hts', junction: 'jct', route: 'rte', trail: 'trl',
};
const DIRECTIONS: Record<string, string> = {
  north: 'n', south: 's', east: 'e', west: 'w', northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
};
const UNITS: Record<string, string> = {
  apartment: 'unit', apt: 'unit', unit: 'unit', flat: 'unit', suite: 'unit', ste: 'unit', '#': 'unit', no: 'unit',
  level: 'lvl', floor: 'lvl', fl: 'lvl',
};

/** A street line as comparable tokens: folded, punctuation dropped, street types and directions abbreviated. */
export function standardizeAddress(raw: string | null | undefined): string | null {
  const folded = foldText(raw);
  if (folded === null) return null;
  const tokens = folded
    .replace(/#/g, ' # ')
    .replace(/[^a-z0-9# ]+/g, ' ')
    .split(' ')
    .filter((t) => t !== '');
  const out = tokens.map((t, i) => {
    const unit = UNITS[t];
    if (unit && i < tokens.length - 1 && /\d/.test(tokens[i + 1]!)) return unit;
    return STREET_TYPES[t] ?? DIRECTIONS[t] ?? t;
  });
  const joined = out.join(' ');
  return joined === '' ? null : joined;
}
