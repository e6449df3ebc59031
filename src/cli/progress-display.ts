import cliProgress from 'cli-progress';
import type { RunSummary } from '../pipeline/run-summary.js';

export interface ProgressDisplay {
  update(summary: RunSummary): void;
  stop(): void;
}

/**
 * A bar per stage on a terminal; elsewhere (CI logs, pipes) one line per stage change,
 * since redrawn bars only make noise in a log file.
 */
export function progressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  if (stream.isTTY) return barDisplay(stream);
  const seen = new Map<string, string>();
  return {
    update(summary) {
      for (const s of summary.stages) {
        const state = `${s.status}:${s.attempts}`;
        if (seen.get(s.stage) === state || s.status === 'waiting') continue;
        seen.set(s.stage, state);
        const detail = s.status === 'completed' ? ` in ${s.durationMs} ms` : s.error ? ` (${s.error})` : s.attempts > 1 ? ` (attempt ${s.attempts})` : '';
        stream.write(`${summary.runId} ${s.stage.padEnd(18)} ${s.status}${detail}\n`);
      }
    },
    stop() {},
  };
}

function barDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  const multibar = new cliProgress.MultiBar(
    {
      stream,
      format: ' {stage} |{bar}| {percentage}% {status}',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    update(summary) {
      for (const s of summary.stages) {
        let bar = bars.get(s.stage);
        if (!bar) {
          bar = multibar.create(100, 0, { stage: s.stage.padEnd(18), status: s.status });
          bars.set(s.stage, bar);
        }
        const status = s.status === 'completed' ? `${s.durationMs} ms` : s.attempts > 1 ? `${s.status} (attempt ${s.attempts})` : s.status;
        bar.update(Math.round((s.status === 'completed' ? 1 : s.progress) * 100), { status });
      }
    },
    stop() {
      multibar.stop();
    },
  };
}
