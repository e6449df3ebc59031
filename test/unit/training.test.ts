import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretFromEnvironment } from '../../src/config/env.js';
import { loadSettings, validateSettings } from '../../src/config/load-settings.js';
import { evaluateSettings } from '../../src/evaluate/run-evaluation.js';
import { buildMatchPlan, scoreCandidates, trainModel } from '../../src/score/engine.js';
import { explainPair } from '../../src/score/explain-pair.js';
import { initialParams, type ModelParams } from '../../src/score/fellegi-sunter.js';
import { modelFile, parseModelFile } from '../../src/score/model-file.js';
import { inlineRunner } from '../../src/score/runner.js';
import { readRecordsInMemory } from '../../src/evaluate/read-records.js';
import { seededRandom } from '../../src/model/random.js';
import { shuffled } from '../helpers/shuffled.js';

const ROOT = join(import.meta.dirname, '..', '..');

function settingsFor(comparisons: unknown[], rules: string[][] = [['postcode']]) {
  return validateSettings({
    name: 'tf',
    linkType: 'dedupe_only',
    sources: [{ name: 's', kind: 'csv', path: 'x.csv', id: 'id', fields: { lastName: 'l', firstName: 'f', postcode: 'p' } }],
    blocking: { rules },
    comparisons,
  });
}

/** Parameters with a given m and u per level (missing level first, no m/u). */
function paramsOf(plan: ReturnType<typeof buildMatchPlan>, prior: number, levels: Array<Array<[number, number]>>): ModelParams {
  const params = initialParams(plan.levels, undefined, prior);
  params.comparisons.forEach((c, k) => c.levels.forEach((l, v) => {
    if (v === 0) return;
    [l.m, l.u] = levels[k]![v - 1]!;
  }));
  return params;
}

describe('term-frequency adjustment', () => {
  const records = [
    ...Array.from({ length: 40 }, (_, i) => ({ source: 's', attrs: { lastName: 'smith', firstName: `f${i % 20}`, postcode: '2000' } })),
    { source: 's', attrs: { lastName: 'zabrinski', firstName: 'f1', postcode: '2000' } },
    { source: 's', attrs: { lastName: 'zabrinski', firstName: 'f1', postcode: '2000' } },
  ];

  it('weighs agreement on a rare surname above agreement on a common one, and leaves other levels alone', async () => {
    for (const termFrequency of [true, false]) {
      const settings = settingsFor([{ attribute: 'lastName', method: 'jaroWinkler', thresholds: [0.9], termFrequency }, { attribute: 'firstName', method: 'exact' }]);
      const plan = buildMatchPlan(records, settings);
      const params = paramsOf(plan, 0.01, [[[0.9, 0.1], [0.05, 0.1], [0.05, 0.8]], [[0.9, 0.05], [0.1, 0.95]]]);
      const scored = await scoreCandidates(inlineRunner, plan, params, settings.thresholds, -Infinity);
      const weightOf = (i: number, j: number) => {
        for (let e = 0; e < scored.left.length; e++) if (scored.left[e] === Math.min(i, j) && scored.right[e] === Math.max(i, j)) return scored.weight[e]!;
        throw new Error(`pair ${i}-${j} not scored`);
      };
      // Records 1 and 21 agree on smith and on f1; 40 and 41 on zabrinski and f1.
      const common = weightOf(1, 21);
      const rare = weightOf(40, 41);
      if (termFrequency) {
        // smith is 40/42 of the values, zabrinski 2/42: log2(0.9 / share) for the exact level.
        expect(rare - common).toBeCloseTo(Math.log2(40 / 2), 4);
        expect(common).toBeCloseTo(Math.log2(0.01 / 0.99) + Math.log2(0.9 / (40 / 42)) + Math.log2(0.9 / 0.05), 4);
      } else {
        expect(rare).toBeCloseTo(common, 6);
      }
      // Every scored weight is the waterfall's total for that pair.
      for (let e = 0; e < scored.left.length; e++) {
        const w = explainPair(plan, params, settings.blocking.rules, scored.left[e]!, scored.right[e]!);
        expect(w.weight).toBeCloseTo(scored.weight[e]!, 4);
        expect(w.steps.at(-1)!.total).toBeCloseTo(w.weight, 9);
      }
    }
  });
});

describe('training sessions on FEBRL 3', () => {
  it('trains one session per blocking rule, leaving out the rule\'s own attributes, and matches as well as the benchmark says', async () => {
    const settings = await loadSettings(join(ROOT, 'examples', 'febrl3.yaml'));
    const report = await evaluateSettings(settings, { truthColumn: 'rec_id', truthRegex: 'rec-(\\d+)-', runner: inlineRunner, secrets: secretFromEnvironment });
    expect(report.model.method).toBe('sessions');
    expect(report.model.sessions.map((s) => s.rule)).toEqual(['postcode', 'lastName:soundex', 'birthDate', 'nationalId', 'firstName:soundex & city:prefix(3)']);
    expect(report.model.sessions.map((s) => s.fixed)).toEqual([['postcode'], ['lastName'], ['birthDate'], ['nationalId'], ['firstName', 'city']]);
    for (const s of report.model.sessions) expect(s.pairs).toBeGreaterThan(0);
    expect(report.f1).toBeGreaterThanOrEqual(0.993);
    expect(report.blockingRecall).toBeGreaterThanOrEqual(0.995);
    // Agreement is evidence for a match, disagreement against, on every comparison.
    for (const c of report.model.params.comparisons) {
      const exact = c.levels[1]!;
      const other = c.levels.at(-1)!;
      expect(Math.log2(exact.m! / exact.u!), c.label).toBeGreaterThan(0);
      expect(Math.log2(other.m! / other.u!), c.label).toBeLessThan(0);
    }
  }, 60_000);

  it('with training: candidates, estimates m and u in one EM instead', async () => {
    const settings = await loadSettings(join(ROOT, 'examples', 'febrl3.yaml'));
    settings.model.training = 'candidates';
    const records = Array.from({ length: 300 }, (_, i) => ({ source: 'febrl3', attrs: { postcode: String(2000 + (i % 30)), lastName: `n${i % 50}` } as Record<string, string> }));
    const plan = buildMatchPlan(records, { ...settings, comparisons: settingsFor([{ attribute: 'lastName', method: 'exact' }]).comparisons, blocking: { rules: [['postcode']], maxBlockSize: 1000 } });
    const model = await trainModel(inlineRunner, plan, { model: settings.model, blocking: { rules: [['postcode']], maxBlockSize: 1000 } });
    expect(model.method).toBe('candidates');
    expect(model.sessions).toEqual([]);
    expect(model.candidatePairs).toBe(30 * 45); // 30 postcodes of 10 records each
  });
});

describe('model files', () => {
  const settings = settingsFor([{ attribute: 'lastName', method: 'jaroWinkler', thresholds: [0.9] }, { attribute: 'firstName', method: 'exact' }]);
  const plan = buildMatchPlan([{ source: 's', attrs: { lastName: 'a', firstName: 'b', postcode: '1' } }], settings);
  const params = paramsOf(plan, 0.02, [[[0.8, 0.01], [0.1, 0.05], [0.1, 0.94]], [[0.9, 0.1], [0.1, 0.9]]]);

  it('round-trips a model for the same comparisons', () => {
    const text = JSON.stringify(modelFile('tf', 'evaluate', params));
    expect(parseModelFile(text, plan.levels, 'm.json')).toEqual(params);
  });

  it.each<[string, (m: any) => void, string]>([
    ['other levels', (m) => (m.params.comparisons[0].levels[2].label = 'jaro-winkler ≥ 0.8'), 'm.json: comparison lastName has levels [missing, exact, jaro-winkler ≥ 0.8, else] in the model, [missing, exact, jaro-winkler ≥ 0.9, else] in the settings'],
    ['another attribute', (m) => (m.params.comparisons[1].attribute = 'city'), 'm.json: comparison 2 compares city in the model, firstName in the settings'],
    ['fewer comparisons', (m) => m.params.comparisons.pop(), 'm.json: the model has 1 comparisons, the settings 2'],
    ['no prior', (m) => delete m.params.prior, 'm.json: not a goldrun model file (params.prior:'],
  ])('refuses a model with %s', (_, breakIt, message) => {
    const m = JSON.parse(JSON.stringify(modelFile('tf', 'evaluate', params)));
    breakIt(m);
    expect(() => parseModelFile(JSON.stringify(m), plan.levels, 'm.json')).toThrow(message);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseModelFile('prior: 0.1', plan.levels, 'm.json')).toThrow(/^m\.json: not JSON/);
  });
});

describe('a model trained on the same records in another order', () => {
  // A first load's record ids follow how its pulls' batches interleave, and a retried pull
  // lays its records down in another order again: the model must not follow that order.
  it('has the same parameters, u from its random pairs included', async () => {
    const settings = await loadSettings(join(ROOT, 'examples', 'febrl3.yaml'));
    settings.model.randomPairs = 20_000;
    const { records } = await readRecordsInMemory(settings, secretFromEnvironment);
    const [first, second] = await Promise.all([records, shuffled(records, seededRandom(7))].map((r) => trainModel(inlineRunner, buildMatchPlan(r, settings), settings)));
    expect(second!.params).toEqual(first!.params);
    expect(second!.candidatePairs).toBe(first!.candidatePairs);
    // Not one order by chance: another seed samples other pairs, and other u.
    const reseeded = await trainModel(inlineRunner, buildMatchPlan(records, settings), { ...settings, model: { ...settings.model, seed: settings.model.seed + 1 } });
    expect(reseeded.params).not.toEqual(first!.params);
  }, 60_000);
});
