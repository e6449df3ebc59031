import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { CopyWriter } from '../../src/db/copy-text.js';
import { writePullRow, type PullTarget } from '../../src/pipeline/pull-stage.js';
import { createPullRows, writePulledRows } from '../../src/pipeline/pull-source.js';
import type { PendingRecord } from '../../src/pipeline/scan-rows.js';
import { openMigratedDatabase } from '../helpers/database.js';
import { createTestDatabase, requireServices, type TestDatabase } from '../helpers/services.js';

/** Block keys hold standardized values: quotes, backslashes, commas, braces and spaces must come back as written. */
const AWKWARD_KEYS = ['0:o"brien', '1:a\\b\u001f2001', '2:{x,y}', '3: spaced out ', '4:NULL', '5:東京'];

function pending(sourceId: string, rowNumber: number, note: string): PendingRecord {
  const raw = { id: sourceId, note };
  return {
    sourceId,
    rowNumber,
    raw: JSON.stringify(raw),
    hash: `h-${sourceId}-${note}`,
    updatedAt: '2024-05-06T07:08:09Z',
    prepared: {
      attrs: JSON.stringify({ lastName: `${note}\ttab` }),
      issues: null,
      recordClass: 'customer',
      classReason: null,
      stdKey: `h-${sourceId}-${note}:fp`,
      blockKeys: AWKWARD_KEYS,
      blockStamp: 'stamp',
      rejection: null,
    },
  };
}

describe('writing a pull batch', () => {
  let db: TestDatabase;
  let database: Database;
  const target: PullTarget = { deployment: 'd1', source: 'crm', runId: 'run-1' };
  const copyOf = (rows: PendingRecord[], t = target) => {
    const out = new CopyWriter();
    for (const r of rows) writePullRow(out, r, t);
    return [out.bytes()];
  };
  const stored = () => database.sql<{ source_id: string; raw: unknown; attrs: unknown; block_keys: string[]; first_run_id: string; last_run_id: string; content_hash: string; source_updated_at: string }[]>`
    select source_id, raw, attrs, block_keys, first_run_id, last_run_id, content_hash, source_updated_at from source_records order by source_id`;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    database = await openMigratedDatabase(db.url, 2);
  });

  afterAll(async () => {
    await database?.close();
    await db?.drop();
  });

  it('copies a first pull straight into source_records, and upserts once a stored id turns up, losing no row', async () => {
    const staging = await database.sql.reserve();
    try {
      await createPullRows(staging);
      expect(await writePulledRows(staging, copyOf([pending('a', 2, 'one'), pending('b', 3, 'one')]), true)).toBe(true);
      let rows = await stored();
      expect(rows.map((r) => r.source_id)).toEqual(['a', 'b']);
      expect(rows[0]!.block_keys).toEqual(AWKWARD_KEYS);
      expect(rows[0]!.raw).toEqual({ id: 'a', note: 'one' });
      expect(rows[0]!.attrs).toEqual({ lastName: 'one\ttab' });
      expect(new Date(rows[0]!.source_updated_at).toISOString()).toBe('2024-05-06T07:08:09.000Z');
      expect([rows[0]!.first_run_id, rows[0]!.last_run_id]).toEqual(['run-1', 'run-1']);

      // Another run stored "b" meanwhile: the fresh copy is refused whole and the batch upserted.
      const later = { ...target, runId: 'run-2' };
      expect(await writePulledRows(staging, copyOf([pending('b', 3, 'two'), pending('c', 4, 'two')], later), true)).toBe(false);
      rows = await stored();
      expect(rows.map((r) => [r.source_id, r.content_hash, r.first_run_id, r.last_run_id])).toEqual([
        ['a', 'h-a-one', 'run-1', 'run-1'],
        ['b', 'h-b-two', 'run-1', 'run-2'],
        ['c', 'h-c-two', 'run-2', 'run-2'],
      ]);
      expect(rows[2]!.block_keys).toEqual(AWKWARD_KEYS);

      // Not fresh: the same rows again change nothing.
      expect(await writePulledRows(staging, copyOf([pending('c', 4, 'two')], { ...target, runId: 'run-3' }), false)).toBe(false);
      expect((await stored()).find((r) => r.source_id === 'c')!.last_run_id).toBe('run-2');
    } finally {
      staging.release();
    }
  });

  it('still fails on anything but a stored id', async () => {
    const staging = await database.sql.reserve();
    try {
      const bad = pending('z', 9, 'bad');
      bad.updatedAt = 'not a time';
      await expect(writePulledRows(staging, copyOf([bad]), true)).rejects.toThrow(/timestamp/);
      expect((await stored()).map((r) => r.source_id)).not.toContain('z');
    } finally {
      staging.release();
    }
  });
});
