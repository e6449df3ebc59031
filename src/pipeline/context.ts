import type { SecretLookup } from '../config/env.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { ShardRunner } from '../score/runner.js';
import type { Failpoints } from './failpoints.js';
import type { ScanThreads } from './scan-threads.js';

/** What every stage needs from the outside world; built once per process. */
export interface PipelineContext {
  database: Database;
  log: Logger;
  /** Scoring threads (a Piscina pool in workers). */
  runner: ShardRunner;
  secrets: SecretLookup;
  /** Threads that scan file sources for pulls; without them, pulls scan on this thread. */
  scanThreads?: ScanThreads;
  failpoints: Failpoints;
}

/** Reports a stage's progress, 0..1; callers may call it often, it throttles itself. */
export type ProgressReporter = (fraction: number) => void;
