import { doubleMetaphone } from 'double-metaphone';
import { soundex } from './soundex.js';

export type BlockingTransform = 'exact' | 'soundex' | 'metaphone' | 'initial' | 'year' | 'prefix' | 'sortedTokens' | 'localPart' | 'domain' | 'dayMonthAnyOrder';

export interface BlockingPart {
  attribute: string;
  transform: BlockingTransform;
  length?: number;
}

export interface BlockingRule {
  label: string;
  parts: BlockingPart[];
}

/** Between the parts of one rule's key. */
const PART_SEPARATOR = '\u001f';

/** Parses the settings form: ["lastName:soundex", "birthDate:year"]. */
export function parseBlockingRule(parts: ReadonlyArray<string>): BlockingRule {
  return {
    label: parts.join(' & '),
    parts: parts.map((part) => {
      const [attribute, transform = 'exact'] = part.split(':') as [string, string?];
      const prefix = transform.match(/^prefix\((\d+)\)$/);
      if (prefix) return { attribute, transform: 'prefix', length: Number(prefix[1]) };
      return { attribute, transform: transform as BlockingTransform };
    }),
  };
}

/** The rule's key for one record, or null when any part is missing (the record is not blocked by this rule). */
export function blockingKey(rule: BlockingRule, attrs: Readonly<Record<string, string | null | undefined>>): string | null {
  let key = '';
  for (let p = 0; p < rule.parts.length; p++) {
    const transformed = partKey(rule.parts[p]!, attrs);
    if (transformed === null) return null;
    key = p === 0 ? transformed : `${key}${PART_SEPARATOR}${transformed}`;
  }
  return key;
}

/**
 * Every rule's key for one record ("rule:key", rules in order, those that do not key it left
 * out), each distinct part worked out once: rules share parts (three of the generated
 * settings' seven take the first name's metaphone), and each took a lookup in a large memo.
 */
export function recordKeyer(rules: ReadonlyArray<BlockingRule>): (attrs: Readonly<Record<string, string | null | undefined>>) => string[] {
  const distinct: BlockingPart[] = [];
  const slots = rules.map((rule) => rule.parts.map((part) => {
    let at = distinct.findIndex((d) => d.attribute === part.attribute && d.transform === part.transform && d.length === part.length);
    if (at < 0) at = distinct.push(part) - 1;
    return at;
  }));
  return (attrs) => {
    const parts = distinct.map((part) => partKey(part, attrs));
    const keys: string[] = [];
    for (let r = 0; r < slots.length; r++) {
      const rule = slots[r]!;
      let key: string | null = parts[rule[0]!]!;
      for (let p = 1; key !== null && p < rule.length; p++) {
        const next = parts[rule[p]!]!;
        key = next === null ? null : `${key}${PART_SEPARATOR}${next}`;
      }
      if (key !== null) keys.push(`${r}:${key}`);
    }
    return keys;
  };
}

/** One part of a key: its attribute's value transformed, or null when either is missing or empty. */
function partKey(part: BlockingPart, attrs: Readonly<Record<string, string | null | undefined>>): string | null {
  const value = attrs[part.attribute];
  if (value === null || value === undefined || value === '') return null;
  const transformed = transform(part, value);
  return transformed === '' ? null : transformed;
}

function transform(part: BlockingPart, value: string): string | null {
  switch (part.transform) {
    case 'exact':
      return value;
    case 'soundex':
      return remembered(soundexMemo, value, soundex);
    case 'metaphone':
      return remembered(metaphoneMemo, value, (v) => doubleMetaphone(v)[0] || null);
    case 'initial':
      return value.charAt(0);
    case 'year':
      return /^\d{4}/.test(value) ? value.slice(0, 4) : null;
    case 'prefix':
      return value.slice(0, part.length ?? 3);
    case 'sortedTokens':
      // "smith john" and "john smith" share a block: sources swap given and family names.
      return value.split(' ').filter((t) => t !== '').sort().join(' ');
    case 'localPart': {
      const at = value.lastIndexOf('@');
      return at > 0 ? value.slice(0, at) : null;
    }
    case 'domain': {
      const at = value.lastIndexOf('@');
      return at >= 0 && at < value.length - 1 ? value.slice(at + 1) : null;
    }
    case 'dayMonthAnyOrder': {
      // 1994-02-01 and 1994-01-02 share a block: day and month get swapped on entry.
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
      if (!m) return null;
      return m[2]! <= m[3]! ? `${m[1]}-${m[2]}-${m[3]}` : `${m[1]}-${m[3]}-${m[2]}`;
    }
  }
}

/** Sound codes of names seen before: a million records hold a few thousand distinct names. */
const soundexMemo = new Map<string, string | null>();
const metaphoneMemo = new Map<string, string | null>();

function remembered(memo: Map<string, string | null>, value: string, compute: (v: string) => string | null): string | null {
  let code = memo.get(value);
  if (code === undefined) {
    if (memo.size >= 200_000) memo.clear();
    code = compute(value);
    memo.set(value, code);
  }
  return code;
}
