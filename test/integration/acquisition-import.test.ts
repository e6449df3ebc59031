import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followRun } from '../../src/cli/follow-run.js';
import { loadSettings } from '../../src/config/load-settings.js';
import type { Settings } from '../../src/config/settings-schema.js';
import { goldenIdsByTruth } from '../../bench/quality.js';
import { acquisitionAccuracy } from '../../src/evaluate/acquisition-accuracy.js';
import { writeAcquisition, type AcquisitionManifest } from '../../src/generate/acquisition.js';
import { writeDataset } from '../../src/generate/dataset.js';
import { enqueueImport, enqueueImportCommit } from '../../src/queue/enqueue-import.js';
import { enqueueRun } from '../../src/queue/enqueue-run.js';
import { commitRun } from '../../src/pipeline/commit-run.js';
import { createRun } from '../../src/pipeline/runs.js';
import { loadImportConfig, type ImportConfig } from '../../src/config/import-config.js';
import { importState, loadReconciliationReport } from '../../src/imports/load-report.js';
import { RECONCILIATION_CSV_COLUMNS, reconciliationCsv } from '../../src/reconcile/report-csv.js';
import { rollbackImport } from '../../src/imports/rollback-import.js';
import type { ReconciliationReport } from '../../src/reconcile/types.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { createTestDatabase, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

const MASTER = { records: 1500, systems: 3, seed: 11 };
const ACQUIRED = { records: 500, overlap: 0.4, seed: 5 };

/** The master's tables, every row and column, in key order: what a dry run and a rollback must leave as they were. */
const MASTER_TABLES = {
  golden_records: 'golden_id',
  golden_versions: 'golden_id, version',
  golden_events: 'id',
  xref: 'deployment, source, source_id',
  source_records: 'id',
  sources: 'deployment, name',
  match_decisions: 'deployment, left_source, left_source_id, right_source, right_source_id',
} as const;

/**
 * An acquisition on generated data: a master of 1,500 customers in three systems, and an
 * acquired company's account file (its own schema, two contacts to some accounts) of 500
 * customers, 40% of them ours. The dry run is scored against the generator's truth, then
 * committed, rolled back (the master compared row by row), committed again and run over.
 */
describe('acquisition import', () => {
  let db: TestDatabase;
  let redis: ReturnType<typeof redisPrefix>;
  let pipeline: TestPipeline;
  let sql: postgres.Sql;
  let dir: string;
  let settings: Settings;
  let config: ImportConfig;
  let manifest: AcquisitionManifest;
  let dryRun: ReconciliationReport;

  const snapshot = async () => {
    const out: Record<string, string> = {};
    for (const [table, key] of Object.entries(MASTER_TABLES)) {
      const rows = await sql.unsafe(`select to_jsonb(t) as row from ${table} t order by ${key}`);
      out[table] = JSON.stringify(rows.map((r) => r.row));
    }
    return out;
  };

  async function runImport(commit: boolean): Promise<string> {
    const id = await enqueueImport(pipeline.queues, pipeline.database, config, commit);
    return waitFor(id, commit ? 'committed' : 'reconciled');
  }

  async function waitFor(id: string, status: string): Promise<string> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const state = (await importState(sql, id))!;
      if (state.status === status) {
        expect(state.error).toBeNull();
        return id;
      }
      if (state.status === 'failed' || state.error || Date.now() > deadline) throw new Error(`import ${id}: ${state.status} ${state.error ?? ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function waitForError(id: string, message: RegExp): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const state = (await importState(sql, id))!;
      if (state.error) {
        expect(state.error).toMatch(message);
        return;
      }
      if (Date.now() > deadline) throw new Error(`import ${id} is ${state.status} without an error`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function masterRun(): Promise<string> {
    const runId = await enqueueRun(pipeline.queues, pipeline.database, settings);
    const summary = await followRun(pipeline.database, runId, { timeoutMs: 180_000, pollMs: 100 });
    expect(summary.error).toBeNull();
    expect(summary.status).toBe('completed');
    return runId;
  }

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    redis = redisPrefix();
    sql = postgres(db.url, { max: 2, onnotice: () => {} });
    pipeline = await startTestPipeline({ databaseUrl: db.url, queue: { kind: 'redis', prefix: redis.prefix } });
    dir = await mkdtemp(join(tmpdir(), 'goldrun-acquisition-'));
    await writeDataset({ ...MASTER, out: dir });
    manifest = await writeAcquisition({ master: MASTER, out: dir, ...ACQUIRED });
    settings = await loadSettings(join(dir, 'settings.yaml'));
    config = await loadImportConfig(join(dir, manifest.config));
    await masterRun();
  }, 300_000);

  afterAll(async () => {
    await pipeline?.close();
    await sql?.end();
    await db?.drop();
    await redis?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a dry run reconciles every acquired record against truth and leaves the master as it was', async () => {
    const before = await snapshot();
    const id = await runImport(false);
    expect(await snapshot()).toEqual(before);
    dryRun = await loadReconciliationReport(sql, id);

    // Truth: which golden record holds each true customer of the master.
    const goldenOf = await goldenIdsByTruth(sql, 'true_customer_id');
    const items = new Map(dryRun.items.filter((i) => i.sourceId !== null).map((i) => [i.sourceId!, i]));
    for (const truth of manifest.items.filter((t) => t.expected === 'not_customer' || t.expected === 'quarantined')) {
      const item = items.get(truth.sourceId) ?? dryRun.items.find((i) => i.rowNumber === truth.rowNumber && i.status === truth.expected);
      expect(item?.status, truth.sourceId).toBe(truth.expected);
    }
    const scored = acquisitionAccuracy(manifest.items, dryRun.items, goldenOf);
    console.info(`acquisition dry run: ${scored.customers} customer records, accuracy ${scored.accuracy.toFixed(4)}, ambiguous ${scored.ambiguous}, counts ${JSON.stringify(dryRun.counts.byStatus)}`);
    expect(scored.customers).toBe(manifest.records);
    expect(scored.accuracy, scored.wrong.join('\n')).toBeGreaterThanOrEqual(0.99);
    expect(scored.ambiguous / scored.customers).toBeLessThan(0.01);
    // The file's own duplicates are found as such (a group of two needs only one to be the duplicate).
    const dups = manifest.items.filter((t) => t.expected === 'duplicate');
    expect(dups.length).toBeGreaterThan(0);
    const found = dups.filter((t) => items.get(t.sourceId)?.status === 'duplicate' || items.get(t.duplicateOf!)?.status === 'duplicate');
    expect(found.length / dups.length).toBeGreaterThanOrEqual(0.95);
    expect(dryRun.counts.byStatus.matched).toBeGreaterThan(0);
    expect(dryRun.counts.byStatus.new).toBeGreaterThan(0);
  });

  it('reports a conflict for every attribute that changed for real, with both values and which is newer', async () => {
    const items = new Map(dryRun.items.map((i) => [i.sourceId, i]));
    const golden = new Map((await sql<{ golden_id: string; attrs: Record<string, string | null> }[]>`
      select golden_id, attrs from golden_records`).map((g) => [g.golden_id, g.attrs]));
    let checked = 0;
    const newer = { ours: 0, theirs: 0, same: 0, unknown: 0 };
    for (const truth of manifest.items.filter((t) => t.changed.length > 0)) {
      const item = items.get(truth.sourceId)!;
      if (item.status !== 'matched') continue;
      for (const attribute of truth.changed) {
        // Only where both sides hold a value: one side missing is coverage, not a conflict.
        if (!item.attrs[attribute] || !golden.get(item.goldenId!)![attribute]) continue;
        const conflict = item.conflicts.find((c) => c.attribute === attribute);
        expect(conflict, `${truth.sourceId} ${attribute}`).toBeDefined();
        expect(conflict!.theirs).toBe(item.attrs[attribute]);
        expect(conflict!.ours).toBe(golden.get(item.goldenId!)![attribute]);
        expect(conflict!.ours).not.toBe(conflict!.theirs);
        newer[conflict!.newer]++;
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    console.info(`conflicts on attributes changed for real: ${checked}, newer ${JSON.stringify(newer)}`);
    // The acquired company recorded those changes in 2026, after the master's systems last did.
    expect(newer.theirs / checked).toBeGreaterThanOrEqual(0.95);
    expect(dryRun.counts.withConflicts).toBeGreaterThan(0);
    expect(dryRun.coverage.find((c) => c.attribute === 'lastName')).toMatchObject({ mapped: true, verdict: 'good' });
  });

  it('exports a CSV with the documented columns, one row per acquired record', () => {
    const rows = parseCsv(reconciliationCsv(dryRun), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(dryRun.items.length);
    expect(Object.keys(rows[0]!).slice(0, RECONCILIATION_CSV_COLUMNS.length)).toEqual([...RECONCILIATION_CSV_COLUMNS]);
    const matched = rows.find((r) => r.status === 'matched')!;
    expect(matched.golden_id).toMatch(/^GR/);
    expect(Number(matched.probability)).toBeGreaterThanOrEqual(0.9);
  });

  it('commits the dry run, then rolls it back to exactly the master as it was', async () => {
    const before = await snapshot();
    await enqueueImportCommit(pipeline.queues, pipeline.database, dryRun.id);
    await waitFor(dryRun.id, 'committed');
    const [acquired] = await sql<{ n: number }[]>`select count(*)::int as n from source_records where source = ${config.source.name}`;
    const [readable] = await sql<{ n: number }[]>`select count(*)::int as n from reconciliation_items where reconciliation_id = ${dryRun.id} and raw is not null`;
    expect(acquired!.n).toBe(readable!.n);
    expect(acquired!.n).toBeGreaterThan(dryRun.counts.total * 0.9);
    const linked = await sql<{ source_id: string; golden_id: string }[]>`select source_id, golden_id from xref where source = ${config.source.name} and status = 'linked'`;
    const bySource = new Map(linked.map((l) => [l.source_id, l.golden_id]));
    for (const item of dryRun.items.filter((i) => i.status === 'matched')) expect(bySource.get(item.sourceId!)).toBe(item.goldenId);
    const matchedGolden = dryRun.items.find((i) => i.status === 'matched')!.goldenId!;
    const [g] = await sql<{ version: number; updated_run_id: string }[]>`select version, updated_run_id from golden_records where golden_id = ${matchedGolden}`;
    expect(g!.updated_run_id).toBe(dryRun.id);
    const [minted] = await sql<{ n: number }[]>`select count(*)::int as n from golden_records where created_run_id = ${dryRun.id}`;
    expect(minted!.n).toBe(dryRun.counts.byStatus.new + dryRun.counts.byStatus.ambiguous);
    expect(await snapshot()).not.toEqual(before);

    const undone = await rollbackImport(pipeline.database, dryRun.id);
    expect(undone.goldenRemoved).toBe(minted!.n);
    expect(await snapshot()).toEqual(before);
    expect((await importState(sql, dryRun.id))!.status).toBe('rolled_back');
  });

  it('refuses to commit a reconciliation the master has moved on from, or while a run is in progress', async () => {
    const first = await runImport(false);
    const second = await runImport(false);
    const queued = await createRun(pipeline.database, settings);
    await enqueueImportCommit(pipeline.queues, pipeline.database, first);
    await waitForError(first, new RegExp(`run ${queued} of .* is queued: commit import ${first} once it has finished`));
    await sql`update runs set status = 'failed' where id = ${queued}`;
    await enqueueImportCommit(pipeline.queues, pipeline.database, first);
    await waitFor(first, 'committed');
    await enqueueImportCommit(pipeline.queues, pipeline.database, second);
    await waitForError(second, /the master changed since import .* was reconciled \(an import was committed or rolled back\)/);
    expect((await importState(sql, second))!.status).toBe('reconciled');

    // A run that started before the commit does not commit golden records made without its records.
    const stale = await createRun(pipeline.database, settings);
    await sql`update runs set settings = ${sql.json(JSON.parse(JSON.stringify(settings)))} where id = ${stale}`;
    await expect(commitRun(pipeline.ctx, stale, () => {})).rejects.toThrow(/committed imports changed while run .* ran/);
    await sql`update runs set status = 'failed' where id = ${stale}`;
    await rollbackImport(pipeline.database, first);
  });

  it('a committed import joins the master: later runs keep its records without reading its file, and it can no longer be rolled back', async () => {
    const id = await runImport(true);
    const report = await loadReconciliationReport(sql, id);
    expect(report.counts.byStatus).toEqual(dryRun.counts.byStatus);
    await rm(join(dir, 'acquired.csv'));
    const runId = await masterRun();
    const [run] = await sql<{ settings: Settings }[]>`select settings from runs where id = ${runId}`;
    expect(run!.settings.sources.map((s) => s.kind)).toContain('imported');
    const [linked] = await sql<{ n: number }[]>`
      select count(*)::int as n from xref x join golden_records g on g.golden_id = x.golden_id and g.status = 'active'
      where x.source = ${config.source.name} and x.status = 'linked'`;
    expect(linked!.n).toBe(report.items.filter((i) => ['matched', 'new', 'ambiguous', 'duplicate'].includes(i.status)).length);
    await expect(rollbackImport(pipeline.database, id)).rejects.toThrow(new RegExp(`run ${runId} committed on .* after import ${id}`));
  });
});
