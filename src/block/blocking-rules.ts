import { doubleMetaphone } from 'double-metaphone';
import { soundex } from './soundex.js';

export type BlockingTransform = 'exact' | 'soundex' | 'metaphone' | 'initial' | 'year' | 'prefix';

export interface BlockingPart {
  attribute: string;
  transform: BlockingTransform;
  length?: number;
}

export interface BlockingRule {
  label: string;
  parts: BlockingPart[];
}

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
    const part = rule.parts[p]!;
    const value = attrs[part.attribute];
    if (value === null || value === undefined || value === '') return null;
    const transformed = transform(part, value);
    if (transformed === null || transformed === '') return null;
    key = p === 0 ? transformed : `${key}\u001f${transformed}`;
  }
  return key;
}

function transform(part: BlockingPart, value: string): string | null {
  switch (part.transform) {
    case 'exact':
      return value;
    case 'soundex':
      return soundex(value);
    case 'metaphone':
      return doubleMetaphone(value)[0] || null;
    case 'initial':
      return value.charAt(0);
    case 'year':
      return /^\d{4}/.test(value) ? value.slice(0, 4) : null;
    case 'prefix':
      return value.slice(0, part.length ?? 3);
  }
}
