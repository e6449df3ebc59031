import { pad2, titleCase } from '../corrupt.js';
import type { Address } from '../person.js';
import type { Rand } from '../rand.js';
import type { Birth } from '../record-copy.js';
import { STREET_TYPES } from '../us-geography.js';

export { pad2, titleCase };

const SHORT_TYPES = new Map(STREET_TYPES);
const SHORT_DIRECTIONS: Record<string, string> = { north: 'N', south: 'S', east: 'E', west: 'W' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "123 Oak Street Apt 4" or "123 Oak St #4": full or short street types and directions, three ways to write a unit. */
export function streetLine(a: Address, abbreviate: boolean, rand: Rand): string {
  const name = abbreviate ? a.street.replace(/^(north|south|east|west) /, (d) => `${SHORT_DIRECTIONS[d.trim()]} `) : a.street;
  const type = abbreviate ? SHORT_TYPES.get(a.type) ?? a.type : a.type;
  let unit = '';
  if (a.unit) unit = rand.chance(0.5) ? ` Apt ${a.unit}` : rand.chance(0.5) ? ` #${a.unit}` : ` Unit ${a.unit}`;
  return `${a.number} ${titleCase(name)} ${type}${unit}`;
}

/** A name as a person or a clerk typed it: mostly title case, now and then all lower or upper case. */
export function typedName(name: string | null, rand: Rand): string | null {
  if (name === null) return null;
  const roll = rand.float();
  if (roll < 0.06) return name;
  if (roll < 0.1) return name.toUpperCase();
  return titleCase(name);
}

export function upper(value: string | null): string | null {
  return value === null ? null : value.toUpperCase();
}

export const dateMDY = (b: Birth, padded: boolean) => (padded ? `${pad2(b.month)}/${pad2(b.day)}/${b.year}` : `${b.month}/${b.day}/${b.year}`);
export const dateISO = (b: Birth) => `${b.year}-${pad2(b.month)}-${pad2(b.day)}`;
export const dateCompact = (b: Birth) => `${b.year}${pad2(b.month)}${pad2(b.day)}`;
export const dateDMY = (b: Birth) => `${pad2(b.day)}.${pad2(b.month)}.${b.year}`;
export const dateSpelled = (b: Birth) => `${b.day} ${MONTHS[b.month - 1]} ${b.year}`;

export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Ten digits split the usual ways: "(555) 123-4567", "555-123-4567", "555.123.4567", "+1 555 123 4567"... */
export function phoneAs(digits: string, style: 'paren' | 'dash' | 'dot' | 'space' | 'intl' | 'e164' | 'plain' | 'trunk'): string {
  const a = digits.slice(0, 3);
  const b = digits.slice(3, 6);
  const c = digits.slice(6);
  switch (style) {
    case 'paren': return `(${a}) ${b}-${c}`;
    case 'dash': return `${a}-${b}-${c}`;
    case 'dot': return `${a}.${b}.${c}`;
    case 'space': return `${a} ${b} ${c}`;
    case 'intl': return `+1 ${a} ${b} ${c}`;
    case 'e164': return `+1${digits}`;
    case 'trunk': return `1${digits}`;
    case 'plain': return digits;
  }
}

/** One CSV line: values quoted only where they must be. */
export function csvLine(values: ReadonlyArray<string | number | null>, delimiter: string): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const text = v === null || v === undefined ? '' : String(v);
    if (i > 0) out += delimiter;
    out += text.includes(delimiter) || text.includes('"') || text.includes('\n') ? `"${text.replace(/"/g, '""')}"` : text;
  }
  return `${out}\n`;
}

/** A record id that looks random but is unique: n scrambled by an odd multiplier, in base 36. */
export function scrambledId(n: number, prefix: string): string {
  return `${prefix}${((n * 2654435761) % 4294967296 + 1679616).toString(36)}`;
}
