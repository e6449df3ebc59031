import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths that may carry personal data or secrets. Records are logged by id, never by
 * content, but a mistaken `log.info({ record })` must still not leak a customer.
 */
export const REDACT_PATHS = [
  'record', 'records', 'raw', 'attrs', 'payload', 'row', 'values',
  '*.email', '*.phone', '*.firstName', '*.lastName', '*.birthDate', '*.nationalId', '*.street',
  'token', '*.token', 'password', '*.password', 'authorization', '*.authorization', 'url', '*.url',
  'headers.authorization', 'connectionString', '*.connectionString',
  // Oversized blocking keys are shared values, which can be a phone number or an email.
  'metrics.oversized[*].key',
];

export interface LoggerOptions {
  level?: string;
  /** Defaults to stderr so that stdout stays free for command output (--json). */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: 'goldrun',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
