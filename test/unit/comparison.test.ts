import { describe, expect, it } from 'vitest';
import { comparisonSchema, type ComparisonSettings } from '../../src/config/comparison-schema.js';
import { encodeColumn, type StringColumn } from '../../src/model/columns.js';
import { loadNicknames } from '../../src/standardize/nicknames.js';
import { buildValueFeatures } from '../../src/score/value-features.js';
import { seededRandom } from '../../src/model/random.js';
import { compileComparison, decodePattern, describeLevels, EXACT_LEVEL, NULL_LEVEL, patternCodec } from '../../src/score/comparison.js';

type Case = [left: string | null, right: string | null, expectedLevel: number];

/** Level of one pair: the two values as records 0 and 1 of a fresh column. */
function levelOf(spec: ComparisonSettings, left: string | null, right: string | null): number {
  return compile(spec, encodeColumn([left, right]))(0, 1);
}

/** Settings as a user writes them, validated and compiled the way a run does. */
function spec(input: unknown): ComparisonSettings {
  return comparisonSchema.parse(input);
}

function compile(s: ComparisonSettings, column: StringColumn, others: Record<string, StringColumn> = {}) {
  const columns = { ...others, [s.attribute]: column };
  return compileComparison({ columns, comparisons: [s], features: [buildValueFeatures(s, column, loadNicknames)] }, 0);
}

const exact = spec({ attribute: 'state', method: 'exact' });
const jaroWinkler = spec({ attribute: 'firstName', method: 'jaroWinkler', thresholds: [0.92, 0.8] });
const levenshtein = spec({ attribute: 'postcode', method: 'levenshtein', thresholds: [1, 2] });
const damerau = spec({ attribute: 'birthDate', method: 'damerauLevenshtein', thresholds: [1, 2] });

describe('compileComparison', () => {
  it.each<Case>([
    [null, null, NULL_LEVEL],
    ['NSW', null, NULL_LEVEL],
    ['', 'NSW', NULL_LEVEL],
    ['NSW', 'NSW', EXACT_LEVEL],
    ['NSW', 'VIC', 2],
    ['NSW', 'nsw', 2], // case matters: values arrive standardized
  ])('exact: %j / %j → level %d', (left, right, expected) => {
    expect(levelOf(exact, left, right)).toBe(expected);
  });

  it.each<Case>([
    [null, 'martha', NULL_LEVEL],
    ['martha', '', NULL_LEVEL],
    ['martha', 'martha', EXACT_LEVEL],
    ['MARTHA', 'MARHTA', 2], // 0.961 ≥ 0.92
    ['DWAYNE', 'DUANE', 3], // 0.84 ≥ 0.8
    ['DIXON', 'DICKSONX', 3], // 0.813 ≥ 0.8
    ['CRATE', 'TRACE', 4], // 0.733: else
    ['anna', 'zoe', 4],
  ])('jaroWinkler [0.92, 0.8]: %j / %j → level %d', (left, right, expected) => {
    expect(levelOf(jaroWinkler, left, right)).toBe(expected);
  });

  it.each<[number[], number]>([
    [[0.96], 2], // MARTHA / MARHTA = 0.9611 reaches 0.96...
    [[0.962], 3], // ...but not 0.962: else
    [[0.99, 0.97, 0.96], 4],
  ])('jaroWinkler thresholds %j on MARTHA / MARHTA → level %d', (thresholds, expected) => {
    expect(levelOf(spec({ attribute: 'firstName', method: 'jaroWinkler', thresholds }), 'MARTHA', 'MARHTA')).toBe(expected);
  });

  it.each<Case>([
    [null, '2000', NULL_LEVEL],
    ['2000', '2000', EXACT_LEVEL],
    ['2000', '2001', 2], // 1 edit
    ['2000', '200', 2],
    ['2000', '2010', 2],
    ['2000', '0200', 3], // 2 edits: a transposition is two for levenshtein
    ['2000', '3100', 3],
    ['2000', '3110', 4], // 3 edits: else
    ['2000', '20001234', 4], // length difference alone exceeds the bound
  ])('levenshtein [1, 2]: %j / %j → level %d', (left, right, expected) => {
    expect(levelOf(levenshtein, left, right)).toBe(expected);
  });

  it.each<Case>([
    ['1980-03-12', null, NULL_LEVEL],
    ['1980-03-12', '1980-03-12', EXACT_LEVEL],
    ['1980-03-12', '1980-03-21', 2], // a transposition is one edit
    ['1980-03-12', '1908-03-12', 2],
    ['1980-03-12', '1980-03-13', 2],
    ['1980-03-12', '1980-04-13', 3],
    ['1980-03-12', '1890-30-12', 3], // two transpositions
    ['1980-03-12', '1981-04-13', 4],
  ])('damerauLevenshtein [1, 2]: %j / %j → level %d', (left, right, expected) => {
    expect(levelOf(damerau, left, right)).toBe(expected);
  });

  it('compares any records of a shared column, in both directions', () => {
    const values = ['smith', 'smyth', null, 'smith', 'jones', ''];
    const column = encodeColumn(values);
    const level = compile(spec({ attribute: 'lastName', method: 'levenshtein', thresholds: [1] }), column);
    const expected = [
      [1, 2, 0, 1, 3, 0],
      [2, 1, 0, 2, 3, 0],
      [0, 0, 0, 0, 0, 0],
      [1, 2, 0, 1, 3, 0],
      [3, 3, 0, 3, 1, 0],
      [0, 0, 0, 0, 0, 0],
    ];
    const actual = values.map((_, i) => values.map((_, k) => level(i, k)));
    expect(actual).toEqual(expected);
  });

  it('agrees with itself when one scratch is shared by comparators over long values', () => {
    const random = seededRandom(5);
    const word = (n: number) => Array.from({ length: n }, () => 'abc'[Math.floor(random() * 3)]).join('');
    const values = Array.from({ length: 30 }, (_, i) => word(i * 5));
    const column = encodeColumn(values);
    const street = spec({ attribute: 'street', method: 'damerauLevenshtein', thresholds: [3, 10] });
    const shared = compile(street, column);
    for (let i = 0; i < values.length; i++) {
      for (let k = 0; k < values.length; k++) {
        expect(shared(i, k)).toBe(levelOf(street, values[i]!, values[k]!));
      }
    }
  });
});

describe('describeLevels', () => {
  it.each<[ComparisonSettings, string, string[]]>([
    [exact, 'state', ['missing', 'exact', 'else']],
    [jaroWinkler, 'firstName', ['missing', 'exact', 'jaro-winkler ≥ 0.92', 'jaro-winkler ≥ 0.8', 'else']],
    [levenshtein, 'postcode', ['missing', 'exact', 'levenshtein ≤ 1', 'levenshtein ≤ 2', 'else']],
    [{ ...damerau, label: 'Date of birth' }, 'Date of birth', ['missing', 'exact', 'damerau-levenshtein ≤ 1', 'damerau-levenshtein ≤ 2', 'else']],
  ])('%j', (spec, label, levels) => {
    expect(describeLevels(spec)).toEqual({ label, attribute: spec.attribute, levels });
  });

  it('has one level per label: the else level is the highest a comparison returns', () => {
    const levels = describeLevels(levenshtein).levels;
    expect(levelOf(levenshtein, 'aaaa', 'bbbb')).toBe(levels.length - 1);
  });
});

describe('patternCodec', () => {
  it('gives each comparison the product of the level counts before it as radix', () => {
    expect(Array.from(patternCodec([3, 5, 4]).radices)).toEqual([1, 3, 15]);
  });

  it.each<[number[], number[]]>([
    [[3, 5, 4], [0, 0, 0]],
    [[3, 5, 4], [2, 4, 3]],
    [[3, 5, 4], [1, 0, 2]],
    [[5], [4]],
    [[6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6], [5, 0, 3, 1, 5, 2, 4, 0, 1, 5, 3, 2]], // twelve comparisons stay exact
  ])('level counts %j: %j round-trips', (levelCounts, vector) => {
    const codec = patternCodec(levelCounts);
    const pattern = vector.reduce((sum, level, k) => sum + level * codec.radices[k]!, 0);
    expect(Array.from(decodePattern(codec, pattern))).toEqual(vector);
  });

  it('round-trips every vector of a small codec to a distinct pattern', () => {
    const codec = patternCodec([3, 4, 2]);
    const seen = new Set<number>();
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 4; b++) {
        for (let c = 0; c < 2; c++) {
          const pattern = a * codec.radices[0]! + b * codec.radices[1]! + c * codec.radices[2]!;
          seen.add(pattern);
          expect(Array.from(decodePattern(codec, pattern))).toEqual([a, b, c]);
        }
      }
    }
    expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('writes into the given output array', () => {
    const codec = patternCodec([2, 3]);
    const out = new Int32Array(2);
    expect(decodePattern(codec, 5, out)).toBe(out);
    expect(Array.from(out)).toEqual([1, 2]);
  });
});
