import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { workerFile } from '../score/thread-pool.js';
import type { ScanChunk, ScanRequest, ScanTotals } from './scan-rows.js';
import { reviveError, type ScanCredit, type ScanMessage } from './scan-thread-protocol.js';

/** Where a pull's rows are scanned: a thread pool in workers, absent where pulls run inline. */
export interface ScanThreads {
  /** A chunk's `copy` bytes go back to the thread when the next chunk is asked for: write them before. */
  scan(request: ScanRequest): AsyncGenerator<ScanChunk, ScanTotals>;
  destroy(): Promise<void>;
}

/**
 * Parsing, hashing and standardizing a file is a pull's CPU work (a million rows: tens of
 * seconds on one core), while writing is Postgres's: with the scan on a thread, the sources
 * pulled at once use every core. Threads start on the first scan and stop when idle.
 */
export function createScanThreads(threads = 0): ScanThreads {
  let pool: Piscina | null = null;
  const size = threads > 0 ? threads : availableParallelism();
  return {
    scan(request) {
      pool ??= new Piscina({ filename: workerFile('scan-rows'), minThreads: 0, maxThreads: size, idleTimeout: 5_000 });
      return scanOnThread(pool, request);
    },
    destroy: async () => {
      await pool?.destroy();
      pool = null;
    },
  };
}

async function* scanOnThread(pool: Piscina, request: ScanRequest): AsyncGenerator<ScanChunk, ScanTotals> {
  const { port1, port2 } = new MessageChannel();
  const queue: ScanMessage[] = [];
  let wake: (() => void) | null = null;
  let failed: unknown = null;
  port1.on('message', (m: ScanMessage) => {
    queue.push(m);
    wake?.();
  });
  const abort = new AbortController();
  let finished = false;
  const task = pool.run({ request, port: port2 }, { transferList: [port2] as never, signal: abort.signal });
  // The task settles after its last message; a rejection here is the thread itself dying.
  task.catch((err: unknown) => {
    failed = err ?? new Error('scan thread failed');
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && failed === null) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const message = queue.shift();
      if (message === undefined) throw failed;
      if (message.kind === 'error') {
        finished = true;
        throw reviveError(message.error);
      }
      if (message.kind === 'done') {
        finished = true;
        return message.totals;
      }
      yield message.chunk;
      // The chunk is written: its buffer goes back to be written over, with the credit for the
      // next one. Left here, every chunk's megabytes counted as this thread's until a garbage
      // collection freed them, and the collector ran every few hundred milliseconds to do it.
      const buffer = message.chunk.copy?.buffer;
      if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) port1.postMessage({ spare: buffer } satisfies ScanCredit, [buffer]);
      else port1.postMessage({ spare: null } satisfies ScanCredit);
    }
  } finally {
    // A pull that stopped early (a failed write) must not leave a thread waiting for it.
    if (!finished) abort.abort();
    port1.close();
  }
}
