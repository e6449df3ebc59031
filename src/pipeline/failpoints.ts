import { GoldrunError } from '../errors.js';

/**
 * Fault injection for tests: `GOLDRUN_FAILPOINTS="score@1,commit.golden@2"` makes the named
 * point throw on those attempts of its job. Attempts, not counters, so the rule holds in
 * every worker process without shared state. Unset in production: then this does nothing.
 */
export class FailpointError extends GoldrunError {
  constructor(point: string, attempt: number) {
    super(`failpoint ${point} triggered on attempt ${attempt}`);
  }
}

export interface Failpoints {
  check(point: string, attempt: number): void;
}

export function parseFailpoints(spec: string | undefined): Failpoints {
  const rules = new Map<string, Set<number>>();
  for (const part of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [point, attempts] = part.split('@') as [string, string?];
    const set = rules.get(point) ?? new Set<number>();
    for (const a of (attempts ?? '1').split('|')) set.add(Number(a));
    rules.set(point, set);
  }
  return {
    check(point, attempt) {
      if (rules.get(point)?.has(attempt)) throw new FailpointError(point, attempt);
    },
  };
}

export const noFailpoints: Failpoints = { check() {} };
