import type { FieldMapping } from '../config/settings-schema.js';

type MappingObject = Exclude<FieldMapping, string>;

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'rev']);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'v', 'md', 'phd', 'esq', 'dds']);
/** Words that belong to the family name that follows them ("van der Berg", "de la Cruz"). */
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'da', 'di', 'la', 'le', 'du', 'dos', 'das', 'st', 'bin', 'al', 'ter', 'ten']);

export interface NameParts {
  first: string | null;
  middle: string | null;
  last: string | null;
}

const bare = (token: string) => token.toLowerCase().replace(/\./g, '');

/**
 * A person's full name in one field, as exports write it: "Smith, John A.", "John A. Smith",
 * "Dr. John Smith Jr.", "Maria de la Cruz". Titles and suffixes are dropped; one word alone
 * is taken as the family name.
 */
export function splitFullName(text: string): NameParts {
  let given: string[];
  let family: string[];
  const comma = text.indexOf(',');
  const afterComma = comma >= 0 ? text.slice(comma + 1).trim() : '';
  // A title only where a title stands, before the name: "Miss, Patricia" is Patricia Miss.
  const tokens = (s: string) => {
    const words = s.split(/\s+/).filter((t) => t !== '');
    while (words.length > 1 && TITLES.has(bare(words[0]!))) words.shift();
    return words;
  };
  if (comma >= 0 && !afterComma.split(/[\s,]+/).every((t) => t === '' || SUFFIXES.has(bare(t)))) {
    family = tokens(text.slice(0, comma));
    given = tokens(afterComma).filter((t) => !SUFFIXES.has(bare(t)));
  } else {
    const words = tokens(comma >= 0 ? text.slice(0, comma) : text);
    while (words.length > 1 && SUFFIXES.has(bare(words[words.length - 1]!))) words.pop();
    let start = words.length - 1;
    while (start > 1 && PARTICLES.has(bare(words[start - 1]!))) start--;
    family = words.slice(Math.max(start, 0));
    given = words.slice(0, Math.max(start, 0));
  }
  const join = (parts: string[]) => (parts.length === 0 ? null : parts.join(' '));
  return { first: join(given.slice(0, 1)), middle: join(given.slice(1)), last: join(family) };
}

const compiled = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) compiled.set(pattern, (re = new RegExp(pattern)));
  return re;
}

/** A mapping's declared transforms (split, pattern, map) applied to the raw text read from its column(s). */
export function applyTransforms(raw: string | null, mapping: MappingObject): string | null {
  let value = raw === null ? null : raw.trim() === '' ? null : raw;
  if (value !== null && mapping.split) value = splitFullName(value)[mapping.split];
  if (value !== null && mapping.pattern) value = regex(mapping.pattern).exec(value)?.[1] ?? null;
  if (mapping.map) {
    const key = value === null ? null : value.trim();
    if (key !== null && Object.hasOwn(mapping.map, key)) value = mapping.map[key]!;
    else if (mapping.default !== undefined) value = mapping.default;
  } else if (value === null && mapping.default !== undefined) {
    value = mapping.default;
  }
  return value;
}

export function hasTransforms(mapping: MappingObject): boolean {
  return mapping.split !== undefined || mapping.pattern !== undefined || mapping.map !== undefined || mapping.default !== undefined;
}
