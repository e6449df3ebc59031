import type { Settings } from '../config/settings-schema.js';
import type { Database } from '../db/client.js';
import { createRun, runSettings, setFlowJobId, type RunOptions } from '../pipeline/runs.js';
import type { QueueBackend } from './queue-backend.js';
import { runFlow } from './run-flow.js';

/** Records a run, then queues its flow. Returns the run id. */
export async function enqueueRun(backend: QueueBackend, database: Database, settings: Settings, options: RunOptions = {}): Promise<string> {
  const runId = await createRun(database, settings, options);
  const producer = backend.flowProducer();
  try {
    // The run's own settings: with the sources committed imports added.
    const node = await producer.add(runFlow(runId, await runSettings(database, runId)));
    await setFlowJobId(database, runId, node.job.id!);
  } finally {
    await producer.close();
  }
  return runId;
}
