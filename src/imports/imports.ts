import { newRunId } from '../pipeline/runs.js';
import type { Database } from '../db/client.js';
import { BadJobError } from '../errors.js';
import type { PipelineContext, ProgressReporter } from '../pipeline/context.js';
import { toJson } from '../pipeline/row-hash.js';
import { commitImport, type CommitImportMetrics } from './commit-import.js';
import { validateImportConfig, type ImportConfig } from '../config/import-config.js';
import { reconcileImport, type ReconcileMetrics } from './reconcile-import.js';

/** Queue of acquisition imports: one job per import, on the same workers as runs. */
export const IMPORT_QUEUE = 'import';

export interface ImportPayload {
  reconciliationId: string;
}

/** Records an import before it is queued, so an import that never starts is still visible. */
export async function createImport(database: Database, config: ImportConfig, commit: boolean): Promise<string> {
  // An import's id is also the run id its commit writes on golden versions, events and the cross-reference.
  const id = newRunId(Date.now(), 'i');
  await database.sql`
    insert into reconciliations (id, deployment, name, source, config, commit_requested)
    values (${id}, ${config.master}, ${config.name}, ${config.source.name}, ${toJson(config)}::jsonb, ${commit})`;
  return id;
}

export async function setImportJob(database: Database, id: string, jobId: string): Promise<void> {
  await database.sql`update reconciliations set job_id = ${jobId} where id = ${id}`;
}

export interface ImportMetrics extends Record<string, unknown> {
  reconcile: ReconcileMetrics | null;
  commit: CommitImportMetrics | null;
}

/**
 * The import job: reconcile (again, on a retry, unless it already got that far), then
 * commit when asked. Each step is one idempotent unit, so a retry after a crash anywhere
 * repeats at most the step that did not finish.
 */
export async function processImport(ctx: PipelineContext, id: string, progress: ProgressReporter): Promise<ImportMetrics> {
  const { sql } = ctx.database;
  const [rec] = await sql<{ status: string; config: unknown; commit_requested: boolean }[]>`
    select status, config, commit_requested from reconciliations where id = ${id}`;
  if (!rec) throw new BadJobError(`import ${id} does not exist`);
  if (rec.status === 'rolled_back') throw new BadJobError(`import ${id} was rolled back; start a new import instead`);
  const config = validateImportConfig(rec.config, `import ${id}`);
  await sql`update reconciliations set status = 'running', error = null where id = ${id} and status in ('queued', 'failed', 'running')`;
  const reconcile = rec.status === 'reconciled' || rec.status === 'committed' ? null : await reconcileImport(ctx, id, config, progress);
  const commit = rec.commit_requested ? await commitImport(ctx, id, config) : null;
  progress(1);
  return { reconcile, commit };
}

/** A failed reconciliation fails the import; a failed commit leaves its reconciliation standing, with the error. */
export async function markImportFailed(database: Database, id: string, message: string): Promise<void> {
  await database.sql`
    update reconciliations set error = ${message}, commit_requested = false,
      status = case when status in ('queued', 'running') then 'failed' else status end
    where id = ${id} and status <> 'committed'`;
}

export async function markImportProgress(database: Database, id: string, fraction: number): Promise<void> {
  await database.sql`update reconciliations set progress = ${fraction} where id = ${id}`;
}
