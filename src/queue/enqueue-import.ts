import type { Database } from '../db/client.js';
import { BadJobError } from '../errors.js';
import { createImport, IMPORT_QUEUE, setImportJob } from '../imports/imports.js';
import type { ImportConfig } from '../config/import-config.js';
import type { QueueBackend } from './queue-backend.js';

const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 30 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

/** Records an import and queues its job. Returns the import id. */
export async function enqueueImport(backend: QueueBackend, database: Database, config: ImportConfig, commit: boolean): Promise<string> {
  const id = await createImport(database, config, commit);
  await addImportJob(backend, database, id, id, `import:${config.name}`);
  return id;
}

/** Commits an import that was reconciled as a dry run: the same job, asked to commit this time. */
export async function enqueueImportCommit(backend: QueueBackend, database: Database, id: string): Promise<void> {
  const [rec] = await database.sql<{ name: string; status: string }[]>`
    update reconciliations set commit_requested = true, error = null where id = ${id} and status = 'reconciled' returning name, status`;
  if (!rec) {
    const [state] = await database.sql<{ status: string }[]>`select status from reconciliations where id = ${id}`;
    throw new BadJobError(state ? `import ${id} is ${state.status.replace('_', ' ')}: only a reconciled dry run can be committed` : `import ${id} does not exist`);
  }
  // A job id per request: a commit job that failed for good is kept (for the board), and BullMQ would ignore a second one of the same id.
  await addImportJob(backend, database, id, `${id}.commit.${Date.now().toString(36)}`, `import:${rec.name}:commit`);
}

async function addImportJob(backend: QueueBackend, database: Database, id: string, jobId: string, name: string): Promise<void> {
  const queue = backend.queue(IMPORT_QUEUE);
  try {
    const job = await queue.add(name, { reconciliationId: id }, { ...JOB_OPTIONS, jobId });
    await setImportJob(database, id, job.id!);
  } finally {
    await queue.close();
  }
}
