import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Settings } from '../config/settings-schema.js';
import { workerFile } from '../score/thread-pool.js';
import { fromPortableLoad, type LoadedRecords, type PortableLoad } from './load-records.js';

export interface LoadThreadData {
  url: string;
  settings: Settings;
  batchSize?: number;
  survived?: ReadonlyArray<string>;
}

/**
 * loadMatchRecords on a thread of its own, with its own connection. In a goldrun worker the
 * same load ran 30-40% slower on the process's main thread than alone: importing ioredis
 * (BullMQ's client) into the process was enough to make V8 compile the value dictionaries'
 * hot functions worse, and a fresh thread does not import it (docs/benchmarks.md, twenty-fifth
 * pass). Needs a server that takes a second connection: not the embedded database.
 */
export async function loadMatchRecordsOnThread(data: LoadThreadData): Promise<LoadedRecords> {
  const worker = new Worker(workerFile('load-records'), { workerData: data });
  const exited = once(worker, 'exit').then(([code]) => {
    throw new Error(`the match load's thread exited (code ${String(code)}) before sending the records`);
  });
  exited.catch(() => {});
  try {
    // once() rejects on the thread's 'error' (the load's own failure, such as a lost connection).
    const [load] = (await Promise.race([once(worker, 'message'), exited])) as [PortableLoad];
    return fromPortableLoad(load);
  } finally {
    await worker.terminate();
  }
}
