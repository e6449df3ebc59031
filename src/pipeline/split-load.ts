import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Settings } from '../config/settings-schema.js';
import type { Database, Sql } from '../db/client.js';
import { workerFile } from '../score/thread-pool.js';
import { liveCustomer } from './incremental.js';
import { loadMatchRecords, loadMatchRecordsInHalves, type IdRange, type LoadedRecords, type PortableLoad } from './load-records.js';

/** What the later half's thread (workers/load-records) is given. */
export interface LoadThreadData {
  url: string;
  settings: Settings;
  range: IdRange;
  batchSize?: number;
  survived?: ReadonlyArray<string>;
}

/** What a whole load needs of the database: a connection, and whether and where to open another. */
export type LoadingDatabase = Pick<Database, 'sql' | 'url' | 'bulkCopy'>;

export interface WholeLoadOptions {
  batchSize?: number;
  survived?: ReadonlyArray<string>;
  /** Split only when the live customer records' ids span at least this many (default 200,000). */
  splitFrom?: number;
}

/**
 * A run's whole match load (loadMatchRecords), in two halves by record id read side by side
 * when the records are many and the server takes a second connection (not the embedded
 * database): the loading thread and its key thread kept one core and a half busy, and the
 * other half core idled for most of a million-record load (docs/benchmarks.md, twenty-sixth
 * pass). The result is the same whichever way it is read.
 */
export async function loadWholeRun(database: LoadingDatabase, settings: Settings, options: WholeLoadOptions = {}): Promise<LoadedRecords> {
  const { sql } = database;
  const splitAt = database.bulkCopy ? await splitPoint(sql, settings, options.splitFrom ?? 200_000) : null;
  if (splitAt === null) return loadMatchRecords(sql, settings, options.batchSize, options.survived);
  const later = loadOnThread({ url: database.url, settings, range: { after: splitAt, upTo: null }, batchSize: options.batchSize, survived: options.survived });
  try {
    return await loadMatchRecordsInHalves(sql, settings, splitAt, later.load, options.batchSize, options.survived);
  } finally {
    await later.stop();
  }
}

/** The middle of the live customer records' ids, or null when they span fewer than `from`. */
export async function splitPoint(sql: Sql, settings: Settings, from: number): Promise<number | null> {
  const [span] = await sql<{ lo: number | null; hi: number | null }[]>`
    select min(id)::float8 as lo, max(id)::float8 as hi from source_records r where ${liveCustomer(sql, settings)}`;
  if (!span || span.lo === null || span.hi === null || span.hi - span.lo + 1 < Math.max(2, from)) return null;
  return Math.floor((span.lo + span.hi) / 2);
}

/** loadMatchRecordsPortable over `data.range` on a thread of its own, with its own connection. */
function loadOnThread(data: LoadThreadData): { load: Promise<PortableLoad>; stop: () => Promise<void> } {
  const worker = new Worker(workerFile('load-records'), { workerData: data });
  const exited = once(worker, 'exit').then(([code]) => {
    throw new Error(`the match load's thread exited (code ${String(code)}) before sending its records`);
  });
  // once() rejects on the thread's 'error' (the load's own failure, such as a lost connection).
  const load = Promise.race([once(worker, 'message'), exited]).then(([message]) => message as PortableLoad);
  // Awaited only once this thread's own half is in: a failure before then must not go unhandled.
  load.catch(() => {});
  return { load, stop: async () => void (await worker.terminate()) };
}
