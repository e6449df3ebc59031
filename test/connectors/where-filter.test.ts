import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceSchema } from '../../src/config/settings-schema.js';
import { createConnector } from '../../src/connectors/create-connector.js';
import type { Connector, PulledRow } from '../../src/connectors/types.js';

let dir: string;
let fileNo = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'goldrun-where-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(ext: 'csv' | 'jsonl', content: string): Promise<string> {
  const path = join(dir, `f${++fileNo}.${ext}`);
  await writeFile(path, content);
  return path;
}

async function collect(c: Connector, watermark: string | null = null): Promise<PulledRow[]> {
  const out: PulledRow[] = [];
  for await (const row of c.rows({ watermark })) out.push(row);
  return out;
}

const noSecrets = () => undefined;

/** Each row as its id, each error as "error@line". */
function ids(rows: PulledRow[]): unknown[] {
  return rows.map((r) => (r.kind === 'row' ? r.values.id : `error@${r.rowNumber}`));
}

async function csvSource(content: string, where: unknown, extra: Record<string, unknown> = {}): Promise<Connector> {
  const path = await file('csv', content);
  return createConnector(sourceSchema.parse({ name: 'export', kind: 'csv', id: 'id', path, fields: { lastName: 'name' }, where, ...extra }), noSecrets);
}

async function jsonlSource(content: string, where: unknown): Promise<Connector> {
  const path = await file('jsonl', content);
  return createConnector(sourceSchema.parse({ name: 'export', kind: 'jsonl', id: 'id', path, fields: { lastName: 'name' }, where }), noSecrets);
}

// One export holding two systems' records; row 6 has no system.
const exportCsv = [
  'id,name,system',
  '1,Lee,crm',
  '2,Ray,shop',
  '3,Kim,crm-legacy',
  '4,Ng,CRM',
  '5,Roe,',
  '6,Poe,crm',
  '',
].join('\n');

describe('source where: which rows a connector yields', () => {
  it.each<[string, Record<string, unknown>, number[]]>([
    ['anchored pattern', { column: 'system', matches: '^crm$' }, [1, 6]],
    ['anchored pattern, exclude', { column: 'system', matches: '^crm$', exclude: true }, [2, 3, 4, 5]],
    ['unanchored pattern matches anywhere in the value', { column: 'system', matches: 'crm' }, [1, 3, 6]],
    ['unanchored pattern, exclude', { column: 'system', matches: 'crm', exclude: true }, [2, 4, 5]],
    ['case-sensitive by default', { column: 'system', matches: '^CRM$' }, [4]],
    ['an inline alternative', { column: 'system', matches: '^(crm|shop)$' }, [1, 2, 6]],
    ['a pattern nothing matches', { column: 'system', matches: '^erp$' }, []],
    ['a pattern nothing matches, exclude', { column: 'system', matches: '^erp$', exclude: true }, [1, 2, 3, 4, 5, 6]],
  ])('CSV, %s', async (_name, where, expected) => {
    const rows = await collect(await csvSource(exportCsv, where));
    expect(ids(rows)).toEqual(expected.map(String));
  });

  it.each([false, true])('fails the pull, naming the column, when no row has it (exclude: %s)', async (exclude) => {
    const source = await csvSource(exportCsv, { column: 'origin', matches: '.', exclude });
    await expect(collect(source)).rejects.toThrow(/where\.column "origin" is in none of the 6 rows read from/);
  });

  it('yields the rows unchanged, with their line numbers', async () => {
    const rows = await collect(await csvSource(exportCsv, { column: 'system', matches: '^crm$' }));
    expect(rows).toEqual([
      { kind: 'row', rowNumber: 2, values: { id: '1', name: 'Lee', system: 'crm' } },
      { kind: 'row', rowNumber: 7, values: { id: '6', name: 'Poe', system: 'crm' } },
    ]);
  });

  it('drops a row with an empty value (read as missing) unless excluding', async () => {
    const kept = await collect(await csvSource(exportCsv, { column: 'system', matches: '^$' }));
    expect(ids(kept)).toEqual([]);
    const excluded = await collect(await csvSource(exportCsv, { column: 'system', matches: '^$', exclude: true }));
    expect(ids(excluded)).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('passes unreadable CSV rows through, whether matching or excluding', async () => {
    const content = 'id,name,system\n1,Lee,crm\n2,Ray\n3,Kim,shop\n4,Ng,crm,extra\n5,Roe,crm\n';
    const kept = await collect(await csvSource(content, { column: 'system', matches: '^crm$' }));
    expect(ids(kept)).toEqual(['1', 'error@3', 'error@5', '5']);
    const excluded = await collect(await csvSource(content, { column: 'system', matches: '^crm$', exclude: true }));
    expect(ids(excluded)).toEqual(['error@3', '3', 'error@5']);
    const error = kept[1]!;
    if (error.kind !== 'error') throw new Error('expected an error');
    expect(error.reason).toBe('expected 3 fields, found 2');
  });

  it('filters after the watermark: both must let a row through', async () => {
    const content = 'id,system,changed\n1,crm,2024-01-01T00:00:00Z\n2,shop,2024-03-01T00:00:00Z\n3,crm,2024-03-01T00:00:00Z\n';
    const c = await csvSource(content, { column: 'system', matches: '^crm$' }, { updatedAt: 'changed' });
    expect(ids(await collect(c, '2024-02-01T00:00:00.000Z'))).toEqual(['3']);
    expect(ids(await collect(c))).toEqual(['1', '3']);
  });

  it('keeps the connector\'s location and progress', async () => {
    const path = await file('csv', exportCsv);
    const c = createConnector(sourceSchema.parse({ name: 'export', kind: 'csv', id: 'id', path, fields: { lastName: 'name' }, where: { column: 'system', matches: 'crm' } }), noSecrets);
    expect(c.location).toBe(`file ${path}`);
    expect(c.progress!()).toBeNull();
    await collect(c);
    expect(c.progress!()).toBe(1);
  });

  describe('JSON Lines', () => {
    const content = [
      '{"id":1,"system":"crm","deleted":false}',
      '{"id":2,"system":"shop","deleted":true}',
      '{"id":3,"deleted":false}', // no system at all
      '{"id":4,"system":null}', // system null
      'not json',
      '[1,2]',
      '{"id":7,"system":"crm","deleted":true,"meta":{"origin":"import"}}',
      '{"id":8,"system":5,"meta":{"origin":"manual"}}', // a number is tested as its text
      '',
    ].join('\n');

    it.each<[string, Record<string, unknown>, unknown[]]>([
      ['only matching rows; rows lacking the column are dropped', { column: 'system', matches: '^crm$' }, [1, 'error@5', 'error@6', 7]],
      ['exclude: the others, including rows lacking the column', { column: 'system', matches: '^crm$', exclude: true }, [2, 3, 4, 'error@5', 'error@6', 8]],
      ['a boolean is tested as its text', { column: 'deleted', matches: '^true$', exclude: true }, [1, 3, 4, 'error@5', 'error@6', 8]],
      ['a number is tested as its text', { column: 'system', matches: '^5$' }, ['error@5', 'error@6', 8]],
      ['a dot path into a nested object', { column: 'meta.origin', matches: '^import$' }, ['error@5', 'error@6', 7]],
      ['a dot path, exclude', { column: 'meta.origin', matches: '^import$', exclude: true }, [1, 2, 3, 4, 'error@5', 'error@6', 8]],
    ])('%s', async (_name, where, expected) => {
      expect(ids(await collect(await jsonlSource(content, where)))).toEqual(expected);
    });

    it('passes error rows through untouched', async () => {
      const rows = await collect(await jsonlSource(content, { column: 'system', matches: '^crm$' }));
      expect(rows.filter((r) => r.kind === 'error')).toEqual([
        { kind: 'error', rowNumber: 5, field: '', reason: expect.stringMatching(/^not valid JSON/), raw: 'not json' },
        { kind: 'error', rowNumber: 6, field: '', reason: 'expected a JSON object', raw: '[1,2]' },
      ]);
    });
  });
});

describe('source where: settings', () => {
  const base = { name: 'export', kind: 'csv', id: 'id', path: 'x.csv', fields: { lastName: 'name' } };

  it('defaults exclude to false', () => {
    expect(sourceSchema.parse({ ...base, where: { column: 'system', matches: 'crm' } }).where).toEqual({ column: 'system', matches: 'crm', exclude: false });
  });

  it('is optional', () => {
    expect(sourceSchema.parse(base).where).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['an empty pattern', { column: 'system', matches: '' }],
    ['an empty column', { column: '', matches: 'crm' }],
    ['no pattern', { column: 'system' }],
    ['an unknown key', { column: 'system', matches: 'crm', flags: 'i' }],
    ['a non-boolean exclude', { column: 'system', matches: 'crm', exclude: 'yes' }],
  ])('rejects %s', (_name, where) => {
    expect(sourceSchema.safeParse({ ...base, where }).success).toBe(false);
  });
});
