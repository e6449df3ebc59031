import { describe, expect, it } from 'vitest';
import { renderEvaluationReport, thresholdCurve, type ReportInput } from '../../src/evaluate/report-html.js';

// Six scored pairs; a fourth true pair exists that blocking never produced.
const weights = Float32Array.from([5, 3, 3, 1, -1, -2]);
const isMatch = Uint8Array.from([1, 1, 0, 1, 0, 0]);

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    title: 'goldrun evaluate: toy',
    generatedAt: '2024-01-02T03:04:05.000Z',
    summary: { precision: 0.75, recall: 0.75, f1: 0.75, candidatePairs: 6 },
    confusion: { truePositives: 3, falsePositives: 1, falseNegatives: 1 },
    weights,
    isMatch,
    totalTruePairs: 4,
    matchWeight: 1,
    reviewWeight: -1,
    ...overrides,
  };
}

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('thresholdCurve', () => {
  // Weights span -2..5, so 8 points put a threshold on every integer.
  const curve = thresholdCurve(weights, isMatch, 4, 8);
  const at = (t: number) => curve.find((p) => p.threshold === t)!;

  it('spaces thresholds evenly from the lowest to the highest weight', () => {
    expect(curve.map((p) => p.threshold)).toEqual([-2, -1, 0, 1, 2, 3, 4, 5]);
  });

  it('matches hand-computed precision, recall and F1', () => {
    // t = -2: all 6 predicted, 3 true -> P 1/2, R 3/4, F1 2·(3/8)/(5/4) = 3/5
    expect(at(-2).precision).toBeCloseTo(0.5);
    expect(at(-2).recall).toBeCloseTo(0.75);
    expect(at(-2).f1).toBeCloseTo(0.6);
    // t = 1: {5, 3, 3, 1} predicted, 3 true -> P 3/4, R 3/4, F1 3/4
    expect(at(1)).toMatchObject({ precision: 0.75, recall: 0.75 });
    expect(at(1).f1).toBeCloseTo(0.75);
    // t = 3: {5, 3, 3} predicted, 2 true -> P 2/3, R 1/2, F1 (2/3)/(7/6) = 4/7
    expect(at(3).precision).toBeCloseTo(2 / 3);
    expect(at(3).recall).toBeCloseTo(0.5);
    expect(at(3).f1).toBeCloseTo(4 / 7);
    // t = 5: only the top pair, a true match -> P 1, R 1/4, F1 2·(1/4)/(5/4) = 2/5
    expect(at(5).precision).toBe(1);
    expect(at(5).recall).toBeCloseTo(0.25);
    expect(at(5).f1).toBeCloseTo(0.4);
  });

  it('gives non-increasing recall as the threshold rises', () => {
    const random = lcg(42);
    const n = 5000;
    const w = new Float32Array(n);
    const m = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      m[i] = random() < 0.2 ? 1 : 0;
      w[i] = (m[i] ? 8 : -6) + (random() - 0.5) * 20;
    }
    const points = thresholdCurve(w, m, 1200);
    expect(points).toHaveLength(60);
    for (let i = 1; i < points.length; i++) {
      expect(points[i]!.threshold).toBeGreaterThan(points[i - 1]!.threshold);
      expect(points[i]!.recall).toBeLessThanOrEqual(points[i - 1]!.recall);
    }
  });

  it('returns no points when there are no pairs', () => {
    expect(thresholdCurve(new Float32Array(0), new Uint8Array(0), 10)).toEqual([]);
  });
});

describe('renderEvaluationReport', () => {
  it('escapes text from the input', () => {
    const html = renderEvaluationReport(
      input({
        title: 'evil <script>alert("x")</script> & co',
        summary: { '<b>key</b>': '<i>value</i>' },
        model: [{ label: 'name <jw>', levels: [{ label: 'exact & "same"', m: 0.9, u: null, weight: 3.2 }] }],
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('evil &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(html).toContain('&lt;b&gt;key&lt;/b&gt;');
    expect(html).toContain('&lt;i&gt;value&lt;/i&gt;');
    expect(html).toContain('name &lt;jw&gt;');
    expect(html).toContain('exact &amp; &quot;same&quot;');
  });

  it('contains the charts, the confusion counts and no NaN', () => {
    const html = renderEvaluationReport(input({ confusion: { truePositives: 1234, falsePositives: 56, falseNegatives: 789 } }));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toMatch(/<svg[^>]*class="histogram"/);
    expect(html).toMatch(/<svg[^>]*class="pr-curve"/);
    expect(html).toContain('TP 1234');
    expect(html).toContain('FP 56');
    expect(html).toContain('FN 789');
    expect(html).toContain('2024-01-02T03:04:05.000Z');
    expect(html).not.toContain('NaN');
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it('shows the model table only when given', () => {
    expect(renderEvaluationReport(input())).not.toContain('class="model"');
    const html = renderEvaluationReport(
      input({ model: [{ label: 'email', levels: [{ label: 'exact', m: 0.95, u: 0.001, weight: 9.89 }, { label: 'else', m: null, u: null, weight: -3 }] }] }),
    );
    expect(html).toContain('class="model"');
    expect(html).toContain('9.89');
  });

  it('renders the empty case without NaN', () => {
    const html = renderEvaluationReport(
      input({ weights: new Float32Array(0), isMatch: new Uint8Array(0), totalTruePairs: 0, summary: {}, confusion: { truePositives: 0, falsePositives: 0, falseNegatives: 0 } }),
    );
    expect(html).toMatch(/<svg[^>]*class="histogram"/);
    expect(html).toMatch(/<svg[^>]*class="pr-curve"/);
    expect(html).toContain('no scored pairs');
    expect(html).not.toContain('NaN');
    expect(html).not.toContain('Infinity');
  });
});
