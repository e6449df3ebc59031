import type { Settings } from '../config/settings-schema.js';
import type { Sql } from '../db/client.js';
import type { NumberedKeys } from '../block/plan-blocks.js';
import { KEY_SEPARATOR, KeyTexts, portableBuffers, type KeyTextOptions, type PortableKeys } from '../block/key-texts.js';
import { KeyThread } from '../block/key-thread.js';
import { ColumnEncoder, ColumnsBuilder, decode, shared, type RecordColumns, type StringColumn } from '../model/columns.js';
import { parseBlockingRule } from '../block/blocking-rules.js';
import { matchAttributes } from '../score/engine.js';
import { changedSince, liveCustomer, type IncrementalScope } from './incremental.js';
import { PACKED_SEPARATOR } from '../model/packed-values.js';
import { packedAttributes, sourceUpdatedMs } from './packed-attributes.js';

export interface LoadedRecords {
  /** source_records ids, ascending; index i of every column below is record ids[i]. */
  ids: Float64Array;
  /** The compared attributes (matchAttributes), encoded as the plan's columns. */
  columns: RecordColumns;
  /** Per rule, the blocking keys the block stage stored, numbered. */
  keys: NumberedKeys[];
  /** A partial load's records: whether each changed since the incremental run's base. */
  changed?: boolean[];
  /** Loaded when asked for: what the survive stage reads of each record beyond `columns`. */
  members?: MemberColumns;
}

/** Per record (index as in `ids`), the rest of what survivorship reads of it. */
export interface MemberColumns {
  sourceIds: StringColumn;
  /** ms since the epoch; NaN where the source gives no change time. */
  updatedMs: Float64Array;
  /** The attributes asked for that scoring does not compare. */
  extra: Record<string, StringColumn>;
}

/** Record ids after `after`, up to and including `upTo` (no upper bound when null). */
export interface IdRange {
  after: number;
  upTo: number | null;
}

/**
 * Loads the run's live customer records with the attributes scoring compares and their
 * stored blocking keys, in id order so that every stage sees the same record indices.
 * With `survived` (survivorship's attributes), each record's source id, change time and
 * those of the attributes scoring does not compare come too (`members`): read in the same
 * pass, they spare the survive stage reading every record again.
 */
export function loadMatchRecords(sql: Sql, settings: Settings, batchSize = 20_000, survived?: ReadonlyArray<string>): Promise<LoadedRecords> {
  return withLoad(settings, survived, async (out, keyThread) => {
    await loadPacked(sql, settings, batchSize, out, keyThread);
    return finish(out, await keyThread.finish());
  });
}

/**
 * loadMatchRecords' result, for the records in `range`, in a form that can be posted from the
 * thread that loaded it (workers/load-records): the keys numbered apart as buffers, the
 * columns on shared memory.
 */
export interface PortableLoad {
  ids: Float64Array;
  columns: RecordColumns;
  /** Per rule; a rule whose keys are a column's values (keyColumns) has none here. */
  keys: PortableKeys[];
  members?: MemberColumns;
}

export function loadMatchRecordsPortable(sql: Sql, settings: Settings, batchSize = 20_000, survived?: ReadonlyArray<string>, range?: IdRange): Promise<PortableLoad> {
  return withLoad(settings, survived, async (out, keyThread) => {
    await loadPacked(sql, settings, batchSize, out, keyThread, range);
    return { ...finishedColumns(out), keys: await keyThread.finishPortable() };
  });
}

/** The buffers a PortableLoad can hand over rather than copy (those on shared memory are shared anyway). */
export function portableLoadTransfers(load: PortableLoad): ArrayBuffer[] {
  return [load.ids.buffer, ...portableBuffers(load.keys)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/**
 * loadMatchRecords in two halves read side by side: the records up to `splitAt` here, the
 * rest on a thread of its own (`later`, which posts a PortableLoad), then appended to this
 * half's dictionaries in order. The result is the one loadMatchRecords gives: every value
 * and key numbered in order of first sight over all records.
 */
export function loadMatchRecordsInHalves(
  sql: Sql, settings: Settings, splitAt: number, later: Promise<PortableLoad>, batchSize = 20_000, survived?: ReadonlyArray<string>,
): Promise<LoadedRecords> {
  return withLoad(settings, survived, async (out, keyThread) => {
    await loadPacked(sql, settings, batchSize, out, keyThread, { after: 0, upTo: splitAt });
    appendLoad(out, keyThread, await later);
    return finish(out, await keyThread.finish());
  });
}

/** A load under way, with its key thread, given to `read`; the thread is stopped if `read` fails (finishing stops it otherwise). */
async function withLoad<T>(settings: Settings, survived: ReadonlyArray<string> | undefined, read: (out: LoadBuilder, keyThread: KeyThread) => Promise<T>): Promise<T> {
  const keyColumns = aliasedKeyColumns(settings);
  const keyThread = new KeyThread(keyOptions(keyColumns));
  try {
    return await read(emptyLoad(settings, keyColumns, keyThread, survived), keyThread);
  } catch (err) {
    await keyThread.stop();
    throw err;
  }
}

async function loadPacked(sql: Sql, settings: Settings, batchSize: number, out: LoadBuilder, keyThread: KeyThread, range?: IdRange): Promise<void> {
  const packed = packedColumns(sql, out);
  const upTo = range?.upTo ?? null;
  const below = upTo === null ? sql`` : sql`and id <= ${upTo}`;
  let columns: ReturnType<typeof loadedColumns> | null = null;
  let lastId = range?.after ?? 0;
  for (;;) {
    // Each row is numbered as it arrives, not once the batch is in: a batch held as an array
    // outlived the young generation's collections, which copied it (1.5 s of a million-record load).
    let last = 0;
    let unpackedFrom: number | null = null;
    await sql<PackedRow[]>`
      select ${packed} from source_records r
      where ${liveCustomer(sql, settings)} and id > ${lastId} ${below}
      order by id limit ${batchSize}`.forEach((row) => {
      last = row.id;
      if (unpackedFrom === null && !addPackedRow(out, row)) unpackedFrom = row.id;
    });
    if (last === 0) break;
    if (unpackedFrom !== null) {
      // A value holds the separator: the rest of the batch again, a column per attribute.
      columns ??= loadedColumns(sql, out);
      addRows(out, await sql<RecordRow[]>`
        select ${columns} from source_records r
        where ${liveCustomer(sql, settings)} and id >= ${unpackedFrom} and id <= ${last}
        order by id`);
    }
    keyThread.flush();
    lastId = last;
  }
}

/** A later range's records, loaded elsewhere, after this load's own. */
function appendLoad(out: LoadBuilder, keyThread: KeyThread, later: PortableLoad): void {
  // First, so that the key thread numbers them while this one numbers the values.
  keyThread.addNumbered(later.keys);
  for (let i = 0; i < later.ids.length; i++) out.ids.push(later.ids[i]!);
  out.columns.addColumns(later.columns);
  if (out.members) {
    const { members } = later;
    if (!members) throw new Error('the later half of a load came back without its members');
    out.members.extra.forEach((attribute, e) => out.members!.encoders[e]!.pushColumn(members.extra[attribute]!));
    out.members.sourceIds.pushColumn(members.sourceIds);
    for (let i = 0; i < members.updatedMs.length; i++) out.members.updatedMs.push(members.updatedMs[i]!);
  }
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
  const keyColumns = settings.blocking.rules.map(() => null);
  const out = emptyLoad(settings, keyColumns, new KeyTexts(keyOptions(keyColumns)));
  const columns = loadedColumns(sql, out);
  const changed: boolean[] = [];
  for (let start = 0; start < ids.length; start += batchSize) {
    const rows = await sql<Array<RecordRow & { changed: boolean }>>`
      select ${columns}, ${changedSince(sql, scope)} as changed from source_records r
      where r.id = any(${ids.slice(start, start + batchSize)}::bigint[]) order by r.id`;
    addRows(out, rows, touched);
    for (const row of rows) changed.push(row.changed);
  }
  return { ...finish(out), changed };
}

/**
 * Record id, source, each compared attribute as a column (a0, a1, …, then the members'
 * other attributes), and the blocking keys as one text; with members, source id and change time.
 */
interface RecordRow extends MemberFields {
  id: number;
  source: string;
  /** The blocking keys joined by KEY_SEPARATOR: '' for none. */
  block_keys: string | null;
  [attribute: `a${number}`]: string | null;
}

/**
 * A record's compared attributes (then the members' other attributes, source id and change
 * time) in one text, missing ones empty.
 */
interface PackedRow {
  id: number;
  source: string;
  block_keys: string | null;
  vals: string;
}

/** Only in a load with members. */
interface MemberFields {
  source_id?: string;
  updated_ms?: number | null;
}

/**
 * The compared attributes as one text a record: the database sent eleven columns a row
 * otherwise, and decoding them into strings was half of the load (a million rows fetched in
 * 4.7 s as columns, 2.7–3.2 s packed). The values are numbered in place, as the keys are.
 */
function packedColumns(sql: Sql, out: LoadBuilder) {
  // With members, their source id and change time close the packed text: one text a row,
  // split in place, as the attributes are.
  const vals = out.members
    ? sql`concat_ws(${PACKED_SEPARATOR}::text, ${packedAttributes(sql, out.attributes)}, r.source_id, coalesce(${sourceUpdatedMs(sql)}::text, ''))`
    : packedAttributes(sql, out.attributes);
  return sql`r.id, r.source, array_to_string(r.block_keys, ${KEY_SEPARATOR}) as block_keys, ${vals} as vals`;
}

function memberColumns(sql: Sql, out: LoadBuilder) {
  return out.members ? sql`, r.source_id, ${sourceUpdatedMs(sql)} as updated_ms` : sql``;
}

/**
 * Only the attributes scoring compares, each as text, and the keys as one text: parsing
 * every record's whole attributes JSON and a text array in script took most of the load.
 */
function loadedColumns(sql: Sql, out: LoadBuilder) {
  const picks = out.attributes.map((a, i) => sql`r.attrs->>${a} as ${sql(`a${i}`)}`);
  const first = sql`r.id, r.source, array_to_string(r.block_keys, ${KEY_SEPARATOR}) as block_keys${memberColumns(sql, out)}`;
  return picks.reduce((all, pick) => sql`${all}, ${pick}`, first);
}

/**
 * A load under way: each row's values and keys go straight into the column and key
 * encoders, which keep every distinct string once. Collected as a record object per row
 * first, a million records' strings lived until the end and garbage collection took half
 * of the load.
 */
interface LoadBuilder {
  ids: number[];
  /** The attributes read: the compared ones, then the members' others. */
  attributes: string[];
  /** The row fields holding each attribute: a0, a1, … */
  fields: Array<`a${number}`>;
  /** Scratch: where each value of a packed row starts and ends. */
  valueStart: Int32Array;
  valueEnd: Int32Array;
  members: MembersBuilder | null;
  columns: ColumnsBuilder;
  /** Where each record's keys text goes: numbered here, or on a thread of their own (KeyThread). */
  keyTexts: KeyTexts | KeyThread;
  /** Scratch: one row's values. */
  values: Array<string | null>;
  /**
   * Per rule, the compared attribute whose value is the rule's key (a rule of one exact
   * part, such as [email]), or null. Its keys are that column, numbered the same way (first
   * sight, none where the value is missing), so they are not numbered a second time: the
   * two largest dictionaries of a million-record load.
   */
  keyColumns: Array<string | null>;
}

/** Per rule, the compared attribute whose own value is its key (a rule of one exact part), or null. */
function aliasedKeyColumns(settings: Settings): Array<string | null> {
  const attributes = matchAttributes(settings);
  return settings.blocking.rules.map((parts) => {
    const { parts: [first, ...rest] } = parseBlockingRule(parts);
    return first && rest.length === 0 && first.transform === 'exact' && attributes.includes(first.attribute) ? first.attribute : null;
  });
}

/** The keys texts' reading: every rule but those taking a column as their keys. */
function keyOptions(keyColumns: ReadonlyArray<string | null>): KeyTextOptions {
  return { ruleCount: keyColumns.length, separator: KEY_SEPARATOR, skip: keyColumns.map((a) => a !== null) };
}

/** A load's member columns as they are read; `extra` are the survived attributes scoring does not compare. */
interface MembersBuilder {
  extra: string[];
  encoders: ColumnEncoder[];
  sourceIds: ColumnEncoder;
  updatedMs: number[];
}

function emptyLoad(settings: Settings, keyColumns: Array<string | null>, keyTexts: KeyTexts | KeyThread, survived?: ReadonlyArray<string>): LoadBuilder {
  const compared = matchAttributes(settings);
  const extra = survived ? [...new Set(survived)].filter((a) => !compared.includes(a)) : [];
  const attributes = [...compared, ...extra];
  return {
    ids: [],
    attributes,
    fields: attributes.map((_, i) => `a${i}` as const),
    columns: new ColumnsBuilder(compared),
    keyTexts,
    values: new Array(attributes.length).fill(null),
    // Room for a packed row's source id and change time too.
    valueStart: new Int32Array(attributes.length + 2),
    valueEnd: new Int32Array(attributes.length + 2),
    members: survived ? { extra, encoders: extra.map(() => new ColumnEncoder()), sourceIds: new ColumnEncoder(false), updatedMs: [] } : null,
    keyColumns,
  };
}

/** The load's result; `numbered` are the keys the KeyThread numbered, when it did. */
function finish(load: LoadBuilder, numbered?: NumberedKeys[]): LoadedRecords {
  const done = finishedColumns(load);
  const perRule = numbered ?? (load.keyTexts as KeyTexts).finish();
  const keys = perRule.map((k, r) => {
    const attribute = load.keyColumns[r];
    return attribute ? columnKeys(done.columns.columns[attribute]!) : k;
  });
  return { ...done, keys };
}

function finishedColumns(load: LoadBuilder): { ids: Float64Array; columns: RecordColumns; members?: MemberColumns } {
  const done: { ids: Float64Array; columns: RecordColumns; members?: MemberColumns } = { ids: Float64Array.from(load.ids), columns: load.columns.finish() };
  if (load.members) done.members = finishMembers(load.members);
  return done;
}

function finishMembers(members: MembersBuilder): MemberColumns {
  const updatedMs = shared(Float64Array, members.updatedMs.length);
  updatedMs.set(members.updatedMs);
  const extra: Record<string, StringColumn> = {};
  members.extra.forEach((attribute, e) => (extra[attribute] = members.encoders[e]!.finish()));
  return { sourceIds: members.sourceIds.finish(), updatedMs, extra };
}

function addMember(members: MembersBuilder, row: MemberFields): void {
  members.sourceIds.push(row.source_id);
  members.updatedMs.push(row.updated_ms ?? Number.NaN);
}

function columnKeys(column: StringColumn): NumberedKeys {
  return { ids: column.ids, sizes: column.counts, name: (id) => decode(column, id) };
}

/** Appends rows (in id order) to a load; with `only`, keys outside it are left out. */
function addRows(out: LoadBuilder, rows: ReadonlyArray<RecordRow>, only?: ReadonlySet<string>): void {
  const { fields, values } = out;
  const compared = fields.length - (out.members?.extra.length ?? 0);
  for (const row of rows) {
    out.ids.push(row.id);
    for (let i = 0; i < fields.length; i++) values[i] = row[fields[i]!] ?? null;
    out.columns.add(row.source, values);
    if (out.members) {
      for (let e = 0; e < out.members.encoders.length; e++) out.members.encoders[e]!.push(values[compared + e]);
      addMember(out.members, row);
    }
    addKeys(out, row.block_keys ?? '', only);
  }
}

function addKeys(out: LoadBuilder, text: string, only?: ReadonlySet<string>): void {
  // Only a load numbered here filters keys (loadTouchedRecords): the thread takes every key.
  if (out.keyTexts instanceof KeyTexts) out.keyTexts.add(text, only);
  else out.keyTexts.add(text);
}

/**
 * Appends a packed row (rows come in id order), unless its values do not split into one per
 * attribute (a value holding the separator): then it returns false and appends nothing.
 */
function addPackedRow(out: LoadBuilder, row: PackedRow): boolean {
  const { valueStart, valueEnd } = out;
  const last = out.fields.length + (out.members ? 2 : 0) - 1;
  const text = row.vals;
  let at = 0;
  for (let a = 0; a <= last; a++) {
    const end = text.indexOf(PACKED_SEPARATOR, at);
    if ((end < 0) !== (a === last)) return false;
    valueStart[a] = at;
    valueEnd[a] = end < 0 ? text.length : end;
    at = end + 1;
  }
  out.ids.push(row.id);
  out.columns.addRanges(row.source, text, valueStart, valueEnd);
  if (out.members) {
    const { encoders, sourceIds, updatedMs } = out.members;
    const compared = out.fields.length - encoders.length;
    for (let e = 0; e < encoders.length; e++) encoders[e]!.pushRange(text, valueStart[compared + e]!, valueEnd[compared + e]!);
    sourceIds.pushRange(text, valueStart[last - 1]!, valueEnd[last - 1]!);
    updatedMs.push(valueStart[last] === valueEnd[last] ? Number.NaN : Number(text.slice(valueStart[last], valueEnd[last])));
  }
  addKeys(out, row.block_keys ?? '');
  return true;
}
