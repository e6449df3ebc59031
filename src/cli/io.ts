import type { Environment } from '../config/env.js';

/** What a command may touch of the outside world; tests pass their own. */
export interface CommandIo {
  env: Environment;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

export function writeLine(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${text}\n`);
}
