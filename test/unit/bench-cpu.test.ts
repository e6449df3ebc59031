import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CpuUse } from '../../bench/cpu-use.js';
import { cpuByStage } from '../../bench/stage-cpu.js';

/** Samples a second apart: goldrun 1.6 cores, Postgres 0.2, idle 0.2 core, no steal. */
const SAMPLES = Array.from({ length: 11 }, (_, s) => ({ atMs: 1_000_000 + s * 1000, goldrun: 1.6 * s, postgres: 0.2 * s, idle: 0.2 * s, steal: 0 }));

describe('cpuByStage', () => {
  it('splits the counters over the stage windows, between samples too', () => {
    const rows = cpuByStage(SAMPLES, [
      { stage: 'train', startMs: 1_002_500, endMs: 1_004_500 },
      { stage: 'survive', startMs: 1_005_000, endMs: 1_007_000 },
    ], 2);
    expect(rows).toEqual([
      { stage: 'train', seconds: 2, goldrun: 3.2, postgres: 0.4, other: 0, idle: 0.4, steal: 0 },
      { stage: 'survive', seconds: 2, goldrun: 3.2, postgres: 0.4, other: 0, idle: 0.4, steal: 0 },
      { stage: 'run', seconds: 4.5, goldrun: 7.2, postgres: 0.9, other: 0, idle: 0.9, steal: 0 },
    ]);
  });

  it('takes the pulls as one window and leaves a stage\'s parts out', () => {
    const rows = cpuByStage(SAMPLES, [
      { stage: 'pull:crm', startMs: 1_000_000, endMs: 1_003_000 },
      { stage: 'pull:billing', startMs: 1_001_000, endMs: 1_004_000 },
      { stage: 'score', startMs: 1_004_000, endMs: 1_006_000 },
      { stage: 'score:part0', startMs: 1_004_000, endMs: 1_005_000 },
    ], 2);
    expect(rows.map((r) => [r.stage, r.seconds, r.goldrun])).toEqual([['pulls', 4, 6.4], ['score', 2, 3.2], ['run', 6, 9.6]]);
  });

  it('counts what no one it knows used as other, beside idle and steal', () => {
    const samples = [
      { atMs: 0, goldrun: 0, postgres: 0, idle: 0, steal: 0 },
      { atMs: 10_000, goldrun: 8, postgres: 4, idle: 3, steal: 2 },
    ];
    expect(cpuByStage(samples, [{ stage: 'commit', startMs: 0, endMs: 10_000 }], 2)[0]).toEqual(
      { stage: 'commit', seconds: 10, goldrun: 8, postgres: 4, other: 3, idle: 3, steal: 2 });
  });

  it('gives nothing without two samples or a stage', () => {
    expect(cpuByStage(SAMPLES.slice(0, 1), [{ stage: 'train', startMs: 0, endMs: 1 }], 2)).toEqual([]);
    expect(cpuByStage(SAMPLES, [], 2)).toEqual([]);
  });
});

// /proc is Linux's: elsewhere the sampler has nothing to read, except in CI, which must run it (and fails loudly off Linux).
describe.runIf(process.platform === 'linux' || process.env.CI === 'true')('CpuUse', () => {
  it('reads the CPU a process used, and keeps the share of one that exited', async () => {
    // A child that burns 300 ms of CPU, then waits to be told to go.
    const child = spawn(process.execPath, ['-e', `
      const t = process.cpuUsage(); while (process.cpuUsage(t).user < 300_000);
      process.stdout.write('busy'); process.stdin.once('data', () => process.exit(0));`], { stdio: ['pipe', 'pipe', 'inherit'] });
    await once(child.stdout!, 'data');
    const use = new CpuUse(() => [child.pid]);
    use.sample();
    const alive = use.samples[0]!.goldrun;
    expect(alive).toBeGreaterThanOrEqual(0.25);
    child.stdin!.write('go');
    await once(child, 'exit');
    use.sample();
    expect(use.samples[1]!.goldrun).toBe(alive);
    expect(use.samples[1]!.idle).toBeGreaterThanOrEqual(use.samples[0]!.idle);
    expect(use.samples[1]!.postgres).toBeGreaterThanOrEqual(0);
  });
});
