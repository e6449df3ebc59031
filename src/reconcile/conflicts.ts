import type { Attributes } from '../model/attributes.js';
import { canonicalForms, type NicknameTable } from '../standardize/nicknames.js';
import type { AttributeConflict } from './types.js';

export interface GoldenSide {
  attrs: Readonly<Attributes>;
  /** Per attribute, when the source record the value came from last changed (golden lineage). */
  lineage: Readonly<Record<string, { updatedAt?: string | null } | undefined>>;
}

/** Whether two different standardized values still say the same thing (a nickname and its name). */
export type SameValue = (attribute: string, ours: string, theirs: string) => boolean;

/**
 * Where an acquired customer's standardized values differ from the golden record it matched:
 * both values and which is more recent. An attribute only one side holds is not a conflict
 * (coverage reports what the acquired source lacks), nor are values `same` calls equivalent.
 */
export function attributeConflicts(
  theirs: Readonly<Attributes>,
  theirsUpdatedAt: string | null,
  ours: GoldenSide,
  attributes: ReadonlyArray<string>,
  same: SameValue = () => false,
): AttributeConflict[] {
  const out: AttributeConflict[] = [];
  for (const attribute of attributes) {
    const a = ours.attrs[attribute];
    const b = theirs[attribute];
    if (a === null || a === undefined || a === '' || b === null || b === undefined || b === '' || a === b || same(attribute, a, b)) continue;
    const oursUpdatedAt = ours.lineage[attribute]?.updatedAt ?? null;
    out.push({ attribute, ours: a, theirs: b, oursUpdatedAt, theirsUpdatedAt, newer: newer(oursUpdatedAt, theirsUpdatedAt) });
  }
  return out;
}

function newer(ours: string | null, theirs: string | null): AttributeConflict['newer'] {
  const a = ours === null ? NaN : Date.parse(ours);
  const b = theirs === null ? NaN : Date.parse(theirs);
  if (Number.isNaN(a) || Number.isNaN(b)) return 'unknown';
  return a === b ? 'same' : a > b ? 'ours' : 'theirs';
}

/** Given names that are nicknames of one another ("bob", "robert") are not a disagreement. */
export function nicknameEquivalence(table: NicknameTable, nameAttributes: ReadonlySet<string>): SameValue {
  return (attribute, a, b) => {
    if (!nameAttributes.has(attribute)) return false;
    const forms = new Set(canonicalForms(table, a));
    return canonicalForms(table, b).some((f) => forms.has(f));
  };
}
