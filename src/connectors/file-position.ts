import type { ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** How much of a file a pull has read, for progress bars. */
export class FilePosition {
  private size = 0;
  private stream: ReadStream | null = null;

  /** Fails like a read would when the file is missing. */
  async open(path: string): Promise<void> {
    this.size = (await stat(path)).size;
  }

  track(stream: ReadStream): ReadStream {
    this.stream = stream;
    return stream;
  }

  fraction(): number | null {
    if (!this.stream || this.size === 0) return null;
    return Math.min(1, this.stream.bytesRead / this.size);
  }
}
