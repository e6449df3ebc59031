import type { Lineage, LineageEntry } from './survive-cluster.js';

/** A source record values came from: source, source id, when it last changed (ISO 8601) or null. */
type PackedRecord = [source: string, sourceId: string, updatedAt: string | null];
/** One attribute's pick: indexes into the records and rules, how many records offered a value, and `aggregate`'s values. */
type PackedPick = [record: number, rule: number, candidates: number] | [record: number, rule: number, candidates: number, values: NonNullable<LineageEntry['values']>];

/**
 * Lineage as golden_records, golden_versions and run_golden store it: each source record
 * and rule once, and per attribute where to find them. Most of a record's attributes come
 * from one or two records, so the expanded form repeated the same source, id and time for
 * every attribute: a kilobyte per golden record, which the run then wrote three times
 * (staged, committed, versioned). Packed it is about a quarter of that. An array, so that
 * it is never mistaken for the expanded object, which rows written before it still hold.
 */
export type PackedLineage = [records: PackedRecord[], rules: string[], picks: Record<string, PackedPick>];

export function packLineage(lineage: Lineage): PackedLineage {
  const records: PackedRecord[] = [];
  const rules: string[] = [];
  const picks: Record<string, PackedPick> = {};
  for (const attribute of Object.keys(lineage)) {
    const e = lineage[attribute]!;
    let record = records.findIndex(([source, sourceId, updatedAt]) => source === e.source && sourceId === e.sourceId && updatedAt === e.updatedAt);
    if (record < 0) record = records.push([e.source, e.sourceId, e.updatedAt]) - 1;
    let rule = rules.indexOf(e.rule);
    if (rule < 0) rule = rules.push(e.rule) - 1;
    picks[attribute] = e.values === undefined ? [record, rule, e.candidates] : [record, rule, e.candidates, e.values];
  }
  return [records, rules, picks];
}

/**
 * The expanded lineage of a stored one, packed or (written before packing) expanded, with
 * the keys in the order surviveCluster writes them, so its JSON and content hash are the same.
 */
export function unpackLineage(stored: unknown): Lineage {
  if (!Array.isArray(stored)) return (stored ?? {}) as Lineage;
  const [records, rules, picks] = stored as PackedLineage;
  const lineage: Lineage = {};
  for (const attribute of Object.keys(picks)) {
    const [record, rule, candidates, values] = picks[attribute]!;
    const [source, sourceId, updatedAt] = records[record]!;
    const entry: LineageEntry = { candidates, rule: rules[rule] as LineageEntry['rule'], source, sourceId, updatedAt };
    if (values !== undefined) entry.values = values;
    lineage[attribute] = entry;
  }
  return lineage;
}
