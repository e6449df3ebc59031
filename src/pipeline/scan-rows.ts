import type { Settings } from '../config/settings-schema.js';
import type { Connector } from '../connectors/types.js';
import { asInstant, maxWatermark, watermarkOf } from '../connectors/watermark.js';
import { lookup } from '../standardize/record.js';
import type { QuarantineEntry } from './quarantine.js';
import { hashedRow } from './row-hash.js';
import { RecordPreparer, type PreparedRecord } from './prepare-record.js';
import { CopyWriter } from '../db/copy-text.js';
import { writePullRow } from './pull-stage.js';
import { SeenIds } from './seen-ids.js';

/** What the last pulls stored of a live record, to skip its row when it arrives unchanged. */
export interface StoredRecord {
  hash: string;
  rowNumber: number | null;
  excluded: boolean;
}

/** A row to upsert: new, changed, moved in the file, or standardized under other settings. */
export interface PendingRecord {
  sourceId: string;
  rowNumber: number;
  raw: string;
  hash: string;
  updatedAt: string | null;
  prepared: PreparedRecord;
}

export interface ScanRequest {
  settings: Settings;
  source: string;
  /** Stored records by source id. */
  known: Map<string, StoredRecord>;
  /** The source's watermark when the pull is incremental. */
  since: string | null;
  /** Rows to write (and to quarantine) per chunk. */
  batchSize: number;
  /** On a thread: send the rows to write as COPY bytes of the pull's columns for this run (`writePullRow`), not as objects. */
  asCopy?: { runId: string };
  /**
   * Whether the totals list every id read (`seen`), for the pull to tell which stored records
   * the source no longer holds; unless false. A first load has none to tell: 313,351 ids
   * cost about 0.2 s of the pull's thread to send and to put in a set.
   */
  listSeen?: boolean;
}

/** Rows to write and to quarantine; `full` when the batch filled up (not a progress-only chunk). */
export interface ScanChunk {
  pending: PendingRecord[];
  /** With `asCopy`: the rows to write as COPY text in UTF-8 (then `pending` is empty), and how many. */
  copy?: Uint8Array;
  copied?: number;
  bad: QuarantineEntry[];
  full: boolean;
  /** How far through the source (0..1). */
  progress: number;
}

export interface ScanTotals {
  pulled: number;
  /** Unreadable rows and rows without an id or with a repeated id. */
  quarantined: number;
  /** Rows read but rejected by standardization (quarantined with the field's reason). */
  rejected: number;
  excluded: number;
  /** Rows whose id could not be read: a full pull cannot then tell deletions. */
  unidentified: number;
  watermark: string | null;
  /** Every source id read, for deletion detection (none when the request says not to list them). */
  seen: string[];
}

/** Rows between progress chunks while every row is skipped as unchanged. */
const PROGRESS_EVERY = 20_000;

/**
 * The CPU side of a pull, no I/O of its own beyond the connector: reads every row, quarantines
 * unreadable ones and repeated ids, skips rows stored unchanged, and standardizes, classifies
 * and keys the rest. Chunks come out at most `batchSize` rows long, so memory stays bounded
 * by the batch however large the source. It runs in a thread for file sources.
 */
export async function* scanRows(request: ScanRequest, connector: Connector, spare?: () => ArrayBuffer | undefined): AsyncGenerator<ScanChunk, ScanTotals> {
  const settings = request.settings;
  const source = settings.sources.find((s) => s.name === request.source)!;
  const preparer = new RecordPreparer(settings);
  const seen = new SeenIds();
  const totals: ScanTotals = { pulled: 0, quarantined: 0, rejected: 0, excluded: 0, unidentified: 0, watermark: request.since, seen: [] };
  let pending: PendingRecord[] = [];
  let bad: QuarantineEntry[] = [];
  let sinceChunk = 0;
  const target = request.asCopy ? { deployment: settings.name, source: source.name, runId: request.asCopy.runId } : null;
  // About a kilobyte a row: a batch's buffer is allocated once, not grown and copied, and only
  // once a row needs writing (an unchanged source sends empty chunks for progress); on a
  // thread, it is one the pull sent back when it can be (`spare`).
  const capacity = Math.min(request.batchSize * 1024, 1 << 24);
  let copy: CopyWriter | null = null;
  let copied = 0;
  let maxInstant = totals.watermark === null ? null : asInstant(totals.watermark);
  const chunk = (full: boolean): ScanChunk => {
    const out: ScanChunk = { pending, bad, full, progress: connector.progress?.() ?? totals.pulled / (totals.pulled + request.batchSize) };
    if (target) {
      out.copy = copy ? copy.bytes() : new Uint8Array(0);
      out.copied = copied;
      copy = null;
      copied = 0;
    }
    pending = [];
    bad = [];
    sinceChunk = 0;
    return out;
  };

  for await (const row of connector.rows({ watermark: request.since })) {
    if (row.kind === 'error') {
      totals.quarantined++;
      totals.unidentified++;
      bad.push({ source: source.name, rowNumber: row.rowNumber, sourceId: null, field: row.field, reason: row.reason, raw: row.raw ?? null });
    } else {
      const idValue = lookup(row.values, source.id);
      const sourceId = idValue === null || idValue === undefined ? '' : String(idValue).trim();
      const firstRow = sourceId === '' ? undefined : seen.firstRow(sourceId, row.rowNumber);
      if (sourceId === '') {
        totals.quarantined++;
        totals.unidentified++;
        bad.push({ source: source.name, rowNumber: row.rowNumber, sourceId: null, field: source.id, reason: 'record id is missing', raw: row.values });
      } else if (firstRow !== undefined) {
        totals.quarantined++;
        bad.push({ source: source.name, rowNumber: row.rowNumber, sourceId, field: source.id, reason: `duplicate record id (first seen at row ${firstRow})`, raw: row.values });
      } else {
        const mark = source.updatedAt ? watermarkOf(lookup(row.values, source.updatedAt)) : null;
        const updatedAt = mark === null ? null : mark.text;
        const instant = mark === null ? null : mark.instant;
        // Only an ISO 8601 instant is stored as the change time: Date.parse also takes "cursor-7"
        // (as 2001), which Postgres refuses, and the refusal failed the whole batch.
        const updatedInstant = instant !== null ? updatedAt : null;
        // Instants are compared as the numbers already parsed: maxWatermark parses both sides again.
        if (instant !== null && maxInstant !== null) {
          if (instant > maxInstant) {
            totals.watermark = updatedAt;
            maxInstant = instant;
          }
        } else if (updatedAt !== null) {
          totals.watermark = maxWatermark(totals.watermark, updatedAt);
          maxInstant = asInstant(totals.watermark!);
        }
        const { json, hash } = hashedRow(row.values);
        const stored = request.known.get(sourceId);
        if (stored !== undefined && stored.hash === hash && stored.rowNumber === row.rowNumber) {
          // Unchanged since the last pull: nothing to standardize or write.
          if (stored.excluded) totals.excluded++;
        } else {
          const prepared = preparer.prepare(source.name, row.values, hash);
          const record = { sourceId, rowNumber: row.rowNumber, raw: json, hash, updatedAt: updatedInstant, prepared };
          if (target) {
            writePullRow((copy ??= new CopyWriter(capacity, spare?.())), record, target);
            copied++;
          } else {
            pending.push(record);
          }
          if (prepared.recordClass === 'excluded') totals.excluded++;
          if (prepared.rejection) {
            totals.rejected++;
            const r = prepared.rejection;
            bad.push({ source: source.name, rowNumber: row.rowNumber, sourceId, field: r.column, reason: r.reason, raw: row.values });
          }
        }
        totals.pulled++;
      }
    }
    if (pending.length + copied + bad.length >= request.batchSize) yield chunk(true);
    else if (++sinceChunk >= PROGRESS_EVERY) yield chunk(false);
  }
  if (pending.length + copied + bad.length > 0) yield chunk(false);
  totals.seen = request.listSeen === false ? [] : seen.all();
  return totals;
}
