import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Settings } from '../config/settings-schema.js';
import { settingsFingerprint, validateSettings } from '../config/load-settings.js';
import { BadJobError } from '../errors.js';
import type { Database } from '../db/client.js';
import { deployments, runs, runStages, sources } from '../db/schema.js';
import { stageKey, STAGES } from './stages.js';
import { withImportedSources } from '../imports/imported-sources.js';

/** Sortable, readable run ids: r (i for an import) + base36 time + random. */
export function newRunId(now = Date.now(), prefix = 'r'): string {
  return `${prefix}${now.toString(36)}${randomBytes(4).toString('hex')}`;
}

/**
 * Records a run and its stages before anything is queued, so a run that never starts is
 * still visible. Also keeps the deployment's settings for scheduled runs.
 */
export interface RunOptions {
  trigger?: string;
  /** A retried scheduled start names the run it already created. */
  runId?: string;
  /** Rescore every record instead of building on the last completed run. */
  full?: boolean;
}

export async function createRun(database: Database, given: Settings, options: RunOptions = {}): Promise<string> {
  const runId = options.runId ?? newRunId();
  const settings = await withImportedSources(database.sql, given);
  const fingerprint = settingsFingerprint(settings);
  await database.db.transaction(async (tx) => {
    await saveDeployment(tx, settings);
    const inserted = await tx.insert(runs)
      .values({ id: runId, deployment: settings.name, settings, fingerprint, trigger: options.trigger ?? 'cli', full: options.full ?? false })
      .onConflictDoNothing().returning({ id: runs.id });
    // A retried scheduled start names the run it already created.
    if (inserted.length === 0) return;
    const keys = STAGES.flatMap((stage) => {
      if (stage === 'pull') return settings.sources.map((s) => stageKey('pull', s.name));
      if (stage === 'score') return [stage, ...Array.from({ length: settings.run.scoreParts }, (_, k) => stageKey('score', undefined, k))];
      return [stage];
    });
    await tx.insert(runStages).values(keys.map((stage) => ({ runId, stage })));
    for (const source of settings.sources) {
      await tx.insert(sources).values({ deployment: settings.name, name: source.name, kind: source.kind }).onConflictDoNothing();
    }
  });
  return runId;
}

/** Stores the settings a deployment's scheduled runs will use. */
export async function saveDeployment(db: Pick<Database['db'], 'insert'>, settings: Settings): Promise<void> {
  const fingerprint = settingsFingerprint(settings);
  await db.insert(deployments).values({ name: settings.name, settings, fingerprint })
    .onConflictDoUpdate({ target: deployments.name, set: { settings, fingerprint, updatedAt: new Date() } });
}

export async function setFlowJobId(database: Database, runId: string, jobId: string): Promise<void> {
  await database.db.update(runs).set({ flowJobId: jobId }).where(eq(runs.id, runId));
}

/** The settings a run was started with (a snapshot: editing the YAML later does not change a running run). */
export async function runSettings(database: Database, runId: string): Promise<Settings> {
  const [row] = await database.db.select({ settings: runs.settings }).from(runs).where(eq(runs.id, runId));
  if (!row) throw new BadJobError(`run ${runId} does not exist`);
  return validateSettings(row.settings, { label: `run ${runId} settings` });
}

export async function deploymentSettings(database: Database, name: string): Promise<Settings> {
  const [row] = await database.db.select({ settings: deployments.settings }).from(deployments).where(eq(deployments.name, name));
  if (!row) throw new BadJobError(`deployment ${name} is unknown: run \`goldrun schedule --config <file>\` again`);
  return validateSettings(row.settings, { label: `deployment ${name}` });
}
