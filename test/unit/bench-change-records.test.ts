import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeRecords, restoreFiles } from '../../bench/change-records.js';
import { validateSettings } from '../../src/config/load-settings.js';

/** The bench's nightly delta: every n-th record moved to a new street, and the files put back after. */
describe('changeRecords and restoreFiles', () => {
  let dir: string;
  const csv = 'id,street,changed\n1,1 Elm St,2020-01-01\n2,2 Oak St,2020-01-01\n3,3 Ash St,2020-01-01\n4,4 Fir St,2020-01-01\n';
  const jsonl = '{"id":"a","address":{"line1":"9 Bay Rd"},"at":"2020"}\n{"id":"b","address":{"line1":"8 Bay Rd"},"at":"2020"}\n';

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'goldrun-change-'));
    await writeFile(join(dir, 'crm.csv'), csv);
    await writeFile(join(dir, 'shop.jsonl'), jsonl);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const settings = () => validateSettings({
    name: 'bench',
    sources: [
      { name: 'crm', kind: 'csv', path: join(dir, 'crm.csv'), id: 'id', updatedAt: 'changed', fields: { street: 'street' } },
      { name: 'shop', kind: 'jsonl', path: join(dir, 'shop.jsonl'), id: 'id', updatedAt: 'at', fields: { street: 'address.line1' } },
    ],
    blocking: { rules: [['street']] },
    comparisons: [{ attribute: 'street', method: 'exact' }],
  });

  it('moves every n-th record to a new street, stamped as changed, keeping the originals', async () => {
    expect(await changeRecords(settings(), 0.5)).toBe(3);
    const rows = (await readFile(join(dir, 'crm.csv'), 'utf8')).trim().split('\n');
    expect(rows[1]).toBe('1,42 Harbour View Rd,2031-01-01T00:00:00Z');
    expect(rows[2]).toBe('2,2 Oak St,2020-01-01');
    expect(rows[3]).toBe('3,42 Harbour View Rd,2031-01-01T00:00:00Z');
    const lines = (await readFile(join(dir, 'shop.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { address: { line1: string }; at: string });
    expect(lines.map((l) => l.address.line1)).toEqual(['42 Harbour View Rd', '8 Bay Rd']);
    expect(await readFile(join(dir, 'crm.csv.orig'), 'utf8')).toBe(csv);
  });

  it('puts the originals back, once, and says how many', async () => {
    await changeRecords(settings(), 0.5);
    expect(await restoreFiles(settings())).toBe(2);
    expect(await readFile(join(dir, 'crm.csv'), 'utf8')).toBe(csv);
    expect(await readFile(join(dir, 'shop.jsonl'), 'utf8')).toBe(jsonl);
    expect(existsSync(join(dir, 'crm.csv.orig'))).toBe(false);
    expect(await restoreFiles(settings())).toBe(0);
  });

  it('changes the originals, not an earlier change, when one was left in place', async () => {
    await changeRecords(settings(), 0.5);
    await changeRecords(settings(), 1);
    await restoreFiles(settings());
    expect(await readFile(join(dir, 'crm.csv'), 'utf8')).toBe(csv);
  });
});
