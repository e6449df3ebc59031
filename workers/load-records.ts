import { parentPort, workerData } from 'node:worker_threads';
import { connect } from '../src/db/connect.js';
import { loadMatchRecordsPortable, portableLoadTransfers } from '../src/pipeline/load-records.js';
import type { LoadThreadData } from '../src/pipeline/split-load.js';

/**
 * Thread entry: a range of a run's match load (loadMatchRecords) on a connection of its own,
 * sent back whole; the columns are on shared memory, the rest is handed over, not copied.
 */
const { url, settings, range, batchSize, survived } = workerData as LoadThreadData;
const sql = connect(url, { max: 1 });
try {
  const load = await loadMatchRecordsPortable(sql, settings, batchSize, survived, range);
  parentPort!.postMessage(load, portableLoadTransfers(load));
} finally {
  await sql.end({ timeout: 5 });
}
