import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonlConnector } from '../../src/connectors/jsonl-connector.js';
import type { Connector, PulledRow } from '../../src/connectors/types.js';
import { SourceError } from '../../src/errors.js';

let dir: string;
let fileNo = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'goldrun-jsonl-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(content: string | Buffer): Promise<string> {
  const path = join(dir, `f${++fileNo}.jsonl`);
  await writeFile(path, content);
  return path;
}

async function collect(c: Connector, watermark: string | null = null): Promise<PulledRow[]> {
  const out: PulledRow[] = [];
  for await (const row of c.rows({ watermark })) out.push(row);
  return out;
}

async function pull(content: string | Buffer, updatedAt?: string, watermark: string | null = null): Promise<PulledRow[]> {
  return collect(jsonlConnector({ name: 'shop', path: await file(content), updatedAt }), watermark);
}

function ids(rows: PulledRow[]): unknown[] {
  return rows.map((r) => (r.kind === 'row' ? r.values.id : `error@${r.rowNumber}`));
}

describe('jsonlConnector', () => {
  it('reads one object per line with its line number, keeping JSON types', async () => {
    const rows = await pull('{"id":1,"name":"Ann","tags":["a"],"address":{"city":"Bonn"}}\n{"id":"2","vip":true,"score":null}\n');
    expect(rows).toEqual([
      { kind: 'row', rowNumber: 1, values: { id: 1, name: 'Ann', tags: ['a'], address: { city: 'Bonn' } } },
      { kind: 'row', rowNumber: 2, values: { id: '2', vip: true, score: null } },
    ]);
  });

  it('reads a last line without a newline, and CRLF line ends', async () => {
    const rows = await pull('{"id":1}\r\n{"id":2}\r\n{"id":3}');
    expect(rows).toEqual([
      { kind: 'row', rowNumber: 1, values: { id: 1 } },
      { kind: 'row', rowNumber: 2, values: { id: 2 } },
      { kind: 'row', rowNumber: 3, values: { id: 3 } },
    ]);
  });

  it('skips blank and whitespace-only lines but still counts them', async () => {
    const rows = await pull('\n{"id":1}\n\n   \n\t\n{"id":2}\n\n');
    expect(rows).toEqual([
      { kind: 'row', rowNumber: 2, values: { id: 1 } },
      { kind: 'row', rowNumber: 6, values: { id: 2 } },
    ]);
  });

  it('yields a line that is not valid JSON as an error with its line number and goes on', async () => {
    const rows = await pull('{"id":1}\n{"id":2,\n{"id":3}\n');
    expect(ids(rows)).toEqual([1, 'error@2', 3]);
    const error = rows[1]!;
    if (error.kind !== 'error') throw new Error('expected an error');
    expect(error.reason).toMatch(/^not valid JSON/);
    expect(error.raw).toBe('{"id":2,');
    expect(rows[2]!.rowNumber).toBe(3);
  });

  it.each([
    ['an array', '[1,2]'],
    ['a number', '42'],
    ['a string', '"text"'],
    ['null', 'null'],
    ['a boolean', 'true'],
  ])('yields %s as an error: each line must be an object', async (_what, line) => {
    const rows = await pull(`{"id":1}\n${line}\n{"id":3}\n`);
    expect(ids(rows)).toEqual([1, 'error@2', 3]);
    const error = rows[1]!;
    if (error.kind !== 'error') throw new Error('expected an error');
    expect(error.reason).toBe('expected a JSON object');
    expect(error.raw).toBe(line);
  });

  it('drops a byte-order mark on the first line', async () => {
    const rows = await pull(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":1}\n{"id":2}\n')]));
    expect(rows).toEqual([
      { kind: 'row', rowNumber: 1, values: { id: 1 } },
      { kind: 'row', rowNumber: 2, values: { id: 2 } },
    ]);
  });

  it('reads an empty file as no rows', async () => {
    expect(await pull('')).toEqual([]);
  });

  it('rejects a missing file with a SourceError naming the path, not retryable', async () => {
    const path = join(dir, 'missing.jsonl');
    let err: unknown;
    try {
      await collect(jsonlConnector({ name: 'shop', path }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).retryable).toBe(false);
    expect((err as SourceError).message).toContain(path);
  });

  it('reports its location and a progress of 1 after a pull', async () => {
    const path = await file('{"id":1}\n{"id":2}\n');
    const c = jsonlConnector({ name: 'shop', path });
    expect(c.location).toBe(`file ${path}`);
    expect(c.progress!()).toBeNull();
    await collect(c);
    expect(c.progress!()).toBe(1);
  });
});

describe('jsonlConnector: incremental pulls', () => {
  const content = [
    '{"id":1,"updated_at":"2024-01-01T00:00:00Z"}',
    '{"id":2,"updated_at":"2024-01-02T12:00:00+02:00"}',
    '{"id":3,"updated_at":"2024-01-03T00:00:00Z"}',
    '{"id":4,"updated_at":"2024-01-02T09:59:59Z"}',
    '{"id":5}',
    '{"id":6,"updated_at":null}',
    '',
  ].join('\n');

  it('without a watermark pulls every line', async () => {
    expect(ids(await pull(content, 'updated_at'))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('with a watermark pulls only objects changed at or after it, keeping those without a change time', async () => {
    const rows = await pull(content, 'updated_at', '2024-01-02T10:00:00.000Z');
    expect(ids(rows)).toEqual([2, 3, 5, 6]);
    expect(rows.map((r) => r.rowNumber)).toEqual([2, 3, 5, 6]);
  });

  it('compares numeric change counters as numbers', async () => {
    const rows = await pull('{"id":1,"v":9}\n{"id":2,"v":10}\n{"id":3,"v":"100"}\n', 'v', '10');
    expect(ids(rows)).toEqual([2, 3]);
  });

  it('still yields bad lines as errors on incremental pulls', async () => {
    const rows = await pull('{"id":1,"updated_at":"2020-01-01T00:00:00Z"}\nnot json\n{"id":3,"updated_at":"2030-01-01T00:00:00Z"}\n', 'updated_at', '2025-01-01T00:00:00.000Z');
    expect(ids(rows)).toEqual(['error@2', 3]);
  });
});
