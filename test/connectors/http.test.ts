import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { httpConnector, type HttpSourceOptions, retryAfterDelay } from '../../src/connectors/http-connector.js';
import type { Connector, PulledRow } from '../../src/connectors/types.js';
import { startShopApi, type ShopApi } from '../../src/demo/shop-api.js';
import { SourceError } from '../../src/errors.js';

interface Seen {
  url: URL;
  headers: IncomingHttpHeaders;
}

interface TestServer {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A tiny API: the handler answers each request; every request is recorded. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse, url: URL, n: number) => void, path = '/api/items'): Promise<TestServer> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    seen.push({ url, headers: req.headers });
    handler(req, res, url, seen.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  cleanups.push(close);
  return { url: `http://127.0.0.1:${port}${path}`, seen, close };
}

function json(res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

async function shop(records: ReadonlyArray<Record<string, unknown>>, options: { token: string; failFirst?: number }): Promise<ShopApi> {
  const api = await startShopApi(records, options);
  cleanups.push(() => api.close());
  return api;
}

function connector(options: Partial<HttpSourceOptions> & { url: string }): Connector {
  return httpConnector({
    name: 'shop',
    recordsPath: 'data',
    pagination: { type: 'none' },
    retries: 0,
    retryDelayMs: 5,
    timeoutMs: 5_000,
    ...options,
  });
}

async function collect(c: Connector, watermark: string | null = null): Promise<PulledRow[]> {
  const out: PulledRow[] = [];
  for await (const row of c.rows({ watermark })) out.push(row);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError);
    return err as SourceError;
  }
  throw new Error('expected the pull to reject');
}

function values(rows: PulledRow[]): Record<string, unknown>[] {
  return rows.map((r) => {
    if (r.kind !== 'row') throw new Error(`expected a row, got ${JSON.stringify(r)}`);
    return r.values;
  });
}

const customers = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `c${i + 1}`, name: `Customer ${i + 1}`, updated_at: `2024-01-${String(i + 1).padStart(2, '0')}T00:00:00.000Z` }));

describe('httpConnector: pagination', () => {
  it('reads page by page and stops at the first empty page', async () => {
    const records = customers(7);
    const api = await serve((_req, res, url) => {
      const page = Number(url.searchParams.get('page'));
      const size = Number(url.searchParams.get('per_page'));
      json(res, { data: records.slice((page - 1) * size, page * size) });
    });
    const rows = await collect(connector({ url: api.url, pagination: { type: 'page', pageParam: 'page', sizeParam: 'per_page', size: 3, firstPage: 1 } }));
    expect(values(rows).map((v) => v.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(api.seen.map((s) => [s.url.searchParams.get('page'), s.url.searchParams.get('per_page')])).toEqual([
      ['1', '3'],
      ['2', '3'],
      ['3', '3'],
      ['4', '3'],
    ]);
  });

  it('keeps paging when the server caps the page size below the one asked for', async () => {
    const records = customers(7);
    const api = await serve((_req, res, url) => {
      const page = Number(url.searchParams.get('page'));
      // Asked for 5 per page, the server sends at most 2 (its own limit).
      json(res, { data: records.slice((page - 1) * 2, page * 2) });
    });
    const rows = await collect(connector({ url: api.url, pagination: { type: 'page', pageParam: 'page', sizeParam: 'per_page', size: 5, firstPage: 1 } }));
    expect(values(rows).map((v) => v.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
  });

  it('asks for one more page after a full last page and stops at the empty one, starting at firstPage', async () => {
    const records = customers(4);
    const api = await serve((_req, res, url) => {
      const page = Number(url.searchParams.get('p'));
      const size = Number(url.searchParams.get('n'));
      json(res, { data: records.slice(page * size, (page + 1) * size) });
    });
    const rows = await collect(connector({ url: api.url, pagination: { type: 'page', pageParam: 'p', sizeParam: 'n', size: 2, firstPage: 0 } }));
    expect(values(rows).map((v) => v.id)).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(api.seen.map((s) => s.url.searchParams.get('p'))).toEqual(['0', '1', '2']);
  });

  it('follows cursors until the next cursor is null (shop API)', async () => {
    const records = customers(5);
    const api = await shop(records, { token: 't0ken' });
    const rows = await collect(
      connector({ url: api.url, token: 't0ken', pagination: { type: 'cursor', cursorParam: 'cursor', nextCursorPath: 'next_cursor', sizeParam: 'limit', size: 2 } }),
    );
    expect(values(rows)).toEqual(records);
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(api.requests).toBe(3);
  });

  it('sends no cursor on the first request, then the cursor found at a nested path', async () => {
    const pages: Record<string, { items: unknown[]; next: string | null }> = {
      '': { items: [{ id: 1 }, { id: 2 }], next: 'abc' },
      abc: { items: [{ id: 3 }], next: 'def' },
      def: { items: [{ id: 4 }], next: null },
    };
    const api = await serve((_req, res, url) => {
      const page = pages[url.searchParams.get('after') ?? '']!;
      json(res, { result: { items: page.items }, meta: { paging: { next: page.next } } });
    });
    const rows = await collect(
      connector({ url: api.url, recordsPath: 'result.items', pagination: { type: 'cursor', cursorParam: 'after', nextCursorPath: 'meta.paging.next' } }),
    );
    expect(values(rows).map((v) => v.id)).toEqual([1, 2, 3, 4]);
    expect(api.seen.map((s) => s.url.searchParams.get('after'))).toEqual([null, 'abc', 'def']);
    // no size parameter was configured, so none is sent
    expect(api.seen.every((s) => !s.url.searchParams.has('limit'))).toBe(true);
  });

  it('stops when the next cursor is missing or empty', async () => {
    const api = await serve((_req, res, url) => {
      if (!url.searchParams.has('cursor')) json(res, { data: [{ id: 1 }], next_cursor: 'x' });
      else json(res, { data: [{ id: 2 }], next_cursor: '' });
    });
    const rows = await collect(connector({ url: api.url, pagination: { type: 'cursor', cursorParam: 'cursor', nextCursorPath: 'next_cursor' } }));
    expect(values(rows).map((v) => v.id)).toEqual([1, 2]);
    expect(api.seen).toHaveLength(2);
  });

  it('turns a numeric cursor into text for the next request', async () => {
    const api = await serve((_req, res, url) => {
      const cursor = url.searchParams.get('cursor');
      if (cursor === null) json(res, { data: [{ id: 1 }], next_cursor: 42 });
      else json(res, { data: [{ id: 2 }] });
    });
    const rows = await collect(connector({ url: api.url, pagination: { type: 'cursor', cursorParam: 'cursor', nextCursorPath: 'next_cursor' } }));
    expect(values(rows).map((v) => v.id)).toEqual([1, 2]);
    expect(api.seen[1]!.url.searchParams.get('cursor')).toBe('42');
  });

  it('reads a body that is itself the array when recordsPath is empty, in one request without pagination', async () => {
    const api = await serve((_req, res) => json(res, [{ id: 1 }, { id: 2 }, { id: 3 }]));
    const rows = await collect(connector({ url: api.url, recordsPath: '' }));
    expect(values(rows)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(api.seen).toHaveLength(1);
  });

  it('reads records at a nested path', async () => {
    const api = await serve((_req, res) => json(res, { response: { body: { customers: [{ id: 'a' }, { id: 'b' }] } } }));
    const rows = await collect(connector({ url: api.url, recordsPath: 'response.body.customers' }));
    expect(values(rows)).toEqual([{ id: 'a' }, { id: 'b' }]);
  });

  it('rejects, without retrying, a response with no array at recordsPath', async () => {
    const api = await serve((_req, res) => json(res, { items: [{ id: 1 }] }));
    const err = await rejection(collect(connector({ url: api.url, recordsPath: 'data', retries: 3 })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('expected an array at "data"');
    expect(api.seen).toHaveLength(1);
  });

  it('keeps query parameters already in the url alongside its own', async () => {
    const api = await serve((_req, res) => json(res, { data: [] }));
    await collect(connector({ url: `${api.url}?region=eu`, pagination: { type: 'page', pageParam: 'page', sizeParam: 'per_page', size: 10, firstPage: 1 } }));
    expect(api.seen[0]!.url.searchParams.get('region')).toBe('eu');
    expect(api.seen[0]!.url.searchParams.get('page')).toBe('1');
  });

  it('names its location without the query string', async () => {
    const c = connector({ url: 'https://shop.example/api/customers?key=secret' });
    expect(c.location).toBe('GET https://shop.example/api/customers');
  });
});

describe('httpConnector: authentication', () => {
  it('sends the bearer token and asks for JSON', async () => {
    const api = await serve((_req, res) => json(res, { data: [{ id: 1 }] }));
    await collect(connector({ url: api.url, token: 's3cret-token' }));
    expect(api.seen[0]!.headers.authorization).toBe('Bearer s3cret-token');
    expect(api.seen[0]!.headers.accept).toBe('application/json');
  });

  it('sends the token on every page', async () => {
    const api = await shop(customers(5), { token: 'abc' });
    const rows = await collect(connector({ url: api.url, token: 'abc', pagination: { type: 'cursor', cursorParam: 'cursor', nextCursorPath: 'next_cursor', sizeParam: 'limit', size: 2 } }));
    expect(rows).toHaveLength(5);
    expect(api.requests).toBe(3);
  });

  it('sends no Authorization header without a token', async () => {
    const api = await serve((_req, res) => json(res, { data: [] }));
    await collect(connector({ url: api.url }));
    expect(api.seen[0]!.headers.authorization).toBeUndefined();
  });

  it('fails at once on 401, not retryable, without retrying', async () => {
    const api = await shop(customers(3), { token: 'right' });
    const err = await rejection(collect(connector({ url: api.url, token: 'wrong', retries: 4 })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('401');
    expect(err.message).toContain('tokenEnv');
    expect(api.requests).toBe(1);
  });

  it('fails at once on 403, not retryable, without retrying', async () => {
    const api = await serve((_req, res) => json(res, { error: 'forbidden' }, 403));
    const err = await rejection(collect(connector({ url: api.url, token: 'x', retries: 4 })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('403');
    expect(api.seen).toHaveLength(1);
  });
});

describe('httpConnector: retries', () => {
  it('retries 503 twice and then reads every record', async () => {
    const records = customers(5);
    const api = await shop(records, { token: 't', failFirst: 2 });
    const rows = await collect(
      connector({ url: api.url, token: 't', retries: 4, retryDelayMs: 5, pagination: { type: 'cursor', cursorParam: 'cursor', nextCursorPath: 'next_cursor', sizeParam: 'limit', size: 2 } }),
    );
    expect(values(rows)).toEqual(records);
    expect(api.requests).toBe(2 + 3);
  });

  it('retries a failure on a later page and goes on from that page', async () => {
    const records = customers(6);
    const api = await serve((_req, res, url, n) => {
      if (n === 2) return json(res, { error: 'busy' }, 502);
      const page = Number(url.searchParams.get('page'));
      json(res, { data: records.slice((page - 1) * 3, page * 3) });
    });
    const rows = await collect(connector({ url: api.url, retries: 2, pagination: { type: 'page', pageParam: 'page', sizeParam: 'size', size: 3, firstPage: 1 } }));
    expect(values(rows).map((v) => v.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(api.seen.map((s) => s.url.searchParams.get('page'))).toEqual(['1', '2', '2', '3']);
  });

  it('retries 429 too', async () => {
    const api = await serve((_req, res, _url, n) => (n === 1 ? json(res, { error: 'slow down' }, 429) : json(res, { data: [{ id: 1 }] })));
    const rows = await collect(connector({ url: api.url, retries: 1 }));
    expect(values(rows)).toEqual([{ id: 1 }]);
    expect(api.seen).toHaveLength(2);
  });

  it('gives up after retries + 1 attempts with a retryable SourceError', async () => {
    const api = await shop(customers(3), { token: 't', failFirst: 100 });
    const err = await rejection(collect(connector({ url: api.url, token: 't', retries: 2, retryDelayMs: 5 })));
    expect(err.retryable).toBe(true);
    expect(err.source).toBe('shop');
    expect(err.message).toContain('gave up after 3 attempts');
    expect(err.message).toContain('503');
    expect(api.requests).toBe(3);
  });

  it('backs off exponentially from retryDelayMs', async () => {
    const api = await serve((_req, res) => json(res, { error: 'down' }, 500));
    const started = Date.now();
    await rejection(collect(connector({ url: api.url, retries: 3, retryDelayMs: 60 })));
    // 60 + 120 + 240 ms of waiting
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(api.seen).toHaveLength(4);
  });

  it('waits as long as Retry-After asks', async () => {
    const api = await serve((_req, res, _url, n) => (n === 1 ? json(res, { error: 'later' }, 503, { 'retry-after': '1' }) : json(res, { data: [{ id: 1 }] })));
    const started = Date.now();
    const rows = await collect(connector({ url: api.url, retries: 1, retryDelayMs: 5 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(values(rows)).toEqual([{ id: 1 }]);
  });

  it('retries network errors and then gives up with a retryable SourceError', async () => {
    const api = await serve((_req, res) => json(res, { data: [] }));
    await api.close();
    const err = await rejection(collect(connector({ url: api.url, retries: 2, retryDelayMs: 5 })));
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('gave up after 3 attempts');
  });

  it('times out a request that gets no answer and retries it', async () => {
    const api = await serve((_req, res, _url, n) => {
      if (n === 2) json(res, { data: [{ id: 1 }] });
      // the first request never gets an answer
    });
    const rows = await collect(connector({ url: api.url, retries: 1, timeoutMs: 200 }));
    expect(values(rows)).toEqual([{ id: 1 }]);
    expect(api.seen).toHaveLength(2);
  });

  it('does not retry other client errors such as 404', async () => {
    const api = await serve((_req, res) => json(res, { error: 'no such thing' }, 404));
    const err = await rejection(collect(connector({ url: api.url, retries: 3 })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('404');
    expect(api.seen).toHaveLength(1);
  });
});

describe('httpConnector: incremental pulls and bad records', () => {
  it('carries the watermark in updatedSinceParam on every request', async () => {
    const records = customers(6);
    const api = await shop(records, { token: 't' });
    const rows = await collect(
      connector({ url: api.url, token: 't', updatedSinceParam: 'updated_since', pagination: { type: 'cursor', cursorParam: 'cursor', nextCursorPath: 'next_cursor', sizeParam: 'limit', size: 2 } }),
      '2024-01-04T00:00:00.000Z',
    );
    expect(values(rows).map((v) => v.id)).toEqual(['c4', 'c5', 'c6']);
  });

  it('sends the watermark as given, and nothing without one', async () => {
    const api = await serve((_req, res) => json(res, { data: [] }));
    await collect(connector({ url: api.url, updatedSinceParam: 'since' }), '2024-05-01T10:00:00.000Z');
    await collect(connector({ url: api.url, updatedSinceParam: 'since' }), null);
    await collect(connector({ url: api.url }), '2024-05-01T10:00:00.000Z');
    expect(api.seen.map((s) => s.url.searchParams.get('since'))).toEqual(['2024-05-01T10:00:00.000Z', null, null]);
  });

  it('yields an item that is not an object as an error row and goes on', async () => {
    const api = await serve((_req, res) => json(res, { data: [{ id: 1 }, 'text', 7, null, [1, 2], { id: 6 }] }));
    const rows = await collect(connector({ url: api.url }));
    expect(rows.map((r) => [r.kind, r.rowNumber])).toEqual([
      ['row', 1],
      ['error', 2],
      ['error', 3],
      ['error', 4],
      ['error', 5],
      ['row', 6],
    ]);
    const error = rows[1]!;
    if (error.kind !== 'error') throw new Error('expected an error');
    expect(error.reason).toBe('expected a JSON object');
    expect(error.raw).toBe('text');
    expect(values([rows[5]!])).toEqual([{ id: 6 }]);
  });

  it('rejects a response that stays not JSON with a retryable SourceError, after retrying it', async () => {
    const api = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Gateway login</html>');
    });
    const err = await rejection(collect(connector({ url: api.url, retries: 2, retryDelayMs: 1 })));
    expect(err.message).toContain('not JSON');
    expect(err.source).toBe('shop');
    expect(err.retryable).toBe(true);
    expect(api.seen).toHaveLength(3);
  });

  it('retries a body cut off once and then reads the page', async () => {
    let calls = 0;
    const api = await serve((_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": [{"id": 1}');
      else json(res, { data: [{ id: 1 }] });
    });
    const rows = await collect(connector({ url: api.url, retries: 2, retryDelayMs: 1 }));
    expect(values(rows)).toEqual([{ id: 1 }]);
  });
});

describe('retryAfterDelay', () => {
  it.each([
    ['2', 2000],
    ['0', undefined],
    ['3600', 60_000],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10_000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', undefined],
    ['soon', undefined],
    [null, undefined],
  ])('%j → %j ms', (header, expected) => {
    expect(retryAfterDelay(header, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(expected);
  });
});
