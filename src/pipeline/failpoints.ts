import { setTimeout as sleep } from 'node:timers/promises';
import { GoldrunError } from '../errors.js';

/**
 * Fault injection for tests: `GOLDRUN_FAILPOINTS="score@1,commit.golden@2"` makes the named
 * point throw on those attempts of its job; `commit.golden@1~20000` makes it pause 20 s
 * instead, so a test can kill the process or cut its database connection right there.
 * Attempts, not counters, so the rule holds in every worker process without shared state.
 * Unset in production: then this does nothing.
 */
export class FailpointError extends GoldrunError {
  constructor(point: string, attempt: number) {
    super(`failpoint ${point} triggered on attempt ${attempt}`);
  }
}

export interface Failpoints {
  check(point: string, attempt: number): Promise<void>;
}

interface Rule {
  attempts: Set<number>;
  /** Pause this long instead of throwing. */
  pauseMs?: number;
}

export function parseFailpoints(spec: string | undefined): Failpoints {
  const rules = new Map<string, Rule[]>();
  for (const part of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [target, pause] = part.split('~') as [string, string?];
    const [point, attempts] = target.split('@') as [string, string?];
    const rule: Rule = { attempts: new Set((attempts ?? '1').split('|').map(Number)) };
    if (pause !== undefined) rule.pauseMs = Number(pause);
    rules.set(point, [...(rules.get(point) ?? []), rule]);
  }
  return {
    async check(point, attempt) {
      for (const rule of rules.get(point) ?? []) {
        if (!rule.attempts.has(attempt)) continue;
        if (rule.pauseMs === undefined) throw new FailpointError(point, attempt);
        await sleep(rule.pauseMs);
      }
    },
  };
}

export const noFailpoints: Failpoints = { check: async () => {} };
