import { createReadStream } from 'node:fs';
import { FilePosition } from './file-position.js';
import { createInterface } from 'node:readline';
import { SourceError } from '../errors.js';
import type { Connector, PullOptions, PulledRow } from './types.js';
import { compareWatermarks, normaliseWatermark } from './watermark.js';

export interface JsonlOptions {
  name: string;
  path: string;
  updatedAt?: string;
}

/** Reads one JSON object per line; a line that is not an object is an error naming its line. */
export function jsonlConnector(options: JsonlOptions): Connector {
  const position = new FilePosition();
  return { location: `file ${options.path}`, rows: (pull) => readJsonl(options, pull, position), progress: () => position.fraction() };
}

async function* readJsonl(options: JsonlOptions, pull: PullOptions, position: FilePosition): AsyncGenerator<PulledRow> {
  try {
    await position.open(options.path);
  } catch (err) {
    throw new SourceError(options.name, `cannot read ${options.path} (${(err as NodeJS.ErrnoException).code})`, { cause: err, retryable: false });
  }
  const lines = createInterface({ input: position.track(createReadStream(options.path, { encoding: 'utf8' })), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const rawLine of lines) {
    lineNumber++;
    const line = lineNumber === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      yield { kind: 'error', rowNumber: lineNumber, field: '', reason: `not valid JSON: ${(err as Error).message}`, raw: line };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { kind: 'error', rowNumber: lineNumber, field: '', reason: 'expected a JSON object', raw: line };
      continue;
    }
    const values = value as Record<string, unknown>;
    if (pull.watermark !== null && options.updatedAt) {
      const updated = normaliseWatermark(values[options.updatedAt]);
      if (updated !== null && compareWatermarks(updated, pull.watermark) < 0) continue;
    }
    yield { kind: 'row', rowNumber: lineNumber, values };
  }
}
