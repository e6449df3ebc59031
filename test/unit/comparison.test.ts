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

describe('compileComparison: levels', () => {
  // Levels: 0 missing, 1 exact, 2.. the listed levels in order, then else.
  const nickname = spec({ attribute: 'firstName', levels: ['nickname', { jaroWinkler: 0.8 }] });
  it.each<Case>([
    [null, 'bob', NULL_LEVEL],
    ['bob', 'bob', EXACT_LEVEL],
    ['bob', 'robert', 2],
    ['robert', 'bob', 2], // both directions
    ['rob', 'bob', 2], // neither is the other's given name: they meet at robert
    ['bill', 'william', 2],
    ['william', 'bill', 2],
    ['peggy', 'margaret', 2],
    ['jim', 'james', 2],
    ['mary', 'marty', 3], // not nicknames: falls through to jaro-winkler (0.95)
    ['jim', 'john', 4], // not nicknames, not alike: else
    ['qwerty', 'zxcvb', 4], // neither in the nickname list
  ])('nickname, jaroWinkler 0.8: %j / %j → level %d', (left, right, expected) => {
    expect(levelOf(nickname, left, right)).toBe(expected);
  });

  const metaphone = spec({ attribute: 'lastName', levels: ['metaphone'] });
  it.each<Case>([
    ['smith', null, NULL_LEVEL],
    ['smith', 'smith', EXACT_LEVEL],
    ['smith', 'smyth', 2],
    ['catherine', 'kathryn', 2],
    ['kathryn', 'catherine', 2],
    ['stephen', 'steven', 2],
    ['smith', 'schmidt', 2], // smith's alternate code XMT is schmidt's primary
    ['schmidt', 'smith', 2],
    ['thompson', 'tomson', 3], // TMPSN vs TMSN
    ['smith', 'jones', 3],
    ['123', '456', 3], // no sound codes at all: empty codes never agree
  ])('metaphone: %j / %j → level %d', (left, right, expected) => {
    expect(levelOf(metaphone, left, right)).toBe(expected);
  });

  const swapped = spec({ attribute: 'birthDate', levels: ['dayMonthSwapped'] });
  it.each<Case>([
    ['1994-02-01', null, NULL_LEVEL],
    ['1994-02-01', '1994-02-01', EXACT_LEVEL],
    ['1994-02-01', '1994-01-02', 2],
    ['1994-01-02', '1994-02-01', 2],
    ['1994-12-03', '1994-03-12', 2],
    ['1994-02-01', '1995-01-02', 3], // different year
    ['1994-02-01', '1994-01-03', 3], // day and month differ otherwise
    ['1994-02-01', '1994-02-03', 3],
    ['1994-02-01', 'unknown', 3], // not a date
    ['02/01/1994', '01/02/1994', 3], // not standardized dates: never swapped
  ])('dayMonthSwapped: %j / %j → level %d', (left, right, expected) => {
    expect(levelOf(swapped, left, right)).toBe(expected);
  });

  const withinDays = spec({ attribute: 'birthDate', levels: [{ withinDays: 1 }, { withinDays: 31 }] });
  it.each<Case>([
    ['2024-01-01', null, NULL_LEVEL],
    ['2024-01-01', '2024-01-01', EXACT_LEVEL],
    ['2024-01-01', '2024-01-02', 2],
    ['2024-01-02', '2024-01-01', 2], // either order
    ['2023-12-31', '2024-01-01', 2], // across a year boundary
    ['2024-01-31', '2024-02-01', 2], // across a month boundary
    ['2023-02-28', '2023-03-01', 2], // 2023 is not a leap year
    ['2024-02-28', '2024-03-01', 3], // 2024 is: February 29 lies between (2 days)
    ['2024-02-29', '2024-03-01', 2],
    ['1900-02-28', '1900-03-01', 2], // 1900 is not a leap year (century)
    ['2000-02-28', '2000-03-01', 3], // 2000 is (divisible by 400)
    ['2024-01-15', '2024-02-15', 3], // 31 days
    ['2024-01-15', '2024-02-16', 4], // 32 days
    ['2024-12-15', '2025-01-15', 3], // 31 days across a year boundary
    ['2024-02-01', '2024-03-03', 3], // 29 + 2 = 31 days in a leap year
    ['2023-02-01', '2023-03-04', 3], // 28 + 3 = 31 days
    ['2023-02-01', '2023-03-05', 4], // 32 days
    ['2024-01-01', '2023-01-01', 4],
    ['2024-01-01', 'soon', 4], // not a date
    ['later', 'soon', 4],
  ])('withinDays [1, 31]: %j / %j → level %d', (left, right, expected) => {
    expect(levelOf(withinDays, left, right)).toBe(expected);
  });

  const within = spec({ attribute: 'income', levels: [{ within: 0.5 }, { within: 10 }] });
  it.each<Case>([
    ['10', null, NULL_LEVEL],
    ['10', '10', EXACT_LEVEL],
    ['10', '10.0', 2], // different text, same number
    ['10', '10.5', 2],
    ['10.5', '10', 2],
    ['10', '10.6', 3],
    ['100', '90', 3],
    ['-5', '5', 3],
    ['100', '111', 4],
    ['10', 'ten', 4], // non-numeric values are never within
    ['abc', 'abd', 4],
    ['n/a', 'n/b', 4],
    ['1 000', '1000', 4],
  ])('within [0.5, 10]: %j / %j → level %d', (left, right, expected) => {
    expect(levelOf(within, left, right)).toBe(expected);
  });

  const tokens = spec({ attribute: 'fullName', levels: [{ jaccard: 0.6 }, { sharedTokens: 1 }] });
  it.each<Case>([
    ['anna maria', null, NULL_LEVEL],
    ['anna maria', 'anna maria', EXACT_LEVEL],
    ['anna maria', 'maria anna', 2], // jaccard 1
    ['anna maria', 'anna louise maria', 2], // 2/3
    ['anna anna maria', 'anna maria', 2], // tokens count once: jaccard 1
    ['maria  anna', 'anna maria', 2], // runs of spaces separate like one
    ['anna maria', 'maria', 3], // 1/2: one shared token
    ['maria', 'anna maria', 3],
    ['anna maria', 'maria louise', 3], // 1/3
    ['anna maria', 'anne marie', 4], // no token shared
    ['anna', 'maria', 4],
  ])('jaccard 0.6, sharedTokens 1: %j / %j → level %d', (left, right, expected) => {
    expect(levelOf(tokens, left, right)).toBe(expected);
  });

  it.each<[unknown[], string, string, number]>([
    [[{ jaccard: 0.5 }], 'anna maria', 'maria', 2], // exactly the threshold
    [[{ jaccard: 0.51 }], 'anna maria', 'maria', 3],
    [[{ jaccard: 1 }], 'anna maria', 'maria anna', 2],
    [[{ jaccard: 1 }], 'anna maria', 'anna maria louise', 3],
    [[{ sharedTokens: 2 }], 'anna maria louise', 'louise anna', 2],
    [[{ sharedTokens: 2 }], 'anna maria', 'maria', 3],
    [[{ sharedTokens: 2 }], 'anna anna', 'anna', 3], // one distinct token shared, however often
    [[{ sharedTokens: 2 }, { sharedTokens: 1 }], 'anna maria', 'maria louise', 3],
  ])('levels %j: %j / %j → level %d', (levels, left, right, expected) => {
    expect(levelOf(spec({ attribute: 'fullName', levels }), left, right)).toBe(expected);
  });

  describe('reversed', () => {
    // Records: firstName / lastName
    const first = ['john', 'smith', 'smith', 'jon', 'smith', null, 'smith', 'smith', 'john'];
    const last = ['smith', 'john', 'jon', 'smith', 'brown', 'john', null, 'jones', 'smith'];
    const firstName = encodeColumn(first);
    const lastName = encodeColumn(last);
    const reversed = spec({ attribute: 'firstName', levels: [{ reversed: 'lastName' }] });
    const level = compile(reversed, firstName, { lastName });

    it.each<[number, number, number]>([
      [0, 1, 2], // john smith / smith john
      [1, 0, 2], // either way round
      [0, 2, 2], // john smith / smith jon: jaro-winkler john/jon 0.93 ≥ 0.9
      [3, 1, 2], // jon smith / smith john
      [0, 4, 3], // john smith / smith brown: only one direction is similar
      [4, 0, 3],
      [0, 5, 0], // no first name: missing, before any level
      [0, 6, 3], // other attribute missing: the level does not apply
      [6, 0, 3],
      [0, 7, 3], // john smith / smith jones: john / jones 0.83 < 0.9
      [0, 8, 1], // same first name: exact wins before the reversed level
      [1, 2, 1],
      [0, 3, 3], // john / jon are not swapped: same last name
    ])('firstName reversed with lastName: records %d, %d → level %d', (i, j, expected) => {
      expect(level(i, j)).toBe(expected);
    });

    it('takes its threshold from the level', () => {
      const loose = compile(spec({ attribute: 'firstName', levels: [{ reversed: 'lastName', jaroWinkler: 0.8 }] }), firstName, { lastName });
      expect(loose(0, 7)).toBe(2);
      expect(loose(0, 4)).toBe(3);
    });

    it('defaults the threshold to 0.9', () => {
      expect(reversed.levels).toEqual([{ kind: 'reversed', other: 'lastName', threshold: 0.9 }]);
    });
  });

  describe('order: the first listed level that applies wins', () => {
    it.each<[unknown[], string, string, number]>([
      [['metaphone', { jaroWinkler: 0.8 }], 'smith', 'smyth', 2], // both apply
      [[{ jaroWinkler: 0.8 }, 'metaphone'], 'smith', 'smyth', 2],
      [['metaphone', { jaroWinkler: 0.8 }], 'mary', 'marty', 3], // only jaro-winkler
      [[{ jaroWinkler: 0.8 }, 'metaphone'], 'catherine', 'kathryn', 3], // only metaphone (jaro-winkler 0.78)
      [['nickname', { levenshtein: 1 }], 'bob', 'rob', 2], // both apply
      [[{ levenshtein: 1 }, 'nickname'], 'bob', 'rob', 2],
      [[{ levenshtein: 1 }, 'nickname'], 'bob', 'robert', 3],
      [[{ levenshtein: 1 }, 'nickname'], 'bob', 'bot', 2],
      [[{ levenshtein: 2 }, { levenshtein: 1 }], 'abcd', 'abce', 2], // a looser level first hides a tighter one
      [[{ levenshtein: 2 }, { levenshtein: 1 }], 'abcd', 'abef', 2],
      [[{ levenshtein: 2 }, { levenshtein: 1 }], 'abcd', 'aefg', 4],
      [['dayMonthSwapped', { withinDays: 31 }], '1994-02-01', '1994-01-02', 2], // both apply (30 days)
      [[{ withinDays: 31 }, 'dayMonthSwapped'], '1994-02-01', '1994-01-02', 2],
      [[{ withinDays: 31 }, 'dayMonthSwapped'], '1994-12-03', '1994-03-12', 3], // only swapped
      [[{ withinDays: 31 }, 'dayMonthSwapped'], '1994-12-03', '1994-12-30', 2], // only within
      [[{ sharedTokens: 1 }, { jaccard: 0.6 }], 'anna maria', 'maria anna', 2],
      [[{ jaccard: 0.6 }, { sharedTokens: 1 }], 'anna maria', 'maria anna', 2],
    ])('levels %j: %j / %j → level %d', (levels, left, right, expected) => {
      expect(levelOf(spec({ attribute: 'x', levels }), left, right)).toBe(expected);
    });
  });

  describe('memoised measures across levels', () => {
    /** The level each comparator alone gives: first level whose one-level comparator applies. */
    function expectedLevel(singles: Array<(i: number, j: number) => number>, i: number, j: number): number {
      const first = singles[0]!(i, j);
      if (first === NULL_LEVEL || first === EXACT_LEVEL) return first;
      const t = singles.findIndex((single) => single(i, j) === 2);
      return t < 0 ? singles.length + 2 : t + 2;
    }

    it.each<[string, unknown[], number[]]>([
      ['levenshtein 1, 2', [{ levenshtein: 1 }, { levenshtein: 2 }], [2, 3]],
      ['damerau 2, jaro-winkler 0.9, damerau 3', [{ damerauLevenshtein: 2 }, { jaroWinkler: 0.9 }, { damerauLevenshtein: 3 }], [2, 3, 4]],
      ['levenshtein 2, 1 (loose first: 1 is never reached)', [{ levenshtein: 2 }, { levenshtein: 1 }], [2]],
      ['mixed measures', [{ jaroWinkler: 0.95 }, { levenshtein: 1 }, { damerauLevenshtein: 1 }, { jaroWinkler: 0.85 }, { levenshtein: 3 }, { damerauLevenshtein: 4 }], [2, 3, 4, 5, 6, 7]],
    ])('%s: agree with a comparator built from each level alone', (_name, levels, reached) => {
      const random = seededRandom(levels.length * 7 + 1);
      const word = () => Array.from({ length: Math.floor(random() * 9) }, () => 'abcd'[Math.floor(random() * 4)]).join('');
      const values = Array.from({ length: 80 }, word);
      const column = encodeColumn(values);
      const all = spec({ attribute: 'x', levels });
      const combined = compile(all, column);
      const singles = levels.map((level) => compile(spec({ attribute: 'x', levels: [level] }), column));
      const seen = new Set<number>();
      for (let i = 0; i < values.length; i++) {
        for (let j = 0; j < values.length; j++) {
          const got = combined(i, j);
          seen.add(got);
          expect(got, `${JSON.stringify(values[i])} / ${JSON.stringify(values[j])}`).toBe(expectedLevel(singles, i, j));
        }
      }
      // The random words reach missing, exact, else and every listed level that can apply.
      expect([...seen].sort((a, b) => a - b)).toEqual([NULL_LEVEL, EXACT_LEVEL, ...reached, levels.length + 2]);
    });
  });
});

describe('describeLevels: levels form', () => {
  it('labels every kind of level, in the order listed', () => {
    const first = spec({
      attribute: 'firstName',
      label: 'First name',
      levels: ['nickname', 'metaphone', 'dayMonthSwapped', { jaroWinkler: 0.9 }, { levenshtein: 2 }, { damerauLevenshtein: 1 }, { withinDays: 30 }, { within: 2.5 }],
    });
    expect(describeLevels(first)).toEqual({
      label: 'First name',
      attribute: 'firstName',
      levels: [
        'missing', 'exact', 'nickname of', 'sounds alike (double metaphone)', 'day and month swapped', 'jaro-winkler ≥ 0.9',
        'levenshtein ≤ 2', 'damerau-levenshtein ≤ 1', 'within 30 days', 'within 2.5', 'else',
      ],
    });
    const second = spec({ attribute: 'fullName', levels: [{ sharedTokens: 2 }, { jaccard: 0.5 }, { reversed: 'lastName' }, { reversed: 'middleName', jaroWinkler: 0.8 }] });
    expect(describeLevels(second)).toEqual({
      label: 'fullName',
      attribute: 'fullName',
      levels: [
        'missing', 'exact', '2+ shared tokens', 'token jaccard ≥ 0.5', 'swapped with lastName (jaro-winkler ≥ 0.9)',
        'swapped with middleName (jaro-winkler ≥ 0.8)', 'else',
      ],
    });
  });

  it('has one label per level a levels-form comparison returns', () => {
    const s = spec({ attribute: 'firstName', levels: ['nickname', { jaroWinkler: 0.8 }] });
    const labels = describeLevels(s).levels;
    expect(labels[levelOf(s, 'bob', 'robert')]).toBe('nickname of');
    expect(labels[levelOf(s, 'mary', 'marty')]).toBe('jaro-winkler ≥ 0.8');
    expect(labels[levelOf(s, 'jim', 'john')]).toBe('else');
    expect(levelOf(s, 'jim', 'john')).toBe(labels.length - 1);
  });
});
