/**
 * The only module that reads process.env. Everything else receives options.
 */
export interface Environment {
  /** Postgres for goldrun's own data; unset means an embedded PGlite database. */
  databaseUrl: string | undefined;
  /** Redis for BullMQ; unset means BullMQ's PostgreSQL backend on the database above. */
  redisUrl: string | undefined;
  /** Where the embedded database keeps its files. */
  dataDir: string;
  /** Namespace for queues (Redis key prefix, or Postgres schema for the Postgres backend). */
  queuePrefix: string;
  logLevel: string;
  /** Whether the log level was chosen by the user (else commands may quieten logs under a progress bar). */
  logLevelExplicit: boolean;
  /** Failpoints for fault-injection tests, e.g. "score:once,commit:once". Never set in production. */
  failpoints: string | undefined;
  ci: boolean;
  board: {
    /** "name:role:hash,..." (hashes from `goldrun board hash-password`). */
    users: string | undefined;
    /** Signs session cookies; without it sessions end when the board restarts. */
    secret: string | undefined;
    /** Bearer token for Prometheus to scrape /metrics. */
    metricsToken: string | undefined;
    /** Mark the session cookie Secure (the board sits behind an HTTPS proxy). */
    secureCookies: boolean;
  };
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL),
    redisUrl: nonEmpty(env.REDIS_URL),
    dataDir: nonEmpty(env.GOLDRUN_DATA_DIR) ?? '.goldrun',
    queuePrefix: nonEmpty(env.GOLDRUN_QUEUE_PREFIX) ?? 'goldrun',
    logLevel: nonEmpty(env.GOLDRUN_LOG_LEVEL) ?? nonEmpty(env.LOG_LEVEL) ?? 'info',
    logLevelExplicit: nonEmpty(env.GOLDRUN_LOG_LEVEL) !== undefined || nonEmpty(env.LOG_LEVEL) !== undefined,
    failpoints: nonEmpty(env.GOLDRUN_FAILPOINTS),
    ci: env.CI === 'true' || env.CI === '1',
    board: {
      users: nonEmpty(env.GOLDRUN_BOARD_USERS),
      secret: nonEmpty(env.GOLDRUN_BOARD_SECRET),
      metricsToken: nonEmpty(env.GOLDRUN_METRICS_TOKEN),
      secureCookies: env.GOLDRUN_BOARD_SECURE_COOKIES === 'true' || env.GOLDRUN_BOARD_SECURE_COOKIES === '1',
    },
  };
}

/**
 * Secrets named in settings (a source's `tokenEnv`, `urlEnv`) are looked up here, at the
 * moment they are needed, and never stored in settings snapshots or logs.
 */
export type SecretLookup = (name: string) => string | undefined;

export const secretFromEnvironment: SecretLookup = (name) => nonEmpty(process.env[name]);

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
