import type { Attributes } from '../model/attributes.js';
import type { AttributeCoverage } from './types.js';

/** Under this share filled, an attribute is poorly covered, as it is this far below the master. */
const POOR_FILL = 0.5;
const POOR_GAP = 0.25;

/**
 * How the acquired customer records fill each canonical attribute the master holds: mapped
 * or not, how many hold a usable value, how many held one that could not be used.
 */
export function attributeCoverage(
  attributes: ReadonlyArray<string>,
  mapped: ReadonlySet<string>,
  records: ReadonlyArray<{ attrs: Readonly<Attributes>; invalid: ReadonlySet<string> }>,
  masterFillRate: Readonly<Record<string, number>>,
): AttributeCoverage[] {
  return attributes.map((attribute) => {
    let filled = 0;
    let invalid = 0;
    for (const r of records) {
      const v = r.attrs[attribute];
      if (v !== null && v !== undefined && v !== '') filled++;
      else if (r.invalid.has(attribute)) invalid++;
    }
    const fillRate = records.length === 0 ? 0 : filled / records.length;
    const master = masterFillRate[attribute] ?? 0;
    const isMapped = mapped.has(attribute);
    const verdict = !isMapped ? 'missing' : fillRate < POOR_FILL || fillRate < master - POOR_GAP ? 'poor' : 'good';
    return { attribute, mapped: isMapped, filled, records: records.length, invalid, fillRate, masterFillRate: master, verdict };
  });
}
