import { and, eq } from 'drizzle-orm';
import { copyChunksInto } from '../db/bulk-write.js';
import { CopyWriter } from '../db/copy-text.js';
import { PULL_COLUMNS, writePullRow, type PullTarget } from './pull-stage.js';
import type { Sql } from '../db/client.js';
import { BadJobError } from '../errors.js';
import { sources } from '../db/schema.js';
import { createConnector } from '../connectors/create-connector.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { quarantineRows } from './quarantine.js';
import { runSettings } from './runs.js';
import { RecordPreparer } from './prepare-record.js';
import { UPSERT_SET, UPSERT_WHERE, upsertRecordArrays } from './upsert-records.js';
import { scanRows, type PendingRecord, type ScanRequest, type ScanTotals, type StoredRecord } from './scan-rows.js';

export interface PullMetrics extends Record<string, unknown> {
  source: string;
  pulled: number;
  quarantined: number;
  /** Rows classified as not customers (meters, test accounts). */
  excluded: number;
  incremental: boolean;
  watermark: string | null;
  /** Records gone from a full pull: marked deleted, and retired from their golden records at commit. */
  deleted: number;
}

/**
 * Pulls one source into source_records: rows are upserted by (source, source id) in
 * batches, unreadable rows are quarantined with their line and reason, and the watermark
 * moves forward only once the whole pull has landed. Retrying repeats the same upserts.
 * Each row is standardized, classified and keyed on the way in, so a record is written once;
 * a row whose content did not change is not written at all.
 */
export async function pullSource(ctx: PipelineContext, runId: string, sourceName: string, progress: ProgressReporter, attempt = 1): Promise<PullMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const source = settings.sources.find((s) => s.name === sourceName);
  if (!source) throw new BadJobError(`run ${runId} has no source ${sourceName}`);
  const { sql, db } = ctx.database;
  if (source.kind === 'imported') {
    // Its records came in once with an acquisition import and stay as they are: nothing to read.
    const [kept] = await sql<{ n: number }[]>`
      select count(*)::int as n from source_records where deployment = ${settings.name} and source = ${source.name} and deleted_at is null`;
    return { source: source.name, pulled: 0, kept: kept?.n ?? 0, quarantined: 0, excluded: 0, incremental: true, watermark: null, deleted: 0 };
  }
  const [state] = await db.select({ watermark: sources.watermark }).from(sources)
    .where(and(eq(sources.deployment, settings.name), eq(sources.name, source.name)));
  const incremental = source.updatedAt !== undefined && (source.kind !== 'http' || source.updatedSinceParam !== undefined);
  const since = incremental ? (state?.watermark ?? null) : null;
  const batchSize = settings.run.batchSize;
  // Past a watermark nearly every row that arrives has changed, and the upsert leaves the
  // others alone: the stored records (seconds to load at a million) would buy nothing.
  const stored = since === null ? await storedRecords(sql, settings.name, source.name, new RecordPreparer(settings).fingerprint) : { known: new Map<string, StoredRecord>(), live: [] };
  const threaded = ctx.scanThreads !== undefined && (source.kind === 'csv' || source.kind === 'jsonl');
  const target: PullTarget = { deployment: settings.name, source: source.name, runId };
  const request: ScanRequest = {
    settings, source: source.name, known: stored.known, since, batchSize, asCopy: threaded && ctx.database.bulkCopy ? { runId } : undefined,
    // No record stored live, none to mark deleted: the ids read are not needed (see below).
    listSeen: stored.live.length > 0,
  };
  const rows = threaded ? ctx.scanThreads!.scan(request) : scanRows(request, createConnector(source, ctx.secrets));

  // On a Postgres server each batch goes by COPY on a reserved connection: a third of the
  // pull's time went to serializing and parsing the batch as arrays. The embedded database has
  // no COPY. A source's first pull copies straight into source_records (a million rows: about
  // 6 s less of Postgres than through a staging table and ON CONFLICT); later pulls copy into
  // a temporary table of the same columns and upsert from there.
  const staging = ctx.database.bulkCopy ? await sql.reserve() : null;
  let totals: ScanTotals | undefined;
  try {
    let fresh = false;
    if (staging) {
      await createPullRows(staging);
      fresh = !(await storesAny(staging, target));
    }
    for (;;) {
      const next = await rows.next();
      if (next.done) {
        totals = next.value;
        break;
      }
      const { pending, bad, full, copy } = next.value;
      if (copy !== undefined) {
        if (copy.length > 0) fresh = await writePulledRows(staging!, [copy], fresh);
      } else if (pending.length > 0) {
        if (staging) fresh = await writePulledRows(staging, [copyOf(pending, target)], fresh);
        else await upsertRecordArrays(sql, settings.name, source.name, runId, pending);
      }
      await quarantineRows(sql, runId, bad);
      if (full) await ctx.failpoints.check(`pull.${source.name}.batch`, attempt);
      progress(next.value.progress);
    }
  } finally {
    // Stops the scan (and frees its thread) when a write failed half-way.
    if (totals === undefined) await rows.return(undefined as never);
    staging?.release();
  }
  const { unidentified, watermark } = totals;
  // Only a full pull sees every record, and only one whose every row has an id can tell
  // a record deleted at the source from one whose row was unreadable this time.
  let deleted = 0;
  if (!incremental && unidentified === 0) {
    // Compared here, not in SQL: an anti-join against a parameter array of every id seen
    // was planned as a nested loop on fresh tables (25 s for 25,000 records).
    // The records live before this pull; those it inserted or revived were all seen.
    const seen = new Set(totals.seen);
    const gone = stored.live.filter((r) => !seen.has(r.source_id)).map((r) => r.id);
    for (let start = 0; start < gone.length; start += batchSize) {
      deleted += (await sql`
        update source_records set deleted_at = now(), last_run_id = ${runId}, updated_at = now()
        where id = any(${gone.slice(start, start + batchSize)}::bigint[])`).count;
    }
  } else if (!incremental) {
    ctx.log.warn({ source: source.name, unidentified }, 'rows without a readable id: records missing from this pull are not marked deleted');
  }
  await db.update(sources)
    .set({ watermark: incremental ? watermark : null, lastRunId: runId, updatedAt: new Date() })
    .where(and(eq(sources.deployment, settings.name), eq(sources.name, source.name)));
  return { source: source.name, pulled: totals.pulled, quarantined: totals.quarantined + totals.rejected, excluded: totals.excluded, incremental, watermark: incremental ? watermark : null, deleted };
}

/**
 * A source's live records as the last pulls stored them: `known` holds those whose
 * standardized attributes are current, so that rows arriving unchanged are skipped
 * (quarantined records are left out: their rows are examined and reported again on every
 * pull), and `live` every one, to tell which the pull no longer saw. One scan for both.
 */
async function storedRecords(sql: Sql, deployment: string, source: string, fingerprint: string): Promise<{ known: Map<string, StoredRecord>; live: Array<{ id: number; source_id: string }> }> {
  const live = await sql<{ id: number; source_id: string; content_hash: string; row_number: number | null; record_class: string; current: boolean }[]>`
    select id, source_id, content_hash, row_number, record_class, std_key = content_hash || ':' || ${fingerprint} as current
    from source_records
    where deployment = ${deployment} and source = ${source} and deleted_at is null`;
  const known = new Map<string, StoredRecord>();
  for (const r of live) {
    if (r.current && r.record_class !== 'quarantined') known.set(r.source_id, { hash: r.content_hash, rowNumber: r.row_number, excluded: r.record_class === 'excluded' });
  }
  return { known, live };
}

/** The session's table a batch is staged in for the upsert: the pull's columns, typed as source_records types them. */
export async function createPullRows(staging: Sql): Promise<void> {
  await staging.unsafe(`create temporary table if not exists pull_rows as select ${PULL_COLUMNS} from source_records with no data`);
}

/** Rows scanned here (not on a thread) as the COPY text a thread would have sent. */
function copyOf(rows: ReadonlyArray<PendingRecord>, target: PullTarget): Uint8Array {
  const out = new CopyWriter();
  for (const r of rows) writePullRow(out, r, target);
  return out.bytes();
}

/** Whether the source has any record at all, live, deleted or quarantined: none can conflict with a first pull's. */
async function storesAny(sql: Sql, target: PullTarget): Promise<boolean> {
  const [row] = await sql<{ any: boolean }[]>`
    select exists (select 1 from source_records where deployment = ${target.deployment} and source = ${target.source}) as any`;
  return row?.any ?? false;
}

/**
 * One batch of COPY text of the pull's columns (made on a scanning thread, or from the rows
 * here): while `fresh`, copied straight into source_records, else into pull_rows and upserted
 * from there. A fresh copy that meets a stored id (another run's pull of the same source got
 * there first) is refused whole by the unique index, and the batch is upserted instead.
 * Returns whether the next batch may still be copied straight in.
 */
export async function writePulledRows(staging: Sql, copy: ReadonlyArray<string | Uint8Array>, fresh: boolean): Promise<boolean> {
  if (fresh) {
    try {
      await copyChunksInto(staging, 'source_records', PULL_COLUMNS, copy);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    }
  }
  await staging`truncate pull_rows`;
  await copyChunksInto(staging, 'pull_rows', PULL_COLUMNS, copy);
  await staging.unsafe(`
    insert into source_records (${PULL_COLUMNS})
    select ${PULL_COLUMNS} from pull_rows
    on conflict (deployment, source, source_id) do update set ${UPSERT_SET}
    where ${UPSERT_WHERE}`);
  return false;
}

const UNIQUE_VIOLATION = '23505';
