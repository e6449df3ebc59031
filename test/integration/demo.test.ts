import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../helpers/cli.js';

/**
 * The quick start: `npm run demo` with neither DATABASE_URL nor REDIS_URL set runs the whole
 * pipeline on the embedded database and BullMQ's PostgreSQL backend.
 */
describe('goldrun demo on a machine with only Node', () => {
  let dir: string;
  let result: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'goldrun-demo-'));
    result = await runCli(['demo', '--customers', '150', '--seed', '3'], cliEnv({ GOLDRUN_DATA_DIR: dir }));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('completes on the embedded database without Redis', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('database: embedded PGlite (in memory); queues: postgres');
    expect(result.stdout).toMatch(/run \S+ \(demo\): completed/);
  });

  it('reports records per source, the quarantined rows with their reasons, and the non-customers', () => {
    expect(result.stdout).toMatch(/crm\s+\d+ pulled\s+2 quarantined/);
    expect(result.stdout).toMatch(/billing\s+\d+ pulled\s+0 quarantined/);
    expect(result.stdout).toMatch(/shop\s+\d+ pulled\s+0 quarantined/);
    expect(result.stdout).toContain('crm row 7: expected 11 fields, found 4');
    expect(result.stdout).toContain('crm row 11, field customer_id: record id is missing');
    expect(result.stdout).toContain('not customers (excluded): 2');
  });

  it('shows a golden record with the source records behind it', () => {
    const golden = result.stdout.slice(result.stdout.indexOf('golden record GR'));
    expect(golden).toMatch(/golden record GR[A-Z0-9]{16} \((\d+) source records\)/);
    expect(golden).toMatch(/firstName\s+\S+\s+from (crm|billing|shop) \S+ \(sourcePriority\)/);
    const members = golden.slice(golden.indexOf('behind it:')).split('\n').slice(1).filter((l) => l.trim() !== '');
    const count = Number(golden.match(/\((\d+) source records\)/)![1]);
    expect(members).toHaveLength(count);
    expect(count).toBeGreaterThan(1);
  });

  it('leaves the settings it used beside the generated CRM file', async () => {
    const yaml = await readFile(join(dir, 'demo', 'demo.yaml'), 'utf8');
    expect(yaml).toContain('name: demo');
    expect(yaml).toContain('urlEnv: DEMO_BILLING_URL');
    expect(yaml).not.toContain('demo-shop-token');
  });
});
