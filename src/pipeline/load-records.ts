import type { Settings } from '../config/settings-schema.js';
import type { Sql } from '../db/client.js';
import type { Attributes } from '../model/attributes.js';
import { comparisonAttributes } from '../score/comparison.js';
import { changedSince, liveCustomer, type IncrementalScope } from './incremental.js';
import { KEY_SEPARATOR } from './prepare-record.js';

export interface LoadedRecords {
  /** source_records ids, ascending; index i of every array below is record ids[i]. */
  ids: Float64Array;
  records: Array<{ source: string; attrs: Attributes }>;
  /** keys[rule][record], as the block stage stored them. */
  keys: Array<Array<string | null>>;
  /** A partial load's records: whether each changed since the incremental run's base. */
  changed?: boolean[];
}

/**
 * Loads the run's live customer records with the attributes scoring compares and their
 * stored blocking keys, in id order so that every stage sees the same record indices.
 */
export async function loadMatchRecords(sql: Sql, settings: Settings, batchSize = 20_000): Promise<LoadedRecords> {
  const out = emptyLoad(settings);
  const columns = loadedColumns(sql, settings);
  let lastId = 0;
  for (;;) {
    const rows = await sql<RecordRow[]>`
      select ${columns} from source_records r
      where ${liveCustomer(sql, settings)} and id > ${lastId}
      order by id limit ${batchSize}`;
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1]!.id;
    addRows(out, settings, rows);
  }
  return finish(out);
}

/**
 * For an incremental run: the live customer records that share a blocking key with a
 * record changed since the base (the block stage found them), keyed by those keys only.
 * Every block a changed record is in is then loaded whole, so its pairs and its size are
 * exactly what a full run sees.
 */
export async function loadTouchedRecords(sql: Sql, settings: Settings, runId: string, scope: IncrementalScope, batchSize = 20_000): Promise<LoadedRecords> {
  const touched = new Set((await sql<{ k: string }[]>`
    select distinct k from source_records r, unnest(r.block_keys) as k
    where ${liveCustomer(sql, settings)} and ${changedSince(sql, scope)}`).map((r) => r.k));
  const ids = (await sql<{ id: number }[]>`
    select record_id as id from run_touched_records where run_id = ${runId} order by record_id`).map((r) => r.id);
  const out = emptyLoad(settings);
  const columns = loadedColumns(sql, settings);
  const changed: boolean[] = [];
  for (let start = 0; start < ids.length; start += batchSize) {
    const rows = await sql<Array<RecordRow & { changed: boolean }>>`
      select ${columns}, ${changedSince(sql, scope)} as changed from source_records r
      where r.id = any(${ids.slice(start, start + batchSize)}::bigint[]) order by r.id`;
    addRows(out, settings, rows, touched);
    for (const row of rows) changed.push(row.changed);
  }
  return { ...finish(out), changed };
}

/** Record id, source, each compared attribute as a column (a0, a1, …), and the blocking keys as one text. */
interface RecordRow {
  id: number;
  source: string;
  /** The blocking keys joined by KEY_SEPARATOR: '' for none. */
  block_keys: string | null;
  [attribute: `a${number}`]: string | null;
}

/**
 * Only the attributes scoring compares, each as text, and the keys as one text: parsing
 * every record's whole attributes JSON and a text array in script took most of the load.
 */
function loadedColumns(sql: Sql, settings: Settings) {
  const picks = scoredAttributes(settings).map((a, i) => sql`r.attrs->>${a} as ${sql(`a${i}`)}`);
  return picks.reduce((all, pick) => sql`${all}, ${pick}`, sql`r.id, r.source, array_to_string(r.block_keys, ${KEY_SEPARATOR}) as block_keys`);
}

function scoredAttributes(settings: Settings): string[] {
  return [...new Set(settings.comparisons.flatMap(comparisonAttributes))];
}

interface LoadBuilder extends Omit<LoadedRecords, 'ids'> {
  ids: number[];
}

function emptyLoad(settings: Settings): LoadBuilder {
  return { ids: [], records: [], keys: Array.from({ length: settings.blocking.rules.length }, () => []) };
}

function finish(load: LoadBuilder): LoadedRecords {
  return { ...load, ids: Float64Array.from(load.ids) };
}

/** Appends rows (in id order) to a load; with `only`, keys outside it are left out. */
function addRows(out: LoadBuilder, settings: Settings, rows: ReadonlyArray<RecordRow>, only?: ReadonlySet<string>): void {
  const attributes = scoredAttributes(settings);
  const ruleCount = settings.blocking.rules.length;
  for (const row of rows) {
    out.ids.push(row.id);
    const attrs: Attributes = {};
    for (let i = 0; i < attributes.length; i++) attrs[attributes[i]!] = row[`a${i}`] ?? null;
    out.records.push({ source: row.source, attrs });
    const byRule: Array<string | null> = new Array(ruleCount).fill(null);
    for (const k of row.block_keys ? row.block_keys.split(KEY_SEPARATOR) : []) {
      if (only && !only.has(k)) continue;
      const colon = k.indexOf(':');
      byRule[Number(k.slice(0, colon))] = k.slice(colon + 1);
    }
    for (let r = 0; r < ruleCount; r++) out.keys[r]!.push(byRule[r]!);
  }
}
