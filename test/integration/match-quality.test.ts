import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, lastJsonLine, ROOT, runCli } from '../helpers/cli.js';

/** evaluate, its report and saved model, and explain, as a user runs them from the shell. */
describe('match quality commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldrun-quality-'));
  const env = cliEnv({});
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('evaluates fake_1000, writes an HTML report and saves the model; a run pinned to that model scores the same', async () => {
    const report = join(dir, 'fake1000.html');
    const model = join(dir, 'fake1000-model.json');
    const args = ['evaluate', '--config', 'examples/fake1000.yaml', '--truth-column', 'cluster'];
    const trained = await runCli([...args, '--report', report, '--save-model', model, '--json'], env);
    expect(trained.code, trained.stderr).toBe(0);
    const metrics = lastJsonLine(trained.stdout) as any;
    expect(metrics.f1).toBeGreaterThanOrEqual(0.85);
    expect(metrics.model.method).toBe('sessions');
    expect(metrics.confusion.truePositives + metrics.confusion.falseNegatives).toBe(2031);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<svg class="histogram"');
    expect(html).toContain('<svg class="pr-curve"');
    expect(html).toContain(String(metrics.confusion.truePositives));

    // Pin the saved model in a copy of the settings: no training, the same pairs.
    const pinned = join(dir, 'pinned.yaml');
    const settings = readFileSync(join(ROOT, 'examples', 'fake1000.yaml'), 'utf8')
      .replace('../../shared/', `${join(ROOT, '..', 'shared')}/`);
    writeFileSync(pinned, `${settings}\nmodel:\n  file: fake1000-model.json\n`);
    const reused = await runCli(['evaluate', '--config', pinned, '--truth-column', 'cluster', '--json'], env);
    expect(reused.code, reused.stderr).toBe(0);
    const again = lastJsonLine(reused.stdout) as any;
    expect(again.model.method).toBe('file');
    expect(again.confusion).toEqual(metrics.confusion);
  });

  it('refuses a pinned model trained for other comparisons, saying which', async () => {
    const model = join(dir, 'other-model.json');
    const first = await runCli(['evaluate', '--config', 'examples/febrl1-link.yaml', '--truth-column', 'rec_id', '--truth-regex', 'rec-(\\d+)-', '--save-model', model], env);
    expect(first.code, first.stderr).toBe(0);
    const result = await runCli(['explain', '--config', 'examples/fake1000.yaml', '--left', '0', '--right', '1', '--model', model], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('model.file:');
    expect(result.stderr).toMatch(/the model has 10 comparisons, the settings 5/);
  });

  it('links FEBRL 1 originals to their copies across two sources', async () => {
    const result = await runCli(['evaluate', '--config', 'examples/febrl1-link.yaml', '--truth-column', 'rec_id', '--truth-regex', 'rec-(\\d+)-', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const metrics = lastJsonLine(result.stdout) as any;
    expect(metrics.truePairs).toBe(500);
    expect(metrics.f1).toBeGreaterThanOrEqual(0.99);
  });

  it('explains one pair as a waterfall whose steps add up to its weight', async () => {
    const text = await runCli(['explain', '--config', 'examples/fake1000.yaml', '--left', '0', '--right', '2'], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/firstName\s+robert\s+rob\s+nickname of/);
    expect(text.stdout).toMatch(/candidate pair through blocking rule/);
    const json = await runCli(['explain', '--config', 'examples/fake1000.yaml', '--left', 'fake1000:0', '--right', '2', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const w = lastJsonLine(json.stdout) as any;
    const sum = w.steps.reduce((t: number, s: { weight: number }) => t + s.weight, w.priorWeight);
    expect(w.weight).toBeCloseTo(sum, 9);
    expect(w.probability).toBeCloseTo(2 ** w.weight / (1 + 2 ** w.weight), 9);
    expect(w.steps.map((s: { label: string }) => s.label)).toEqual(['firstName', 'lastName', 'birthDate', 'city', 'email']);
    expect(w.decision).toBe(w.weight >= w.matchWeight ? 'match' : w.weight >= w.reviewWeight ? 'possible match (review)' : 'no match');
  });

  it('names a record that does not exist', async () => {
    const result = await runCli(['explain', '--config', 'examples/fake1000.yaml', '--left', '0', '--right', 'nope'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no record "nope" in any source');
  });
});
