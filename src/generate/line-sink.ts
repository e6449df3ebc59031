import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

/** Gathers lines into large chunks before writing, and waits when the file falls behind. */
export class LineSink {
  lines = 0;
  /** Lines joined once per chunk: cheaper than growing one string line by line. */
  private pending: string[] = [];
  private pendingChars = 0;
  private readonly stream: WriteStream;

  constructor(path: string, private readonly chunkChars = 1 << 20) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
  }

  /** Adds a line (newline included); returns a promise to await when a chunk went out and the file is busy. */
  push(line: string, countsAsRecord = true): Promise<void> | undefined {
    this.pending.push(line);
    this.pendingChars += line.length;
    if (countsAsRecord) this.lines++;
    if (this.pendingChars < this.chunkChars) return undefined;
    return this.flush();
  }

  private take(): string {
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    return chunk;
  }

  private async flush(): Promise<void> {
    if (!this.stream.write(this.take())) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.pending.length > 0) this.stream.write(this.take());
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}
