import type { MessagePort } from 'node:worker_threads';
import { createConnector } from '../src/connectors/create-connector.js';
import { secretFromEnvironment } from '../src/config/env.js';
import { scanRows, type ScanRequest } from '../src/pipeline/scan-rows.js';
import { CHUNKS_IN_FLIGHT, serializeError, type ScanCredit, type ScanMessage } from '../src/pipeline/scan-thread-protocol.js';

export interface ScanTask {
  request: ScanRequest;
  port: MessagePort;
}

/**
 * Piscina entry: scans one source on this thread and posts its chunks on the task's port,
 * never more than CHUNKS_IN_FLIGHT ahead of the pull writing them, so a source larger than
 * memory streams through; the last message carries the totals, or the error that stopped it.
 */
export default async function run({ request, port }: ScanTask): Promise<void> {
  let credits = CHUNKS_IN_FLIGHT;
  let wake: (() => void) | null = null;
  const spares: ArrayBuffer[] = [];
  port.on('message', (credit: ScanCredit) => {
    credits++;
    if (credit.spare !== null) spares.push(credit.spare);
    wake?.();
  });
  const post = (message: ScanMessage) => port.postMessage(message);
  try {
    const source = request.settings.sources.find((s) => s.name === request.source)!;
    const rows = scanRows(request, createConnector(source, secretFromEnvironment), () => spares.pop());
    for (;;) {
      const next = await rows.next();
      if (next.done) {
        post({ kind: 'done', totals: next.value });
        break;
      }
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      credits--;
      const chunk = next.value;
      // The COPY bytes move to the pull's thread, not copied.
      port.postMessage({ kind: 'chunk', chunk } satisfies ScanMessage, chunk.copy ? [chunk.copy.buffer as ArrayBuffer] : []);
    }
  } catch (err) {
    post({ kind: 'error', error: serializeError(err) });
  } finally {
    port.close();
  }
}
