import { GoldrunError, SourceError } from '../errors.js';
import type { ScanChunk, ScanTotals } from './scan-rows.js';

/** Chunks a scanning thread may post before the pull has taken one: enough to keep both sides busy. */
export const CHUNKS_IN_FLIGHT = 2;

/** What a scanning thread posts: chunks, then the totals or the error that stopped it. */
export type ScanMessage =
  | { kind: 'chunk'; chunk: ScanChunk }
  | { kind: 'done'; totals: ScanTotals }
  | { kind: 'error'; error: SerializedError };

/** What the pull posts back for each chunk it has written: a credit, and the chunk's buffer to write over. */
export interface ScanCredit {
  spare: ArrayBuffer | null;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  retryable: boolean;
  source?: string;
}

/** Errors cross threads as plain data; a thrown class and its `retryable` would otherwise be lost. */
export function serializeError(err: unknown): SerializedError {
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    name: e.name,
    message: e.message,
    stack: e.stack,
    retryable: !(e instanceof GoldrunError) || e.retryable,
    source: e instanceof SourceError ? e.source : undefined,
  };
}

/** The error again on this side: a source error stays one, with its retryability. */
export function reviveError(e: SerializedError): Error {
  const err = e.source !== undefined
    ? new SourceError(e.source, '', { retryable: e.retryable })
    : e.retryable ? new Error(e.message) : new GoldrunError(e.message, { retryable: false });
  err.message = e.message;
  if (e.stack) err.stack = e.stack;
  return err;
}
