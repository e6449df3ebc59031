import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvConnector, type CsvOptions } from '../../src/connectors/csv-connector.js';
import type { Connector, PulledRow } from '../../src/connectors/types.js';
import { SourceError } from '../../src/errors.js';
import { contentHash, hashedRow } from '../../src/pipeline/row-hash.js';

let dir: string;
let fileNo = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'goldrun-csv-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(content: string | Buffer): Promise<string> {
  const path = join(dir, `f${++fileNo}.csv`);
  await writeFile(path, content);
  return path;
}

function connector(path: string, options: Partial<CsvOptions> = {}): Connector {
  return csvConnector({ name: 'crm', path, delimiter: ',', quote: '"', encoding: 'utf8', trim: false, ...options });
}

async function collect(c: Connector, watermark: string | null = null): Promise<PulledRow[]> {
  const out: PulledRow[] = [];
  for await (const row of c.rows({ watermark })) out.push(row);
  return out;
}

async function pull(content: string | Buffer, options: Partial<CsvOptions> = {}, watermark: string | null = null): Promise<PulledRow[]> {
  return collect(connector(await file(content), options), watermark);
}

function valuesOf(rows: PulledRow[]): Record<string, unknown>[] {
  return rows.map((r) => {
    if (r.kind !== 'row') throw new Error(`expected a row, got ${JSON.stringify(r)}`);
    return r.values;
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

describe('csvConnector: reading', () => {
  it('reads the header and each row as an object keyed by column, with line numbers', async () => {
    const rows = await pull('id,first,last\n1,Ann,Lee\n2,Bob,Ray\n');
    expect(rows).toEqual([
      { kind: 'row', rowNumber: 2, values: { id: '1', first: 'Ann', last: 'Lee' } },
      { kind: 'row', rowNumber: 3, values: { id: '2', first: 'Bob', last: 'Ray' } },
    ]);
  });

  it('keys each row in sorted column order, so its JSON is the canonical text; a repeated name keeps its last column', async () => {
    const [row] = valuesOf(await pull('zip,id,name,city,name\n2000,7,Ann,Sydney,Anne\n'));
    expect(Object.keys(row!)).toEqual(['city', 'id', 'name', 'zip']);
    expect(row).toEqual({ zip: '2000', id: '7', name: 'Anne', city: 'Sydney' });
    expect(hashedRow(row!)).toEqual({ json: '{"city":"Sydney","id":"7","name":"Anne","zip":"2000"}', hash: contentHash(row) });
  });

  it('reads a last line without a trailing newline', async () => {
    expect(valuesOf(await pull('id,name\n1,a\n2,b'))).toEqual([{ id: '1', name: 'a' }, { id: '2', name: 'b' }]);
  });

  it('reads quoted fields with doubled quotes, delimiters and newlines inside the quotes', async () => {
    const rows = await pull('id,name,note\n1,"Ann ""Nan"" Lee","Main St, 5"\n2,"two\nlines",x\n3,plain,y\n');
    expect(valuesOf(rows)).toEqual([
      { id: '1', name: 'Ann "Nan" Lee', note: 'Main St, 5' },
      { id: '2', name: 'two\nlines', note: 'x' },
      { id: '3', name: 'plain', note: 'y' },
    ]);
    // the quoted newline took a line: the row after it is on line 5
    expect(rows[2]!.rowNumber).toBe(5);
  });

  it('accepts quoted header names', async () => {
    expect(valuesOf(await pull('"id","first name"\n1,Ann\n'))).toEqual([{ id: '1', 'first name': 'Ann' }]);
  });

  it('drops a UTF-8 byte-order mark so the first column keeps its name', async () => {
    const rows = await pull(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,name\n1,Zoë\n')]));
    expect(valuesOf(rows)).toEqual([{ id: '1', name: 'Zoë' }]);
    expect(Object.keys(valuesOf(rows)[0]!)[0]).toBe('id');
  });

  it('reads a semicolon-delimited file, leaving commas inside fields alone', async () => {
    const rows = await pull('id;name;city\n1;Lee, Ann;"Bonn;Rhein"\n', { delimiter: ';' });
    expect(valuesOf(rows)).toEqual([{ id: '1', name: 'Lee, Ann', city: 'Bonn;Rhein' }]);
  });

  it('reads a tab-delimited file', async () => {
    const rows = await pull('id\tname\tnote\n1\tAnn Lee\ta,b;c\n', { delimiter: '\t' });
    expect(valuesOf(rows)).toEqual([{ id: '1', name: 'Ann Lee', note: 'a,b;c' }]);
  });

  it('reads FEBRL-style ", " separators with trim, empty fields becoming null', async () => {
    const content = 'rec_id, given_name, surname, age\nrec-1-org, john, , 33\nrec-2-dup-0, , smith, \n';
    const rows = await pull(content, { delimiter: ', ', trim: true });
    expect(valuesOf(rows)).toEqual([
      { rec_id: 'rec-1-org', given_name: 'john', surname: null, age: '33' },
      { rec_id: 'rec-2-dup-0', given_name: null, surname: 'smith', age: null },
    ]);
  });

  it('keeps surrounding spaces when trim is off and removes them when it is on', async () => {
    const content = 'id,name\n1,  Ann  \n';
    expect(valuesOf(await pull(content))).toEqual([{ id: '1', name: '  Ann  ' }]);
    expect(valuesOf(await pull(content, { trim: true }))).toEqual([{ id: '1', name: 'Ann' }]);
  });

  it('turns an empty field into null, quoted or not', async () => {
    const rows = await pull('id,first,last,email\n1,,Lee,""\n');
    expect(valuesOf(rows)).toEqual([{ id: '1', first: null, last: 'Lee', email: null }]);
  });

  it('skips blank lines and handles CRLF line ends, counting lines for row numbers', async () => {
    const rows = await pull('id,name\r\n1,a\r\n\r\n2,b\r\n');
    expect(rows).toEqual([
      { kind: 'row', rowNumber: 2, values: { id: '1', name: 'a' } },
      { kind: 'row', rowNumber: 4, values: { id: '2', name: 'b' } },
    ]);
  });

  it('reads a latin1 file when told its encoding', async () => {
    const rows = await pull(Buffer.from('id,name\n1,Müller\n', 'latin1'), { encoding: 'latin1' });
    expect(valuesOf(rows)).toEqual([{ id: '1', name: 'Müller' }]);
  });

  it('reads a stray quote inside an unquoted field literally', async () => {
    const rows = await pull('id,name,note\n1,O"Brien,5" screen\n2,next,row\n');
    expect(valuesOf(rows)).toEqual([
      { id: '1', name: 'O"Brien', note: '5" screen' },
      { id: '2', name: 'next', note: 'row' },
    ]);
  });

  it('reports where the file is read from', () => {
    expect(connector('/data/crm.csv').location).toBe('file /data/crm.csv');
  });
});

describe('csvConnector: bad rows', () => {
  it('yields a row with too many fields as an error naming its line and the counts, then goes on', async () => {
    const rows = await pull('id,name\n1,a\n2,b,extra\n3,c\n');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({ kind: 'row', rowNumber: 2, values: { id: '1', name: 'a' } });
    const error = rows[1]!;
    expect(error.kind).toBe('error');
    expect(error.rowNumber).toBe(3);
    if (error.kind !== 'error') throw new Error('unreachable');
    expect(error.reason).toMatch(/expected 2 fields/);
    expect(error.reason).toMatch(/found 3/);
    expect(error.raw).toEqual(['2', 'b', 'extra']);
    expect(rows[2]).toEqual({ kind: 'row', rowNumber: 4, values: { id: '3', name: 'c' } });
  });

  it('yields a row with too few fields as an error, then goes on', async () => {
    const rows = await pull('id,name,city\n1,a,x\n2\n3,c,z\n');
    expect(rows.map((r) => [r.kind, r.rowNumber])).toEqual([['row', 2], ['error', 3], ['row', 4]]);
    const error = rows[1]!;
    if (error.kind !== 'error') throw new Error('expected an error');
    expect(error.reason).toBe('expected 3 fields, found 1');
    expect(valuesOf([rows[2]!])).toEqual([{ id: '3', name: 'c', city: 'z' }]);
  });

  it('numbers a row by the line it starts on, also after a row with a quoted newline', async () => {
    const rows = await pull('id,name\n1,"multi\nline"\n2,b,extra\n3,c\n');
    expect(rows.map((r) => r.kind)).toEqual(['row', 'error', 'row']);
    expect(rows.map((r) => r.rowNumber)).toEqual([2, 4, 5]);
  });

  it('yields an unclosed quote at the end of the file as an error instead of failing the pull', async () => {
    const rows = await pull('id,name\n1,ok\n2,"never closed\n3,x\n');
    expect(rows[0]).toEqual({ kind: 'row', rowNumber: 2, values: { id: '1', name: 'ok' } });
    const errors = rows.filter((r) => r.kind === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.kind === 'error' && errors[0]!.reason).toMatch(/unreadable row: .*quote/i);
  });

  it('quarantines a quote never closed early in a large file as one row and reads every row after it', async () => {
    const after = Array.from({ length: 40_000 }, (_, i) => `${i + 3},name ${i + 3},${'x'.repeat(30)}`);
    const rows = await pull(['id,name,note', '1,ok,a', '2,"never closed,b', ...after, ''].join('\n'));
    expect(rows).toHaveLength(2 + after.length);
    expect(rows[1]!.kind).toBe('error');
    expect(rows[1]!.rowNumber).toBe(3);
    expect(rows[1]!.kind === 'error' && rows[1]!.reason).toMatch(/unreadable row: .*quote never closed/);
    // Its line is kept for the quarantine.
    expect(rows[1]!.kind === 'error' && rows[1]!.raw).toBe('2,"never closed,b');
    expect(rows.slice(2).every((r) => r.kind === 'row')).toBe(true);
    // id n is on line n + 1, after the header
    expect(rows.at(-1)).toEqual({ kind: 'row', rowNumber: 40_003, values: { id: '40002', name: 'name 40002', note: 'x'.repeat(30) } });
  });
});

describe('csvConnector: files that cannot be read', () => {
  it('rejects a missing file with a SourceError naming the path, not retryable', async () => {
    const path = join(dir, 'does-not-exist.csv');
    const err = await rejection(collect(connector(path)));
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).retryable).toBe(false);
    expect((err as SourceError).source).toBe('crm');
    expect((err as SourceError).message).toContain(path);
    expect((err as SourceError).message).toContain('ENOENT');
  });

  it('rejects an empty file: there is no header', async () => {
    const err = await rejection(pull(''));
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).retryable).toBe(false);
    expect((err as SourceError).message).toMatch(/empty/);
  });

  it('rejects a file of blank lines: there is no header', async () => {
    const err = await rejection(pull('\n\n\n'));
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).message).toMatch(/empty/);
  });

  it('reads a header-only file as no rows', async () => {
    expect(await pull('id,name\n')).toEqual([]);
  });

  it('rejects when the updatedAt column is not in the header', async () => {
    const err = await rejection(pull('id,name\n1,a\n', { updatedAt: 'changed' }));
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).retryable).toBe(false);
    expect((err as SourceError).message).toContain('"changed"');
  });
});

describe('csvConnector: incremental pulls', () => {
  const content = [
    'id,name,changed',
    '1,old,2024-01-01T00:00:00Z',
    '2,same instant other offset,2024-01-02T12:00:00+02:00',
    '3,newer,2024-01-03T00:00:00Z',
    '4,just before,2024-01-02T09:59:59.999Z',
    '5,date only newer,2024-01-05',
    '',
  ].join('\n');

  it('pulls everything without a watermark', async () => {
    const rows = await pull(content, { updatedAt: 'changed' });
    expect(valuesOf(rows).map((v) => v.id)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('with a watermark, pulls only rows changed at or after it, comparing instants across offsets', async () => {
    const rows = await pull(content, { updatedAt: 'changed' }, '2024-01-02T10:00:00.000Z');
    expect(valuesOf(rows).map((v) => v.id)).toEqual(['2', '3', '5']);
    // values are passed on as the file holds them
    expect(valuesOf(rows)[0]!.changed).toBe('2024-01-02T12:00:00+02:00');
  });

  it('keeps the file line numbers of the rows it passes on', async () => {
    const rows = await pull(content, { updatedAt: 'changed' }, '2024-01-02T10:00:00.000Z');
    expect(rows.map((r) => r.rowNumber)).toEqual([3, 4, 6]);
  });

  it('passes on rows without a change time rather than losing them', async () => {
    const rows = await pull('id,changed\n1,2020-01-01T00:00:00Z\n2,\n3,2030-01-01T00:00:00Z\n', { updatedAt: 'changed' }, '2025-01-01T00:00:00.000Z');
    expect(valuesOf(rows).map((v) => v.id)).toEqual(['2', '3']);
  });

  it('compares numeric change counters as numbers', async () => {
    const rows = await pull('id,version\n1,9\n2,10\n3,100\n4,2\n', { updatedAt: 'version' }, '10');
    expect(valuesOf(rows).map((v) => v.id)).toEqual(['2', '3']);
  });

  it('ignores the watermark when the source has no updatedAt column', async () => {
    const rows = await pull(content, {}, '2099-01-01T00:00:00.000Z');
    expect(rows).toHaveLength(5);
  });
});

describe('csvConnector: progress', () => {
  it('knows nothing before a pull and reaches 1 at the end', async () => {
    const c = connector(await file('id,name\n1,a\n2,b\n'));
    expect(c.progress!()).toBeNull();
    await collect(c);
    expect(c.progress!()).toBe(1);
  });

  it('reports a fraction below 1 part way through a large file and 1 at the end', async () => {
    const lines = ['id,name,note'];
    for (let i = 1; i <= 20_000; i++) lines.push(`${i},name ${i},${'x'.repeat(40)}`);
    const c = connector(await file(lines.join('\n') + '\n'));
    let first: number | null = null;
    let last = 0;
    let count = 0;
    let monotonic = true;
    for await (const row of c.rows({ watermark: null })) {
      if (row.kind === 'row') count++;
      const p = c.progress!();
      if (first === null) first = p;
      if (p === null || p < last) monotonic = false;
      last = p ?? last;
    }
    expect(count).toBe(20_000);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(1);
    expect(monotonic).toBe(true);
    expect(c.progress!()).toBe(1);
  });
});
