import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

export interface ShopApi {
  url: string;
  requests: number;
  close(): Promise<void>;
}

/**
 * The demo's web shop: a JSON API behind a bearer token, paged by cursor
 * (`?cursor=…&limit=…` → `{ data, next_cursor }`), filterable by `updated_since`.
 * Tests use it too, with `failFirst` to act out an outage.
 */
export async function startShopApi(records: ReadonlyArray<Record<string, unknown>>, options: { token: string; failFirst?: number }): Promise<ShopApi> {
  let failures = options.failFirst ?? 0;
  const expected = Buffer.from(`Bearer ${options.token}`);
  const api = { url: '', requests: 0, close: async () => {} } as ShopApi;
  const server: Server = createServer((req, res) => {
    api.requests++;
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    if (failures > 0) {
      failures--;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"maintenance"}');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api/customers') {
      res.writeHead(404).end();
      return;
    }
    const since = url.searchParams.get('updated_since');
    const limit = Math.min(500, Number(url.searchParams.get('limit') ?? 100) || 100);
    const offset = Number(url.searchParams.get('cursor') ?? 0) || 0;
    const visible = since ? records.filter((r) => String(r.updated_at) >= since) : records;
    const page = visible.slice(offset, offset + limit);
    const next = offset + limit < visible.length ? String(offset + limit) : null;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: page, next_cursor: next }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  api.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/customers`;
  api.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return api;
}
