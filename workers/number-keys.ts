import { parentPort, workerData } from 'node:worker_threads';
import { KeyTexts, portableBuffers } from '../src/block/key-texts.js';
import type { KeyTextOptions } from '../src/block/key-texts.js';
import type { KeyThreadMessage } from '../src/block/key-thread.js';

/**
 * Thread entry: numbers the blocking keys of a load's records as their texts arrive, in
 * order, and on 'finish' sends every rule's numbered keys back, their buffers moved.
 */
const texts = new KeyTexts(workerData as KeyTextOptions);
parentPort!.on('message', (message: KeyThreadMessage) => {
  if (message.kind === 'texts') {
    for (const text of message.texts) texts.add(text);
    return;
  }
  if (message.kind === 'numbered') {
    texts.addNumbered(message.keys);
    return;
  }
  const keys = texts.portable();
  parentPort!.postMessage(keys, portableBuffers(keys));
});
