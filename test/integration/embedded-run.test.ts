import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, lastJsonLine, runCli } from '../helpers/cli.js';

/** `goldrun run` without DATABASE_URL keeps its data in an embedded database on disk, across processes. */
describe('goldrun run on the embedded database', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'goldrun-embedded-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('commits a run, and a second process finds the same golden records unchanged', async () => {
    const env = cliEnv({ GOLDRUN_DATA_DIR: dir });
    const first = await runCli(['run', '--config', 'examples/fake1000.yaml', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const one = lastJsonLine(first.stdout) as { status: string; clusters: number; goldenRecords: Record<string, number> };
    expect(one.status).toBe('completed');
    expect(one.goldenRecords.created).toBe(one.clusters);

    const second = await runCli(['run', '--config', 'examples/fake1000.yaml', '--json'], env);
    expect(second.code, second.stderr).toBe(0);
    const two = lastJsonLine(second.stdout) as { status: string; clusters: number; goldenRecords: Record<string, number> };
    expect(two.status).toBe('completed');
    expect(two.goldenRecords).toEqual({ total: one.clusters, created: 0, updated: 0, unchanged: one.clusters, retired: 0 });
  });

  it('refuses a second process on the same embedded database', async () => {
    const env = cliEnv({ GOLDRUN_DATA_DIR: dir });
    const [a, b] = await Promise.all([
      runCli(['run', '--config', 'examples/fake1000.yaml', '--json'], env),
      new Promise<Awaited<ReturnType<typeof runCli>>>((resolve) => setTimeout(() => resolve(runCli(['run', '--config', 'examples/fake1000.yaml'], env)), 1000)),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/is in use by process \d+; set DATABASE_URL/);
  });
});
