import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, lastJsonLine, runCli } from '../helpers/cli.js';

/** `goldrun generate` from the shell, and the match quality its own settings reach on its data. */
describe('goldrun generate', () => {
  const dir = join(tmpdir(), `goldrun-generate-cli-${randomUUID()}`);
  const env = cliEnv({});
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes 5,000 customers over five systems that its settings match with pairwise F1 ≥ 0.95', async () => {
    const generated = await runCli(['generate', '--records', '5000', '--systems', '5', '--out', dir, '--seed', '42', '--json'], env);
    expect(generated.code, generated.stderr).toBe(0);
    const lines = generated.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^generated 6255 records of 5000 customers in 5 systems \(crm\.csv \d+, billing\.csv \d+, webshop\.jsonl \d+, support\.csv \d+, erp\.csv \d+\) in /);
    const manifest = lastJsonLine(generated.stdout);
    expect(manifest).toMatchObject({ customers: 5000, records: 6255, seed: 42, dupRate: 0.25, truthColumn: 'true_customer_id' });
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest);

    const evaluated = await runCli(['evaluate', '--config', join(dir, 'settings.yaml'), '--truth-column', 'true_customer_id', '--json'], env);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const metrics = lastJsonLine(evaluated.stdout) as { f1: number; blockingRecall: number; records: number };
    expect(metrics.records).toBe(6250); // the five non-customers are excluded
    expect(metrics.blockingRecall).toBeGreaterThanOrEqual(0.97);
    expect(metrics.f1).toBeGreaterThanOrEqual(0.95);
  });

  it('refuses bad arguments as usage errors', async () => {
    const result = await runCli(['generate', '--records', '0', '--systems', '3', '--out', dir], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected a whole number of at least 1');
  });
});
