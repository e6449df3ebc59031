import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceSchema } from '../../src/config/settings-schema.js';
import { createConnector } from '../../src/connectors/create-connector.js';
import type { Connector, PulledRow } from '../../src/connectors/types.js';
import { startShopApi } from '../../src/demo/shop-api.js';
import { SourceError } from '../../src/errors.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'goldrun-create-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(c: Connector, watermark: string | null = null): Promise<PulledRow[]> {
  const out: PulledRow[] = [];
  for await (const row of c.rows({ watermark })) out.push(row);
  return out;
}

const noSecrets = () => undefined;

describe('createConnector', () => {
  it('builds a CSV connector with the settings defaults (comma, trimmed fields)', async () => {
    const path = join(dir, 'crm.csv');
    await writeFile(path, 'id, name ,changed\n1,  Ann  ,2024-01-01T00:00:00Z\n2,Bob,2024-02-01T00:00:00Z\n');
    const source = sourceSchema.parse({ name: 'crm', kind: 'csv', id: 'id', path, updatedAt: 'changed', fields: { firstName: 'name' } });
    const c = createConnector(source, noSecrets);
    expect(c.location).toBe(`file ${path}`);
    const rows = await collect(c, '2024-01-15T00:00:00.000Z');
    expect(rows).toEqual([{ kind: 'row', rowNumber: 3, values: { id: '2', name: 'Bob', changed: '2024-02-01T00:00:00Z' } }]);
    const all = await collect(c);
    expect(all[0]).toEqual({ kind: 'row', rowNumber: 2, values: { id: '1', name: 'Ann', changed: '2024-01-01T00:00:00Z' } });
  });

  it('passes the CSV delimiter from the settings', async () => {
    const path = join(dir, 'semi.csv');
    await writeFile(path, 'id;name\n1;Lee, Ann\n');
    const source = sourceSchema.parse({ name: 'crm', kind: 'csv', id: 'id', path, delimiter: ';', fields: { lastName: 'name' } });
    expect(await collect(createConnector(source, noSecrets))).toEqual([{ kind: 'row', rowNumber: 2, values: { id: '1', name: 'Lee, Ann' } }]);
  });

  it('builds a JSON Lines connector', async () => {
    const path = join(dir, 'shop.jsonl');
    await writeFile(path, '{"id":1,"u":"2024-01-01T00:00:00Z"}\n{"id":2,"u":"2024-03-01T00:00:00Z"}\n');
    const source = sourceSchema.parse({ name: 'shop', kind: 'jsonl', id: 'id', path, updatedAt: 'u', fields: { email: 'email' } });
    const rows = await collect(createConnector(source, noSecrets), '2024-02-01T00:00:00.000Z');
    expect(rows).toEqual([{ kind: 'row', rowNumber: 2, values: { id: 2, u: '2024-03-01T00:00:00Z' } }]);
  });

  it('throws a SourceError naming tokenEnv when the HTTP token secret is not set', () => {
    const source = sourceSchema.parse({ name: 'shop', kind: 'http', id: 'id', url: 'http://127.0.0.1:9/api', tokenEnv: 'SHOP_TOKEN', fields: { email: 'email' } });
    let err: unknown;
    try {
      createConnector(source, noSecrets);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).retryable).toBe(false);
    expect((err as SourceError).message).toContain('SHOP_TOKEN');
  });

  it('sends the HTTP token read from the secret, with the settings pagination', async () => {
    const records = [
      { id: 'a', updated_at: '2024-01-01' },
      { id: 'b', updated_at: '2024-01-02' },
      { id: 'c', updated_at: '2024-01-03' },
    ];
    const api = await startShopApi(records, { token: 'tok-123' });
    try {
      const source = sourceSchema.parse({
        name: 'shop',
        kind: 'http',
        id: 'id',
        url: api.url,
        tokenEnv: 'SHOP_TOKEN',
        pagination: { type: 'cursor', sizeParam: 'limit', size: 2 },
        fields: { email: 'email' },
      });
      const c = createConnector(source, (name) => (name === 'SHOP_TOKEN' ? 'tok-123' : undefined));
      const rows = await collect(c);
      expect(rows.map((r) => (r.kind === 'row' ? r.values.id : 'error'))).toEqual(['a', 'b', 'c']);
      expect(api.requests).toBe(2);
    } finally {
      await api.close();
    }
  });
});
