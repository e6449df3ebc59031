import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/load-settings.js';
import type { Settings } from '../../src/config/settings-schema.js';
import { createConnector } from '../../src/connectors/create-connector.js';
import { secretFromEnvironment } from '../../src/config/env.js';
import { SourceError } from '../../src/errors.js';
import { writeDataset } from '../../src/generate/dataset.js';
import { scanRows, type ScanChunk, type ScanRequest, type ScanTotals, type StoredRecord } from '../../src/pipeline/scan-rows.js';
import { createScanThreads, type ScanThreads } from '../../src/pipeline/scan-threads.js';
import { PULL_COLUMNS } from '../../src/pipeline/pull-stage.js';
import { arrayLiteral, copyText } from '../../src/db/copy-text.js';
import { validateSettings } from '../../src/config/load-settings.js';
import { maxWatermark, normaliseWatermark } from '../../src/connectors/watermark.js';
import { writeFile } from 'node:fs/promises';

let dir: string;
let settings: Settings;
let threads: ScanThreads;

beforeAll(async () => {
  dir = join(tmpdir(), `goldrun-scan-${randomUUID()}`);
  await writeDataset({ records: 1500, systems: 3, out: dir, seed: 5, dupRate: 0.25 });
  settings = await loadSettings(join(dir, 'settings.yaml'));
  threads = createScanThreads(1);
});

afterAll(async () => {
  await threads.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function drain(rows: AsyncGenerator<ScanChunk, ScanTotals>): Promise<{ chunks: ScanChunk[]; totals: ScanTotals }> {
  const chunks: ScanChunk[] = [];
  for (;;) {
    const next = await rows.next();
    if (next.done) return { chunks, totals: next.value };
    // A chunk's bytes are the thread's again once the next chunk is asked for: kept as a copy.
    const copy = next.value.copy;
    chunks.push(copy === undefined ? next.value : { ...next.value, copy: copy.slice() });
  }
}

function request(source: string, overrides: Partial<ScanRequest> = {}): ScanRequest {
  return { settings, source, known: new Map(), since: null, batchSize: 97, ...overrides };
}

const inline = (r: ScanRequest) => scanRows(r, createConnector(settings.sources.find((s) => s.name === r.source)!, secretFromEnvironment));

describe('scanning a pull on a thread', () => {
  it('gives the same chunks and totals as scanning inline, for CSV and JSONL files', async () => {
    for (const source of ['crm', 'billing', 'webshop']) {
      const here = await drain(inline(request(source)));
      const there = await drain(threads.scan(request(source)));
      expect(here.totals.pulled, source).toBeGreaterThan(300);
      expect(here.chunks.length, source).toBeGreaterThan(3);
      expect(there, source).toEqual(here);
      expect(here.chunks.every((c) => c.pending.length + c.bad.length <= 97)).toBe(true);
    }
  });

  it('sends the rows to write as COPY text (UTF-8) of the pull columns for the run when asked, the rest of each chunk unchanged', async () => {
    const here = await drain(inline(request('crm')));
    const there = await drain(threads.scan(request('crm', { asCopy: { runId: 'run-7' } })));
    const target = { deployment: settings.name, source: 'crm', runId: 'run-7' };
    expect(there.totals).toEqual(here.totals);
    expect(there.chunks).toHaveLength(here.chunks.length);
    there.chunks.forEach((chunk, i) => {
      const mine = here.chunks[i]!;
      expect(chunk.pending).toEqual([]);
      expect(chunk.copied).toBe(mine.pending.length);
      expect(chunk.copy).toBeInstanceOf(Uint8Array);
      // PULL_COLUMNS, in order, for each row the inline scan prepared.
      expect(new TextDecoder().decode(chunk.copy)).toBe(copyText(mine.pending.map((r) => [
        target.deployment, target.source, r.sourceId, r.rowNumber, r.raw, r.hash, r.updatedAt, target.runId, target.runId,
        r.prepared.attrs, r.prepared.issues, r.prepared.recordClass, r.prepared.classReason, r.prepared.stdKey,
        r.prepared.blockKeys === null ? null : arrayLiteral(r.prepared.blockKeys), r.prepared.blockStamp,
      ])));
      expect(chunk.bad).toEqual(mine.bad);
    });
    const first = there.chunks.find((c) => c.copied! > 0)!;
    const cells = new TextDecoder().decode(first.copy).split('\n')[0]!.split('\t');
    expect(cells).toHaveLength(PULL_COLUMNS.split(', ').length);
    expect(cells.slice(0, 2)).toEqual([settings.name, 'crm']);
    expect(cells.slice(7, 9)).toEqual(['run-7', 'run-7']);
  });

  it('sends each chunk\'s buffer back to the thread once the next chunk is asked for, leaving nothing of it here', async () => {
    const rows = threads.scan(request('crm', { asCopy: { runId: 'run-7' } }));
    const first = (await rows.next()).value as ScanChunk;
    expect(first.copied).toBeGreaterThan(0);
    const bytes = first.copy!;
    const buffer = bytes.buffer;
    expect(buffer.byteLength).toBeGreaterThan(0);
    let chunks = 1;
    while (!(await rows.next()).done) chunks++;
    // Moved back to the thread: nothing of it is left on this side.
    expect(buffer.byteLength).toBe(0);
    expect(bytes.length).toBe(0);
    expect(chunks).toBeGreaterThan(3);
  });

  it('skips rows stored unchanged, and rescans a row that moved in the file', async () => {
    const first = await drain(threads.scan(request('crm')));
    const pending = first.chunks.flatMap((c) => c.pending);
    const known = new Map<string, StoredRecord>(pending.map((p) => [p.sourceId, { hash: p.hash, rowNumber: p.rowNumber, excluded: p.prepared.recordClass === 'excluded' }]));
    const moved = pending[10]!;
    known.set(moved.sourceId, { ...known.get(moved.sourceId)!, rowNumber: moved.rowNumber + 1 });
    const again = await drain(threads.scan(request('crm', { known })));
    expect(again.chunks.flatMap((c) => c.pending).map((p) => p.sourceId)).toEqual([moved.sourceId]);
    expect(again.totals.pulled).toBe(first.totals.pulled);
    expect(again.totals.excluded).toBe(first.totals.excluded);
    expect(again.totals.seen).toEqual(first.totals.seen);
  });

  it('brings a source error back whole: its class, message and whether a retry can help', async () => {
    const broken: Settings = { ...settings, sources: settings.sources.map((s) => (s.name === 'crm' ? { ...s, path: join(dir, 'gone.csv') } : s)) };
    const err = await drain(threads.scan({ ...request('crm'), settings: broken })).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).message).toContain('gone.csv');
    expect((err as SourceError).retryable).toBe(false);
  });

  it('frees the thread when the pull stops taking chunks, so the next scan runs', async () => {
    const rows = threads.scan(request('webshop', { batchSize: 10 }));
    await rows.next();
    await rows.return(undefined as never);
    // One thread in this pool: a scan left waiting for credit would hold it forever.
    const next = await drain(threads.scan(request('billing')));
    expect(next.totals.pulled).toBeGreaterThan(300);
  });

  it('quarantines a repeated id with the row it was first read at, in order and after the order breaks', async () => {
    const ids = ['r1', 'r2', 'r2', 'r5', 'r3', 'r1', 'r3', 'r6'];
    const file = join(dir, 'repeats.csv');
    await writeFile(file, `id,name\n${ids.map((id, i) => `${id},Ann${i}`).join('\n')}\n`);
    const own = validateSettings({
      name: 'repeats', linkType: 'dedupe_only',
      sources: [{ name: 'a', kind: 'csv', path: file, id: 'id', fields: { lastName: 'name' } }],
      blocking: { rules: [['lastName']] }, comparisons: [{ attribute: 'lastName', method: 'levenshtein' }],
    });
    const { chunks, totals } = await drain(scanRows({ settings: own, source: 'a', known: new Map(), since: null, batchSize: 97 }, createConnector(own.sources[0]!, secretFromEnvironment)));
    const kept = chunks.flatMap((c) => c.pending);
    const rowOf = new Map(kept.map((p) => [p.sourceId, p.rowNumber]));
    expect(kept.map((p) => p.sourceId)).toEqual(['r1', 'r2', 'r5', 'r3', 'r6']);
    // Each kept row is its id's first: the names say which line it was.
    expect(kept.map((p) => JSON.parse(p.raw).name)).toEqual(['Ann0', 'Ann1', 'Ann3', 'Ann4', 'Ann7']);
    const bad = chunks.flatMap((c) => c.bad);
    expect(bad.map((b) => [b.sourceId, b.reason])).toEqual([
      ['r2', `duplicate record id (first seen at row ${rowOf.get('r2')})`],
      ['r1', `duplicate record id (first seen at row ${rowOf.get('r1')})`],
      ['r3', `duplicate record id (first seen at row ${rowOf.get('r3')})`],
    ]);
    expect(bad.map((b) => b.rowNumber)).toEqual([rowOf.get('r2')! + 1, rowOf.get('r3')! + 1, rowOf.get('r3')! + 2]);
    expect(totals).toMatchObject({ pulled: 5, quarantined: 3, unidentified: 0, seen: ['r1', 'r2', 'r5', 'r3', 'r6'] });

    // A first load's pull does not ask for the ids read: repeats are found all the same.
    const unlisted = await drain(scanRows({ settings: own, source: 'a', known: new Map(), since: null, batchSize: 97, listSeen: false }, createConnector(own.sources[0]!, secretFromEnvironment)));
    expect(unlisted.chunks).toEqual(chunks);
    expect(unlisted.totals).toEqual({ ...totals, seen: [] });
  });

  it('keeps the largest change time as the watermark, by instant whatever the offset, and stores only instants', async () => {
    const stamps = ['2024-01-02T00:00:00Z', '2023-12-31', '2024-01-05T10:00:00+02:00', '', '2024-01-05T09:00:00+01:00', 'Jan 9 2024', '2024-01-03', 'cursor-7'];
    const file = join(dir, 'stamps.csv');
    await writeFile(file, `id,name,changed\n${stamps.map((t, i) => `r${i},Ann${i},${t}`).join('\n')}\n`);
    const own = validateSettings({
      name: 'stamps', linkType: 'dedupe_only',
      sources: [{ name: 'a', kind: 'csv', path: file, id: 'id', updatedAt: 'changed', fields: { lastName: 'name' } }],
      blocking: { rules: [['lastName']] }, comparisons: [{ attribute: 'lastName', method: 'levenshtein' }],
    });
    for (const since of [null, '2024-01-04T00:00:00.000Z']) {
      const { chunks, totals } = await drain(scanRows({ settings: own, source: 'a', known: new Map(), since, batchSize: 97 }, createConnector(own.sources[0]!, secretFromEnvironment)));
      // The fold of maxWatermark over every row is what the watermark must be.
      expect(totals.watermark).toBe(stamps.reduce<string | null>((max, t) => maxWatermark(max, normaliseWatermark(t)), since));
      const stored = new Map(chunks.flatMap((c) => c.pending).map((p) => [p.sourceId, p.updatedAt]));
      expect(stored.get('r2')).toBe('2024-01-05T08:00:00.000Z');
      // Past a watermark the connector leaves older rows out.
      expect(stored.get('r0')).toBe(since === null ? '2024-01-02T00:00:00.000Z' : undefined);
      expect(stored.get('r5')).toBeNull();
      expect(stored.get('r7')).toBeNull();
    }
  });
});
