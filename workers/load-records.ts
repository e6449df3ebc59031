import { parentPort, workerData } from 'node:worker_threads';
import { connect } from '../src/db/client.js';
import { loadMatchRecordsPortable, portableTransfers } from '../src/pipeline/load-records.js';
import type { LoadThreadData } from '../src/pipeline/load-thread.js';

/**
 * Thread entry: a full run's match load (loadMatchRecords) on a connection of its own, sent
 * back whole; the columns are on shared memory, the rest is handed over, not copied.
 */
const { url, settings, batchSize, survived } = workerData as LoadThreadData;
const sql = connect(url, { max: 1 });
try {
  const load = await loadMatchRecordsPortable(sql, settings, batchSize, survived);
  parentPort!.postMessage(load, portableTransfers(load));
} finally {
  await sql.end({ timeout: 5 });
}
