import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { workerFile } from '../score/thread-pool.js';
import { fromPortable, portableBuffers, type KeyTextOptions, type PortableKeys } from './key-texts.js';
import type { NumberedKeys } from './plan-blocks.js';

export type KeyThreadMessage = { kind: 'texts'; texts: string[] } | { kind: 'numbered'; keys: PortableKeys[] } | { kind: 'finish' };

/**
 * A load's blocking keys numbered on a thread of their own (workers/number-keys), while
 * the loading thread numbers the attribute values: each is a few seconds of a million-record
 * load, on one core, with the other idle. Texts are sent in the order records are loaded.
 */
export class KeyThread {
  private readonly worker: Worker;
  private pending: string[] = [];
  private failed: Error | null = null;
  /** Rejects when the thread is gone: watched from the start, as it may go before anyone waits. */
  private readonly gone: Promise<never>;

  constructor(options: KeyTextOptions) {
    this.worker = new Worker(workerFile('number-keys'), { workerData: options });
    this.worker.on('error', (err) => (this.failed ??= err));
    this.gone = once(this.worker, 'exit').then(([code]) => Promise.reject(this.failed ?? new Error(`the key numbering thread exited (code ${String(code)})`)));
    this.gone.catch(() => {});
  }

  add(text: string): void {
    this.pending.push(text);
  }

  /** Sends the texts added since the last flush. */
  flush(): void {
    if (this.pending.length === 0) return;
    this.worker.postMessage({ kind: 'texts', texts: this.pending } satisfies KeyThreadMessage);
    this.pending = [];
  }

  /** Records whose keys were numbered elsewhere (see KeyTexts.addNumbered), after those added so far; their buffers move to the thread. */
  addNumbered(keys: PortableKeys[]): void {
    this.flush();
    this.worker.postMessage({ kind: 'numbered', keys } satisfies KeyThreadMessage, portableBuffers(keys));
  }

  /** Every rule's numbered keys; the thread stops. */
  async finish(): Promise<NumberedKeys[]> {
    return (await this.finishPortable()).map(fromPortable);
  }

  /** Every rule's numbered keys as the thread sent them (buffers that can move on to another thread); the thread stops. */
  async finishPortable(): Promise<PortableKeys[]> {
    this.flush();
    try {
      if (this.failed) throw this.failed;
      this.worker.postMessage({ kind: 'finish' } satisfies KeyThreadMessage);
      // once() rejects on the thread's 'error'; a thread gone without one must not leave this waiting.
      const [keys] = (await Promise.race([once(this.worker, 'message'), this.gone])) as [PortableKeys[]];
      return keys;
    } finally {
      await this.stop();
    }
  }

  /** Stops the thread (a load that failed). */
  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
