import type { Settings } from '../config/settings-schema.js';
import type { Sql } from '../db/client.js';
import type { Attributes } from '../model/attributes.js';
import { comparisonAttributes } from '../score/comparison.js';
import { sourceNames } from './scope.js';

export interface LoadedRecords {
  /** source_records ids, ascending; index i of every array below is record ids[i]. */
  ids: Float64Array;
  records: Array<{ source: string; attrs: Attributes }>;
  /** keys[rule][record], as the block stage stored them. */
  keys: Array<Array<string | null>>;
}

/**
 * Loads the run's live customer records with the attributes scoring compares and their
 * stored blocking keys, in id order so that every stage sees the same record indices.
 */
export async function loadMatchRecords(sql: Sql, settings: Settings, batchSize = 20_000): Promise<LoadedRecords> {
  const names = sourceNames(settings);
  const attributes = [...new Set(settings.comparisons.flatMap(comparisonAttributes))];
  const ruleCount = settings.blocking.rules.length;
  const ids: number[] = [];
  const records: LoadedRecords['records'] = [];
  const keys: Array<Array<string | null>> = Array.from({ length: ruleCount }, () => []);
  let lastId = 0;
  for (;;) {
    const rows = await sql<{ id: number; source: string; attrs: Attributes; block_keys: string[] | null }[]>`
      select id, source, attrs, block_keys from source_records
      where deployment = ${settings.name} and source = any(${names}) and deleted_at is null and record_class = 'customer' and id > ${lastId}
      order by id limit ${batchSize}`;
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1]!.id;
    for (const row of rows) {
      ids.push(row.id);
      const attrs: Attributes = {};
      for (const a of attributes) attrs[a] = row.attrs[a] ?? null;
      records.push({ source: row.source, attrs });
      const byRule: Array<string | null> = new Array(ruleCount).fill(null);
      for (const k of row.block_keys ?? []) {
        const colon = k.indexOf(':');
        byRule[Number(k.slice(0, colon))] = k.slice(colon + 1);
      }
      for (let r = 0; r < ruleCount; r++) keys[r]!.push(byRule[r]!);
    }
  }
  return { ids: Float64Array.from(ids), records, keys };
}
