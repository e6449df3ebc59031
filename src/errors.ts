/**
 * Every error goldrun raises on purpose extends GoldrunError, so callers can tell
 * "we know what went wrong and what to fix" from a genuine bug.
 *
 * `retryable: false` marks errors that a retry cannot fix (bad settings, a missing
 * file): job processors turn them into BullMQ UnrecoverableErrors.
 */
export class GoldrunError extends Error {
  readonly retryable: boolean;
  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? true;
  }
}

/** The settings file is missing or invalid; `problems` lists every problem with its path. */
export class SettingsError extends GoldrunError {
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super(`invalid settings in ${file}:\n  ${problems.join('\n  ')}`, { retryable: false });
    this.problems = problems;
  }
}

/** A source could not be read at all (as opposed to one bad row, which is quarantined). */
export class SourceError extends GoldrunError {
  readonly source: string;
  constructor(source: string, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(`source ${source}: ${message}`, options);
    this.source = source;
  }
}

/** A job payload that does not name an existing run or stage: retrying will not help. */
export class BadJobError extends GoldrunError {
  constructor(message: string) {
    super(message, { retryable: false });
  }
}

/** The database schema is older than this build expects. */
export class SchemaOutdatedError extends GoldrunError {
  constructor(message: string) {
    super(message, { retryable: false });
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
