import { setTimeout as sleep } from 'node:timers/promises';
import { SourceError } from '../errors.js';
import type { Connector, PullOptions, PulledRow } from './types.js';
import { lookup } from '../standardize/record.js';

export type Pagination =
  | { type: 'none' }
  | { type: 'page'; pageParam: string; sizeParam: string; size: number; firstPage: number }
  | { type: 'cursor'; cursorParam: string; nextCursorPath: string; sizeParam?: string; size?: number };

export interface HttpSourceOptions {
  name: string;
  url: string;
  /** Bearer token, already read from the environment. */
  token?: string;
  recordsPath: string;
  pagination: Pagination;
  updatedSinceParam?: string;
  retries: number;
  retryDelayMs: number;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * Pulls records from a JSON API page by page (page numbers or cursors), retrying network
 * errors, 429 and 5xx with exponential backoff (honouring Retry-After). Authentication
 * failures are not retried: a new token, not time, fixes them.
 */
export function httpConnector(options: HttpSourceOptions): Connector {
  const u = new URL(options.url);
  return { location: `GET ${u.origin}${u.pathname}`, rows: (pull) => readApi(options, pull) };
}

async function* readApi(options: HttpSourceOptions, pull: PullOptions): AsyncGenerator<PulledRow> {
  const pagination = options.pagination;
  let page = pagination.type === 'page' ? pagination.firstPage : 0;
  let cursor: string | null = null;
  let rowNumber = 0;
  for (;;) {
    const url = new URL(options.url);
    if (pull.watermark !== null && options.updatedSinceParam) url.searchParams.set(options.updatedSinceParam, pull.watermark);
    if (pagination.type === 'page') {
      url.searchParams.set(pagination.pageParam, String(page));
      url.searchParams.set(pagination.sizeParam, String(pagination.size));
    } else if (pagination.type === 'cursor') {
      if (cursor !== null) url.searchParams.set(pagination.cursorParam, cursor);
      if (pagination.sizeParam && pagination.size) url.searchParams.set(pagination.sizeParam, String(pagination.size));
    }
    const body = await fetchJson(options, url, pull.signal);
    const records = options.recordsPath === '' ? body : lookup(asObject(body), options.recordsPath);
    if (!Array.isArray(records)) {
      throw new SourceError(options.name, `${url.pathname}: expected an array at "${options.recordsPath || '(body)'}"`, { retryable: false });
    }
    for (const record of records) {
      rowNumber++;
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        yield { kind: 'error', rowNumber, field: '', reason: 'expected a JSON object', raw: record };
      } else {
        yield { kind: 'row', rowNumber, values: record as Record<string, unknown> };
      }
    }
    if (pagination.type === 'none') return;
    if (pagination.type === 'page') {
      // Only an empty page ends the pull: a server that caps its page size below ours would
      // make a short page look like the last one.
      if (records.length === 0) return;
      page++;
      continue;
    }
    const next = lookup(asObject(body), pagination.nextCursorPath);
    if (next === null || next === undefined || next === '') return;
    cursor = String(next);
  }
}

/** Retry-After in seconds or as an HTTP date, capped at a minute; undefined when absent or unreadable. */
export function retryAfterDelay(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 60_000) : undefined;
}

function asObject(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

async function fetchJson(options: HttpSourceOptions, url: URL, signal?: AbortSignal): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let lastProblem = '';
  let retryAfterMs: number | undefined;
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    if (attempt > 0) {
      await sleep(retryAfterMs ?? options.retryDelayMs * 2 ** (attempt - 1), undefined, { signal });
    }
    retryAfterMs = undefined;
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      response = await doFetch(url, { headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (err) {
      lastProblem = (err as Error).message;
      continue;
    }
    if (response.ok) {
      try {
        return await response.json();
      } catch (err) {
        // A gateway's error page or a cut-off body: worth another try like a 5xx.
        lastProblem = `response is not JSON (${(err as Error).message})`;
        continue;
      }
    }
    await response.body?.cancel();
    if (response.status === 401 || response.status === 403) {
      throw new SourceError(options.name, `${url.pathname}: ${response.status} ${response.statusText}: check the token (tokenEnv)`, { retryable: false });
    }
    if (response.status === 429 || response.status === 408 || response.status === 425 || response.status >= 500) {
      lastProblem = `${response.status} ${response.statusText}`;
      retryAfterMs = retryAfterDelay(response.headers.get('retry-after'));
      continue;
    }
    throw new SourceError(options.name, `${url.pathname}: ${response.status} ${response.statusText}`, { retryable: false });
  }
  throw new SourceError(options.name, `${url.pathname}: gave up after ${options.retries + 1} attempts (${lastProblem})`, { retryable: true });
}
