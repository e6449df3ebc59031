import type { CpuSample } from './cpu-use.js';

export interface StageWindow {
  stage: string;
  startMs: number;
  endMs: number;
}

/** Core-seconds used in one stage's window, by whom, and left idle. */
export interface StageCpu {
  stage: string;
  seconds: number;
  goldrun: number;
  postgres: number;
  /** The rest of what was busy: the bench itself, Redis, anything else on the machine. */
  other: number;
  idle: number;
  /** Taken by the hypervisor for others. */
  steal: number;
}

/**
 * Splits the CPU samples of a run over its stages' windows (from run_stages): the pulls, which
 * run side by side, as one window from the first start to the last end; a stage's parts (score:part0,
 * …), which lie inside it, left out. Counters are read between samples by linear interpolation.
 * The last row is the whole run, from the first stage's start to the last one's end.
 */
export function cpuByStage(samples: ReadonlyArray<CpuSample>, stages: ReadonlyArray<StageWindow>, cores: number): StageCpu[] {
  if (samples.length < 2) return [];
  const pulls = stages.filter((s) => s.stage.startsWith('pull:'));
  const windows: StageWindow[] = [];
  if (pulls.length > 0) {
    windows.push({ stage: 'pulls', startMs: Math.min(...pulls.map((s) => s.startMs)), endMs: Math.max(...pulls.map((s) => s.endMs)) });
  }
  windows.push(...stages.filter((s) => !s.stage.startsWith('pull:') && !s.stage.includes(':')));
  windows.sort((a, b) => a.startMs - b.startMs);
  if (windows.length === 0) return [];
  windows.push({ stage: 'run', startMs: windows[0]!.startMs, endMs: Math.max(...windows.map((w) => w.endMs)) });
  return windows.map((w) => {
    const used = (key: Counter) => at(samples, w.endMs, key) - at(samples, w.startMs, key);
    const seconds = (w.endMs - w.startMs) / 1000;
    const goldrun = used('goldrun');
    const postgres = used('postgres');
    const idle = used('idle');
    const steal = used('steal');
    const other = Math.max(0, cores * seconds - goldrun - postgres - idle - steal);
    return { stage: w.stage, seconds: round(seconds), goldrun: round(goldrun), postgres: round(postgres), other: round(other), idle: round(idle), steal: round(steal) };
  });
}

type Counter = 'goldrun' | 'postgres' | 'idle' | 'steal';

/** A counter's value at a moment, interpolated between the samples around it (clamped to the first and last). */
function at(samples: ReadonlyArray<CpuSample>, ms: number, key: Counter): number {
  if (ms <= samples[0]!.atMs) return samples[0]![key];
  for (let i = 1; i < samples.length; i++) {
    const b = samples[i]!;
    if (b.atMs < ms) continue;
    const a = samples[i - 1]!;
    const f = b.atMs === a.atMs ? 1 : (ms - a.atMs) / (b.atMs - a.atMs);
    return a[key] + f * (b[key] - a[key]);
  }
  return samples[samples.length - 1]![key];
}

const round = (x: number) => Math.round(x * 10) / 10;
