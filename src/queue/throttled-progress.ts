import type { ProgressReporter } from '../pipeline/context.js';

const PROGRESS_INTERVAL_MS = 500;

/**
 * A job's progress reporter: callers may report as often as they like; `report` gets a
 * clamped fraction at most every half second, and always the last one (1).
 */
export function throttledProgress(report: (fraction: number) => void): ProgressReporter {
  let last = 0;
  return (fraction) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS && fraction < 1) return;
    last = now;
    report(Math.max(0, Math.min(1, fraction)));
  };
}
