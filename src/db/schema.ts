import {
  bigint, bigserial, boolean, customType, doublePrecision, index, integer, json, jsonb, pgTable, pgView, primaryKey, real, smallint, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * Golden ids, compared and sorted byte by byte whatever the database's collation: under a
 * locale's (even C.UTF-8, which Postgres 15 does not take for C) text sorts through strcoll
 * without abbreviated keys, and a first load's indexes on a million golden ids took twice as
 * long to build (docs/benchmarks.md). Every column holding one is declared so, so that
 * golden ids compare, join and sort alike wherever they are.
 */
const goldenIdText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * A deployment's settings as last submitted by `goldrun run` or `goldrun schedule`:
 * scheduled runs start from this snapshot, so a worker never needs the YAML file.
 */
export const deployments = pgTable('deployments', {
  name: text('name').primaryKey(),
  settings: jsonb('settings').notNull(),
  fingerprint: text('fingerprint').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const runs = pgTable('runs', {
  id: text('id').primaryKey(),
  deployment: text('deployment').notNull(),
  /** 'match' for the nightly pipeline; 'import' for acquisitions (later). */
  kind: text('kind').notNull().default('match'),
  /** queued → running → completed | failed */
  status: text('status').notNull().default('queued'),
  settings: jsonb('settings').notNull(),
  fingerprint: text('fingerprint').notNull(),
  /** The BullMQ job id of the flow's root, to find the run's jobs on the board. */
  flowJobId: text('flow_job_id'),
  trigger: text('trigger').notNull().default('cli'),
  /** Asked to rescore every record (goldrun run --full) rather than only what changed. */
  full: boolean('full').notNull().default(false),
  /** The completed run an incremental run builds on (its pairs and golden records), decided by the block stage. */
  baseRunId: text('base_run_id'),
  counts: jsonb('counts').$type<Record<string, unknown>>().notNull().default({}),
  error: text('error'),
  createdAt: createdAt(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  /**
   * A completed run's commit time as its transaction saw it (now(), the transaction's start):
   * an incremental run counts records changed after it, so it errs early. The run itself ends
   * with its last stage (run_stages.finished_at), which its duration is taken to.
   */
  finishedAt: timestamp('finished_at', { withTimezone: true }),
}, (t) => [index('runs_created_idx').on(t.deployment, t.createdAt)]);

/** One row per stage (and per source for pulls): timings, attempts, progress and metrics. */
export const runStages = pgTable('run_stages', {
  runId: text('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  stage: text('stage').notNull(),
  status: text('status').notNull().default('waiting'),
  attempts: integer('attempts').notNull().default(0),
  progress: real('progress').notNull().default(0),
  metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull().default({}),
  error: text('error'),
  jobId: text('job_id'),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  durationMs: integer('duration_ms'),
}, (t) => [primaryKey({ columns: [t.runId, t.stage] })]);

/** A connected system of a deployment and its incremental-pull watermark. */
export const sources = pgTable('sources', {
  deployment: text('deployment').notNull(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  /** Highest updated-at value (or cursor) pulled so far; text so it holds timestamps and opaque cursors alike. */
  watermark: text('watermark'),
  lastRunId: text('last_run_id'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.deployment, t.name] })]);

/**
 * Every record pulled, with its standardized attributes and blocking keys. The wide columns
 * (raw, attrs, issues, block_keys) take no planner statistics (migration 0022, hand-written:
 * drizzle-kit does not model them): nothing filters or joins on them.
 */
export const sourceRecords = pgTable('source_records', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  deployment: text('deployment').notNull(),
  source: text('source').notNull(),
  sourceId: text('source_id').notNull(),
  /** Line or position in the last pull, so errors can name the row. */
  rowNumber: integer('row_number'),
  /**
   * The row as the source gave it. json, not jsonb, as is `issues`: both are only ever written
   * and read whole, and Postgres took a million pulled rows' two columns in about a third faster
   * as json (migration 0023; docs/benchmarks.md).
   */
  raw: json('raw').$type<Record<string, unknown>>().notNull(),
  contentHash: text('content_hash').notNull(),
  sourceUpdatedAt: timestamp('source_updated_at', { withTimezone: true }),
  /** Standardized canonical attributes. */
  attrs: jsonb('attrs').$type<Record<string, string | null>>(),
  /** content hash + settings fingerprint the attrs were computed from; stale when either changes. */
  stdKey: text('std_key'),
  /** 'customer', 'excluded' (not a customer: meter, test account) or 'quarantined'. */
  recordClass: text('record_class').notNull().default('customer'),
  classReason: text('class_reason'),
  issues: json('issues').$type<Array<{ field: string; column: string; reason: string }>>(),
  /** Blocking keys, "rule:key", for candidate-pair generation and incremental re-blocking. */
  blockKeys: text('block_keys').array(),
  /** Settings fingerprint the block keys were computed with. */
  blockStamp: text('block_stamp'),
  firstRunId: text('first_run_id').notNull(),
  lastRunId: text('last_run_id').notNull(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('source_records_source_id_idx').on(t.deployment, t.source, t.sourceId),
  // An incremental run looks up the records changed since its base: a few in a million.
  index('source_records_updated_idx').on(t.updatedAt),
  index('source_records_last_run_idx').on(t.lastRunId),
  // The commit marks the cross-reference of deleted records: a few, found without a scan.
  index('source_records_deleted_idx').on(t.deployment).where(sql`${t.deletedAt} is not null`),
  // The commit cross-references records that are not customers (meters, test accounts): a
  // few in a thousand. Without it, a scan of a million records (0.73 s) inside the commit.
  index('source_records_not_customer_idx').on(t.deployment).where(sql`${t.recordClass} <> 'customer'`),
]);

/** Rows that could not be taken in, with the reason; nothing is dropped silently. */
export const quarantinedRows = pgTable('quarantined_rows', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  runId: text('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  source: text('source').notNull(),
  rowNumber: integer('row_number').notNull(),
  sourceId: text('source_id'),
  field: text('field').notNull().default(''),
  reason: text('reason').notNull(),
  raw: jsonb('raw'),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('quarantined_rows_key_idx').on(t.runId, t.source, t.rowNumber, t.field)]);

/** Fellegi–Sunter parameters trained (or pinned) for a run. */
export const runModels = pgTable('run_models', {
  runId: text('run_id').primaryKey().references(() => runs.id, { onDelete: 'cascade' }),
  params: jsonb('params').notNull(),
  trainedOnPairs: bigint('trained_on_pairs', { mode: 'number' }).notNull(),
  iterations: integer('iterations').notNull(),
  converged: boolean('converged').notNull(),
  /** sessions, candidates, or file (pinned in settings, not trained). */
  method: text('method').notNull().default('candidates'),
  /** Per training session: the blocking rule, its pairs, and what it left out. */
  sessions: jsonb('sessions').notNull().default([]),
  createdAt: createdAt(),
});

/**
 * Scored candidate pairs at or above the review threshold. left_id < right_id.
 *
 * The run is not a foreign key, as for the staging tables below: its check is a trigger per
 * row, and a score part writes its pairs only for a run it has read. COPY of a 1M run's
 * 234,312 pairs took 2.0-2.1 s with it against 0.7-0.8 s without, and the score stage 2.6 s
 * against 1.9 s (docs/benchmarks.md). No run is ever deleted; one that deletes runs must
 * delete their pairs.
 */
export const matchPairs = pgTable('match_pairs', {
  runId: text('run_id').notNull(),
  leftId: bigint('left_id', { mode: 'number' }).notNull(),
  rightId: bigint('right_id', { mode: 'number' }).notNull(),
  weight: real('weight').notNull(),
  probability: doublePrecision('probability').notNull(),
  /** 'match' (linked) or 'review' (possible match, for a person to decide). */
  band: text('band').notNull(),
  /** The score part that found the pair: a retried part replaces only its own pairs. */
  part: smallint('part').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.runId, t.leftId, t.rightId] })]);

/**
 * Staging for an incremental run: the live customer records sharing a blocking key with a
 * record changed since its base, found once by the block stage (a scan of every key) and
 * loaded by the score stage.
 *
 * The staging tables (this one, run_clusters, run_golden, run_xref) reference their run
 * without a foreign key: its check is a trigger per row, 3.5 s of a million staged clusters
 * (measured 5.3 s against 1.8 s). Stages stage only for a run they have read, the commit
 * removes what its run staged (clearStaging), and no run is ever deleted; one that deletes
 * runs must delete their staging.
 */
export const runTouchedRecords = pgTable('run_touched_records', {
  runId: text('run_id').notNull(),
  recordId: bigint('record_id', { mode: 'number' }).notNull(),
}, (t) => [primaryKey({ columns: [t.runId, t.recordId] })]);

/**
 * Staging: the cluster each live customer record falls in for a run (cluster key = smallest
 * record id). No key on (run, record): every read is by cluster, and its upkeep was two of
 * the cluster stage's six seconds at a million records, rows arriving in cluster order. The
 * stage writes each record once; the survive stage counts the members it reads against the
 * rows the stage reported, so a record staged twice fails the run instead of a golden record.
 */
export const runClusters = pgTable('run_clusters', {
  runId: text('run_id').notNull(),
  recordId: bigint('record_id', { mode: 'number' }).notNull(),
  clusterKey: bigint('cluster_key', { mode: 'number' }).notNull(),
}, (t) => [index('run_clusters_cluster_idx').on(t.runId, t.clusterKey)]);

/** Staging: survived attributes per cluster, promoted to golden_records by the commit stage. */
export const runGolden = pgTable('run_golden', {
  runId: text('run_id').notNull(),
  clusterKey: bigint('cluster_key', { mode: 'number' }).notNull(),
  attrs: jsonb('attrs').$type<Record<string, string | null>>().notNull(),
  lineage: json('lineage').notNull(),
  memberCount: integer('member_count').notNull(),
  contentHash: text('content_hash').notNull(),
  /**
   * The golden id the cluster gets if it keeps none (mintGoldenId), made while surviving: a
   * first load takes every one of them in SQL. Null on rows staged before the column came.
   */
  mintedId: goldenIdText('minted_id'),
}, (t) => [primaryKey({ columns: [t.runId, t.clusterKey] })]);

/**
 * Staging: each clustered record of a run with what its cross-reference row needs (source,
 * source id, the id survive minted for its cluster), joined from run_clusters, source_records
 * and run_golden on a connection of its own while the commit's transaction writes the golden
 * records, so the transaction's cross-reference insert reads one narrow table (see stageXref).
 */
export const runXref = pgTable('run_xref', {
  runId: text('run_id').notNull(),
  clusterKey: bigint('cluster_key', { mode: 'number' }).notNull(),
  source: text('source').notNull(),
  sourceId: text('source_id').notNull(),
  sourceRecordId: bigint('source_record_id', { mode: 'number' }).notNull(),
  mintedId: goldenIdText('minted_id'),
}, (t) => [index('run_xref_run_idx').on(t.runId)]);

export const goldenRecords = pgTable('golden_records', {
  goldenId: goldenIdText('golden_id').primaryKey(),
  deployment: text('deployment').notNull(),
  /** person for now; organization and household come with the customer definition. */
  entityType: text('entity_type').notNull().default('person'),
  /** 'active' or 'retired' (merged into another, or no live source left). */
  status: text('status').notNull().default('active'),
  attrs: jsonb('attrs').$type<Record<string, string | null>>().notNull(),
  /**
   * Per attribute: the source system, source record and rule that chose the value. json, not
   * jsonb: only ever written and read whole, and a kilobyte per record that Postgres took
   * ~35% longer to take in as jsonb (staging and committing a million golden records).
   */
  lineage: json('lineage').notNull(),
  contentHash: text('content_hash').notNull(),
  memberCount: integer('member_count').notNull(),
  mergedInto: goldenIdText('merged_into'),
  /** Customer status from activity (active, lapsed, …): reserved for the customer definition. */
  customerStatus: text('customer_status'),
  version: integer('version').notNull().default(1),
  createdRunId: text('created_run_id').notNull(),
  updatedRunId: text('updated_run_id').notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('golden_records_deployment_idx').on(t.deployment, t.status),
  // golden_history's versions of one run (a run's changes): a handful of a million on an incremental run.
  index('golden_records_updated_run_idx').on(t.updatedRunId),
]);

/** A version's columns: golden_versions' and golden_history's, which reads as it. */
const versionColumns = () => ({
  goldenId: goldenIdText('golden_id').notNull(),
  version: integer('version').notNull(),
  deployment: text('deployment').notNull(),
  runId: text('run_id').notNull(),
  /** 'created', 'updated' or 'retired'. */
  change: text('change').notNull(),
  status: text('status').notNull(),
  attrs: jsonb('attrs').$type<Record<string, string | null>>().notNull(),
  lineage: json('lineage').notNull(),
  memberCount: integer('member_count').notNull(),
  mergedInto: goldenIdText('merged_into'),
  validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
  validTo: timestamp('valid_to', { withTimezone: true }),
});

/**
 * The versions a golden record has had before its current one, one row per change a commit
 * made (created, updated, retired); the current version is the golden_records row itself,
 * and golden_history shows both. A trigger on golden_records (migration 0017) copies a
 * golden record here, as it stood, when an update moves its version on, so that no writer
 * can forget it. Keeping the current version here as well copied every golden record: 3.5 s of
 * a first commit of a million, and as much storage again (docs/benchmarks.md).
 */
export const goldenVersions = pgTable('golden_versions', {
  ...versionColumns(),
  validFrom: timestamp('valid_from', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.goldenId, t.version] }), index('golden_versions_run_idx').on(t.runId)]);

/**
 * Every version of every golden record, past (golden_versions) and current (golden_records,
 * worded as its version row would be: valid_to null). Read this for history, not either table.
 */
export const goldenHistory = pgView('golden_history', versionColumns()).as(sql`
  select golden_id, version, deployment, run_id, change, status, attrs, lineage, member_count, merged_into, valid_from, valid_to
  from golden_versions
  union all
  select golden_id, version, deployment, updated_run_id,
    case when status = 'retired' then 'retired' when version = 1 then 'created' else 'updated' end,
    status, attrs, lineage, member_count, merged_into, updated_at, null::timestamptz
  from golden_records`);

/**
 * What happened to golden ids and why: mint (a new entity), split (minted for part of an
 * existing entity, related_id = the id the rest kept), merge (retired, related_id = the id
 * it merged into), retire (no live source record left). Downstream systems follow a
 * retired id to its successor here.
 */
export const goldenEvents = pgTable('golden_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  deployment: text('deployment').notNull(),
  runId: text('run_id').notNull(),
  event: text('event').notNull(),
  goldenId: goldenIdText('golden_id').notNull(),
  relatedId: goldenIdText('related_id'),
  /** Source records involved: the new entity's, or those that moved. */
  records: integer('records').notNull(),
  reason: text('reason').notNull(),
  createdAt: createdAt(),
}, (t) => [
  index('golden_events_golden_idx').on(t.goldenId),
  // Only splits and merges name another id: a first load's mint events, one per golden
  // record (796,730 at a million records), left as many nulls to index inside its commit.
  index('golden_events_related_idx').on(t.relatedId).where(sql`${t.relatedId} is not null`),
  index('golden_events_run_idx').on(t.runId),
]);

/**
 * An operator's decision on a pair of source records, kept across runs: 'same' links them
 * (must-link) and 'different' keeps them apart (cannot-link) in every later run's clusters.
 * Keyed by source ids, which outlive record ids; the pair is stored in (source, id) order,
 * and a later decision on the same pair replaces the earlier one.
 */
export const matchDecisions = pgTable('match_decisions', {
  deployment: text('deployment').notNull(),
  leftSource: text('left_source').notNull(),
  leftSourceId: text('left_source_id').notNull(),
  rightSource: text('right_source').notNull(),
  rightSourceId: text('right_source_id').notNull(),
  /** 'same' or 'different'. */
  decision: text('decision').notNull(),
  decidedBy: text('decided_by').notNull(),
  /** Why, in the operator's words, or the golden record a manual split came from. */
  note: text('note'),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.deployment, t.leftSource, t.leftSourceId, t.rightSource, t.rightSourceId] })]);

/** Cross-reference: which golden record each source record belongs to. */
export const xref = pgTable('xref', {
  deployment: text('deployment').notNull(),
  source: text('source').notNull(),
  sourceId: text('source_id').notNull(),
  sourceRecordId: bigint('source_record_id', { mode: 'number' }).notNull(),
  /** Null for records that are not customers (excluded) or were quarantined. */
  goldenId: goldenIdText('golden_id'),
  status: text('status').notNull().default('linked'),
  runId: text('run_id').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.deployment, t.source, t.sourceId] }),
  index('xref_golden_idx').on(t.goldenId),
  uniqueIndex('xref_record_idx').on(t.sourceRecordId),
]);

/**
 * An acquisition import (`goldrun import`): the acquired source reconciled against a
 * deployment's golden records. A dry run stops at `reconciled`; `--commit` brings the
 * records into the master (`committed`), which `goldrun import rollback` undoes exactly
 * (`rolled_back`). The id is also the run id its commit writes on golden versions,
 * events, the cross-reference and source records.
 */
export const reconciliations = pgTable('reconciliations', {
  id: text('id').primaryKey(),
  deployment: text('deployment').notNull(),
  /** The import's name (from its config). */
  name: text('name').notNull(),
  source: text('source').notNull(),
  /** The import config as validated (its source settings become the deployment's imported source). */
  config: jsonb('config').notNull(),
  /** queued → running → reconciled | committed | failed; committed → rolled_back. */
  status: text('status').notNull().default('queued'),
  commitRequested: boolean('commit_requested').notNull().default(false),
  /** The master as the reconciliation read it: its latest completed run, and the imports committed since (ids, sorted). A commit refuses if either changed. */
  masterRunId: text('master_run_id'),
  masterImports: text('master_imports').array(),
  counts: jsonb('counts').$type<Record<string, unknown>>().notNull().default({}),
  coverage: jsonb('coverage').notNull().default([]),
  thresholds: jsonb('thresholds').$type<{ match: number; review: number }>(),
  progress: real('progress').notNull().default(0),
  jobId: text('job_id'),
  error: text('error'),
  createdAt: createdAt(),
  reconciledAt: timestamp('reconciled_at', { withTimezone: true }),
  committedAt: timestamp('committed_at', { withTimezone: true }),
  rolledBackAt: timestamp('rolled_back_at', { withTimezone: true }),
}, (t) => [index('reconciliations_deployment_idx').on(t.deployment, t.createdAt)]);

/** One per record (or unreadable row) of the acquired source: what it is to the master. */
export const reconciliationItems = pgTable('reconciliation_items', {
  reconciliationId: text('reconciliation_id').notNull().references(() => reconciliations.id, { onDelete: 'cascade' }),
  itemNo: integer('item_no').notNull(),
  sourceId: text('source_id'),
  rowNumber: integer('row_number').notNull(),
  /** matched, new, ambiguous, duplicate, not_customer or quarantined. */
  status: text('status').notNull(),
  goldenId: goldenIdText('golden_id'),
  probability: doublePrecision('probability'),
  candidates: jsonb('candidates').notNull().default([]),
  duplicateOf: text('duplicate_of'),
  reason: text('reason'),
  attrs: jsonb('attrs').$type<Record<string, string | null>>().notNull(),
  conflicts: jsonb('conflicts').notNull().default([]),
  /** For the commit: the row as read, its content hash and its last change at the source. */
  raw: jsonb('raw'),
  contentHash: text('content_hash'),
  sourceUpdatedAt: timestamp('source_updated_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.reconciliationId, t.itemNo] }), index('reconciliation_items_status_idx').on(t.reconciliationId, t.status)]);

/** Golden records as they were before an import's commit changed them, to roll it back exactly. */
export const reconciliationBackups = pgTable('reconciliation_backups', {
  reconciliationId: text('reconciliation_id').notNull().references(() => reconciliations.id, { onDelete: 'cascade' }),
  goldenId: goldenIdText('golden_id').notNull(),
  /** The whole golden_records row, as to_jsonb wrote it. */
  row: jsonb('row').notNull(),
}, (t) => [primaryKey({ columns: [t.reconciliationId, t.goldenId] })]);

export type Run = typeof runs.$inferSelect;
export type RunStage = typeof runStages.$inferSelect;
export type SourceRecord = typeof sourceRecords.$inferSelect;
export type GoldenRecord = typeof goldenRecords.$inferSelect;
export type QuarantinedRow = typeof quarantinedRows.$inferSelect;
export type GoldenVersion = typeof goldenVersions.$inferSelect;
export type GoldenEvent = typeof goldenEvents.$inferSelect;
export type MatchDecision = typeof matchDecisions.$inferSelect;
export type Reconciliation = typeof reconciliations.$inferSelect;
