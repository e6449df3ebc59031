import { comparisonSchema } from '../../src/config/comparison-schema.js';
import { describe, expect, it } from 'vitest';
import { blockingKey, parseBlockingRule, recordKeyer } from '../../src/block/blocking-rules.js';
import { planBlocks, type BlockPlan } from '../../src/block/plan-blocks.js';
import { soundex } from '../../src/block/soundex.js';
import type { Settings } from '../../src/config/settings-schema.js';
import { seededRandom } from '../../src/model/random.js';
import { buildMatchPlan, computeBlockKeys, type MatchInput } from '../../src/score/engine.js';
import { forEachCandidatePair } from '../../src/score/pair-scan.js';
import type { LinkType, ScoringData } from '../../src/score/scoring-data.js';

describe('soundex', () => {
  it.each([
    ['Robert', 'R163'],
    ['Rupert', 'R163'],
    ['Rubin', 'R150'],
    ['Ashcraft', 'A261'], // h does not separate s and c
    ['Ashcroft', 'A261'],
    ['Tymczak', 'T522'], // a vowel does separate z and k
    ['Pfister', 'P236'], // f codes like the first letter p
    ['Honeyman', 'H555'],
    ['Washington', 'W252'],
    ['Gutierrez', 'G362'],
    ['Jackson', 'J250'],
    ['Lee', 'L000'],
    ['A', 'A000'],
    ["o'brien", 'O165'],
    ['SMITH', 'S530'],
    ['smyth', 'S530'],
  ])('%s → %s', (name, code) => {
    expect(soundex(name)).toBe(code);
  });

  it.each(['', '123', "'-"])('%j has no letters → null', (value) => {
    expect(soundex(value)).toBeNull();
  });
});

describe('parseBlockingRule', () => {
  it('parses attributes with and without transforms', () => {
    expect(parseBlockingRule(['lastName:soundex', 'birthDate:year', 'firstName:prefix(3)', 'postcode', 'city:initial', 'lastName:metaphone', 'state:exact'])).toEqual({
      label: 'lastName:soundex & birthDate:year & firstName:prefix(3) & postcode & city:initial & lastName:metaphone & state:exact',
      parts: [
        { attribute: 'lastName', transform: 'soundex' },
        { attribute: 'birthDate', transform: 'year' },
        { attribute: 'firstName', transform: 'prefix', length: 3 },
        { attribute: 'postcode', transform: 'exact' },
        { attribute: 'city', transform: 'initial' },
        { attribute: 'lastName', transform: 'metaphone' },
        { attribute: 'state', transform: 'exact' },
      ],
    });
  });

  it.each([
    ['x:prefix(1)', 1],
    ['x:prefix(12)', 12],
  ])('%s has length %d', (part, length) => {
    expect(parseBlockingRule([part]).parts[0]).toEqual({ attribute: 'x', transform: 'prefix', length });
  });
});

describe('blockingKey', () => {
  const attrs = { lastName: 'smith', firstName: 'jonathan', birthDate: '1980-03-12', city: 'sydney', postcode: '2000', empty: '' };

  it.each<[string[], string | null]>([
    [['postcode'], '2000'],
    [['postcode:exact'], '2000'],
    [['lastName:soundex'], 'S530'],
    [['lastName:metaphone'], 'SM0'],
    [['city:initial'], 's'],
    [['birthDate:year'], '1980'],
    [['firstName:prefix(3)'], 'jon'],
    [['firstName:prefix(20)'], 'jonathan'],
    [['lastName:soundex', 'birthDate:year'], 'S530\u001f1980'],
    [['city:prefix(3)', 'firstName:initial', 'postcode'], 'syd\u001fj\u001f2000'],
    // Any part missing or transformed to nothing: the record is not blocked by the rule.
    [['phone'], null],
    [['empty'], null],
    [['lastName', 'phone'], null],
    [['phone', 'lastName'], null],
    [['city:year'], null],
    [['postcode:soundex'], null],
  ])('%j → %j', (parts, key) => {
    expect(blockingKey(parseBlockingRule(parts), attrs)).toBe(key);
  });

  it.each([
    ['lastName', 'smith', 'smyth', true],
    ['lastName', 'thompson', 'tomson', false],
    ['lastName', 'catherine', 'kathryn', true],
  ])('metaphone groups %s %j and %j: %s', (attribute, a, b, same) => {
    const rule = parseBlockingRule([`${attribute}:metaphone`]);
    expect(blockingKey(rule, { [attribute]: a }) === blockingKey(rule, { [attribute]: b })).toBe(same);
  });

  it('keeps parts apart so that different splits give different keys', () => {
    const rule = parseBlockingRule(['a', 'b']);
    expect(blockingKey(rule, { a: 'xy', b: 'z' })).not.toBe(blockingKey(rule, { a: 'x', b: 'yz' }));
  });
});

describe('recordKeyer', () => {
  // Rules sharing parts (the same attribute and transform in several rules), as generated settings do.
  const rules = [
    ['email'],
    ['lastName:metaphone', 'birthDate'],
    ['firstName:metaphone', 'birthDate'],
    ['firstName:metaphone', 'lastName:metaphone', 'postcode'],
    ['birthDate:dayMonthAnyOrder', 'postcode'],
    ['firstName:metaphone', 'lastName:metaphone', 'birthDate:year'],
    ['firstName:prefix(2)', 'firstName:prefix(3)'],
  ].map(parseBlockingRule);
  const keysOf = recordKeyer(rules);
  const oneByOne = (attrs: Record<string, string | null>) =>
    rules.flatMap((rule, r) => {
      const key = blockingKey(rule, attrs);
      return key === null ? [] : [`${r}:${key}`];
    });

  it('gives each rule its own key, in rule order, leaving out the rules that do not key the record', () => {
    expect(keysOf({ email: null, lastName: 'smith', firstName: 'jon', birthDate: '1980-03-12', postcode: null })).toEqual([
      '1:SM0\u001f1980-03-12', '2:JN\u001f1980-03-12', '5:JN\u001fSM0\u001f1980', '6:jo\u001fjon',
    ]);
    expect(keysOf({})).toEqual([]);
  });

  it('agrees with each rule keyed alone on random records', () => {
    const random = seededRandom(7);
    const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)]!;
    for (let i = 0; i < 2000; i++) {
      const attrs = {
        email: pick([null, '', 'a@b.com', 'x@y.org']),
        lastName: pick([null, '', 'smith', 'smyth', 'o', 'nguyen']),
        firstName: pick([null, 'jon', 'jonathan', 'al', '']),
        birthDate: pick([null, '1980-03-12', '1980-12-03', 'unknown']),
        postcode: pick([null, '2000', '']),
      };
      expect(keysOf(attrs)).toEqual(oneByOne(attrs));
    }
  });
});

/** Every block of a plan as "rule:members", from the shards. */
function blocksOf(plan: BlockPlan): string[] {
  const out: string[] = [];
  for (const shard of plan.shards) {
    for (let b = 0; b + 1 < shard.blockStarts.length; b++) {
      out.push(`${shard.blockRules[b]}:${Array.from(shard.members.subarray(shard.blockStarts[b]!, shard.blockStarts[b + 1]!)).join(',')}`);
    }
  }
  return out.sort();
}

const pairsIn = (n: number) => (n * (n - 1)) / 2;

describe('planBlocks', () => {
  const keys = [
    // rule 0: a has 3 records, b has 2, c is a singleton, record 6 has no key
    ['a', 'b', 'a', 'b', 'a', 'c', null],
    // rule 1: x is oversized (4 > 3), y has 2
    ['x', 'x', 'x', 'x', 'y', null, 'y'],
  ];

  it.each([1, 2, 3, 8])('with %d shards, covers every block exactly once', (shardCount) => {
    const plan = planBlocks(keys, { records: 7, shardCount, maxBlockSize: 3 });
    expect(blocksOf(plan)).toEqual(['0:0,2,4', '0:1,3', '1:4,6']);
    expect(plan.blocks).toBe(3);
    expect(plan.shards.length).toBe(Math.min(shardCount, 3));
    expect(plan.rawPairs).toBe(pairsIn(3) + pairsIn(2) + pairsIn(2));
    expect(plan.shards.reduce((s, shard) => s + shard.rawPairs, 0)).toBe(plan.rawPairs);
    // The oversized x block and the singleton c count nowhere.
    expect(plan.rules).toEqual([{ blocks: 2, rawPairs: pairsIn(3) + pairsIn(2), largest: 3 }, { blocks: 1, rawPairs: pairsIn(2), largest: 2 }]);
  });

  it('reports oversized blocks and clears their records\' keys', () => {
    const plan = planBlocks(keys, { records: 7, shardCount: 2, maxBlockSize: 3 });
    expect(plan.oversized).toEqual([{ rule: 1, key: 'x', records: 4 }]);
    const ruleKey = (record: number, rule: number) => plan.ruleKeys[record * plan.ruleCount + rule];
    expect([0, 1, 2, 3].map((r) => ruleKey(r, 1))).toEqual([-1, -1, -1, -1]);
    // Missing keys are -1; records sharing a key share its id; a singleton keeps its id.
    expect(ruleKey(6, 0)).toBe(-1);
    expect(ruleKey(5, 1)).toBe(-1);
    expect(ruleKey(4, 1)).toBe(ruleKey(6, 1));
    expect(ruleKey(4, 1)).toBeGreaterThanOrEqual(0);
    expect(ruleKey(0, 0)).toBe(ruleKey(2, 0));
    expect(ruleKey(0, 0)).not.toBe(ruleKey(1, 0));
    expect(ruleKey(5, 0)).toBeGreaterThanOrEqual(0);
  });

  it('accepts a block exactly at the size limit', () => {
    const plan = planBlocks([['k', 'k', 'k']], { records: 3, shardCount: 1, maxBlockSize: 3 });
    expect(plan.oversized).toEqual([]);
    expect(plan.rawPairs).toBe(3);
  });

  it('plans no blocks when no key is shared', () => {
    const plan = planBlocks([['a', 'b', null]], { records: 3, shardCount: 4, maxBlockSize: 10 });
    expect(plan.blocks).toBe(0);
    expect(plan.rawPairs).toBe(0);
    expect(plan.shards.length).toBe(1);
    expect(plan.shards[0]!.members.length).toBe(0);
  });

  it('puts the largest block alone and the small ones together', () => {
    // One block of 10 records (45 pairs) and five blocks of 2 (1 pair each).
    const rule = Array.from({ length: 20 }, (_, i) => (i < 10 ? 'big' : `small${Math.floor((i - 10) / 2)}`));
    const plan = planBlocks([rule], { records: 20, shardCount: 2, maxBlockSize: 100 });
    const shardPairs = plan.shards.map((s) => s.rawPairs).sort((a, b) => a - b);
    expect(shardPairs).toEqual([5, 45]);
  });

  it('covers random plans exactly, with members ascending within a block', () => {
    const random = seededRandom(21);
    for (let round = 0; round < 20; round++) {
      const n = 50 + Math.floor(random() * 100);
      const ruleCount = 1 + Math.floor(random() * 3);
      const keysByRule = Array.from({ length: ruleCount }, () =>
        Array.from({ length: n }, () => (random() < 0.15 ? null : `k${Math.floor(random() * 12)}`)));
      const maxBlockSize = 5 + Math.floor(random() * 10);
      const plan = planBlocks(keysByRule, { records: n, shardCount: 1 + Math.floor(random() * 6), maxBlockSize });
      const expected: string[] = [];
      const oversized: string[] = [];
      let rawPairs = 0;
      const rules = keysByRule.map(() => ({ blocks: 0, rawPairs: 0, largest: 0 }));
      keysByRule.forEach((ruleKeys, r) => {
        const groups = new Map<string, number[]>();
        ruleKeys.forEach((k, i) => {
          if (k !== null) groups.set(k, [...(groups.get(k) ?? []), i]);
        });
        for (const [key, members] of groups) {
          if (members.length > maxBlockSize) oversized.push(`${r}:${key}:${members.length}`);
          else if (members.length >= 2) {
            expected.push(`${r}:${members.join(',')}`);
            rawPairs += pairsIn(members.length);
            rules[r]!.blocks++;
            rules[r]!.rawPairs += pairsIn(members.length);
            rules[r]!.largest = Math.max(rules[r]!.largest, members.length);
          }
        }
      });
      expect(blocksOf(plan)).toEqual(expected.sort());
      expect(plan.oversized.map((o) => `${o.rule}:${o.key}:${o.records}`).sort()).toEqual(oversized.sort());
      expect(plan.rawPairs).toBe(rawPairs);
      expect(plan.rules).toEqual(rules);
    }
  });
});

const runSettings = { attempts: 3, backoffMs: 0, shards: 4, scoreParts: 1, threads: 0, batchSize: 100 };

function settingsFor(rules: string[][], linkType: LinkType, maxBlockSize = 1000): Pick<Settings, 'blocking' | 'comparisons' | 'linkType' | 'run'> {
  return {
    blocking: { rules, maxBlockSize },
    comparisons: [comparisonSchema.parse({ attribute: 'lastName', method: 'exact' })],
    linkType,
    run: runSettings,
  };
}

/** Every candidate pair over all shards, as "i-j", with how often each was produced. */
function candidatePairs(data: ScoringData, plan: BlockPlan): Map<string, number> {
  const seen = new Map<string, number>();
  let counted = 0;
  for (const shard of plan.shards) {
    counted += forEachCandidatePair(data, shard, (i, j) => {
      const key = `${Math.min(i, j)}-${Math.max(i, j)}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    });
  }
  expect(counted).toBe([...seen.values()].reduce((a, b) => a + b, 0));
  return seen;
}

describe('forEachCandidatePair', () => {
  const records: MatchInput[] = [
    { source: 'crm', attrs: { lastName: 'smith', postcode: '2000' } }, // 0
    { source: 'crm', attrs: { lastName: 'smith', postcode: '2000' } }, // 1: shares both keys with 0
    { source: 'shop', attrs: { lastName: 'smith', postcode: '3000' } }, // 2
    { source: 'shop', attrs: { lastName: 'jones', postcode: '2000' } }, // 3
    { source: 'shop', attrs: { lastName: 'jones', postcode: null } }, // 4
    { source: 'erp', attrs: { lastName: null, postcode: '3000' } }, // 5
  ];

  it.each<[LinkType, string[]]>([
    ['link_and_dedupe', ['0-1', '0-2', '0-3', '1-2', '1-3', '2-5', '3-4']],
    ['dedupe_only', ['0-1', '3-4']],
    ['link_only', ['0-2', '0-3', '1-2', '1-3', '2-5']],
  ])('%s: produces each allowed pair exactly once', (linkType, expected) => {
    const plan = buildMatchPlan(records, settingsFor([['lastName'], ['postcode']], linkType), undefined, { shards: 3 });
    const pairs = candidatePairs(plan.data, plan.blocks);
    expect([...pairs.keys()].sort()).toEqual(expected);
    expect([...pairs.values()].every((count) => count === 1)).toBe(true);
  });

  it('on an incremental run, produces only the pairs with a changed record, each once', () => {
    const changed = [false, false, true, false, false, true];
    const plan = buildMatchPlan(records, settingsFor([['lastName'], ['postcode']], 'link_and_dedupe'), undefined, { shards: 3, changed });
    const pairs = candidatePairs(plan.data, plan.blocks);
    expect([...pairs.keys()].sort()).toEqual(['0-2', '1-2', '2-5']);
    expect([...pairs.values()].every((count) => count === 1)).toBe(true);
  });

  it('produces a pair from a later rule when the earlier rule\'s block was oversized', () => {
    const many: MatchInput[] = Array.from({ length: 5 }, (_, i) => ({ source: 's', attrs: { lastName: 'smith', postcode: i < 2 ? '2000' : String(3000 + i) } }));
    const plan = buildMatchPlan(many, settingsFor([['lastName'], ['postcode']], 'dedupe_only', 4), undefined, { shards: 2 });
    expect(plan.blocks.oversized).toEqual([{ rule: 0, key: 'smith', records: 5 }]);
    expect([...candidatePairs(plan.data, plan.blocks).keys()]).toEqual(['0-1']);
  });

  it.each<LinkType>(['link_and_dedupe', 'dedupe_only', 'link_only'])('%s: random records match a brute-force candidate set', (linkType) => {
    const random = seededRandom(linkType.length);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const rules = [['lastName:soundex'], ['postcode'], ['firstName:initial', 'birthDate:year']];
    const people: MatchInput[] = Array.from({ length: 120 }, () => ({
      source: pick(['a', 'b', 'c']),
      attrs: {
        lastName: random() < 0.1 ? null : pick(['smith', 'smyth', 'jones', 'johns', 'brown', 'braun', 'lee']),
        firstName: random() < 0.1 ? null : pick(['ann', 'anne', 'bob', 'carl', 'dora']),
        postcode: random() < 0.2 ? null : pick(['2000', '2001', '3000', '4000', '5000', '6000']),
        birthDate: random() < 0.1 ? null : `${pick(['1970', '1980', '1990'])}-01-01`,
      },
    }));
    const settings = settingsFor(rules, linkType, 12);
    const keys = computeBlockKeys(people, settings);
    const plan = buildMatchPlan(people, settings, keys, { shards: 5 });
    const oversized = new Set(plan.blocks.oversized.map((o) => `${o.rule}:${o.key}`));
    const expected: string[] = [];
    for (let i = 0; i < people.length; i++) {
      for (let j = i + 1; j < people.length; j++) {
        const si = people[i]!.source;
        const sj = people[j]!.source;
        if (linkType === 'dedupe_only' && si !== sj) continue;
        if (linkType === 'link_only' && si === sj) continue;
        const shares = keys.some((ruleKeys, r) => ruleKeys[i] !== null && ruleKeys[i] === ruleKeys[j] && !oversized.has(`${r}:${ruleKeys[i]}`));
        if (shares) expected.push(`${i}-${j}`);
      }
    }
    const pairs = candidatePairs(plan.data, plan.blocks);
    expect(plan.blocks.oversized.length).toBeGreaterThan(0);
    expect([...pairs.keys()].sort()).toEqual(expected.sort());
    expect([...pairs.values()].every((count) => count === 1)).toBe(true);
  });
});

describe('blocking transforms for swapped and split values', () => {
  it('parses the transforms by name', () => {
    expect(parseBlockingRule(['fullName:sortedTokens', 'email:localPart', 'email:domain', 'birthDate:dayMonthAnyOrder']).parts).toEqual([
      { attribute: 'fullName', transform: 'sortedTokens' },
      { attribute: 'email', transform: 'localPart' },
      { attribute: 'email', transform: 'domain' },
      { attribute: 'birthDate', transform: 'dayMonthAnyOrder' },
    ]);
  });

  it.each<[string, string, string | null]>([
    ['sortedTokens', 'smith john', 'john smith'],
    ['sortedTokens', 'john smith', 'john smith'],
    ['sortedTokens', '  john   smith ', 'john smith'], // runs of spaces collapse
    ['sortedTokens', 'smith', 'smith'],
    ['sortedTokens', 'van der berg', 'berg der van'],
    ['sortedTokens', '   ', null], // no tokens: not blocked
    ['localPart', 'ann.lee@example.com', 'ann.lee'],
    ['localPart', 'a@b@example.com', 'a@b'], // the domain follows the last @
    ['localPart', 'ann.lee', null], // no @
    ['localPart', '@example.com', null], // nothing before the @
    ['domain', 'ann.lee@example.com', 'example.com'],
    ['domain', 'a@b@example.com', 'example.com'],
    ['domain', '@example.com', 'example.com'],
    ['domain', 'example.com', null], // no @
    ['domain', 'ann.lee@', null], // nothing after the @
    ['dayMonthAnyOrder', '1994-02-01', '1994-01-02'],
    ['dayMonthAnyOrder', '1994-01-02', '1994-01-02'],
    ['dayMonthAnyOrder', '1994-12-03', '1994-03-12'],
    ['dayMonthAnyOrder', '1994-05-05', '1994-05-05'],
    ['dayMonthAnyOrder', '1994-02-01T10:00:00Z', '1994-01-02'], // a timestamp blocks by its date
    ['dayMonthAnyOrder', '01/02/1994', null], // not a standardized date
    ['dayMonthAnyOrder', 'unknown', null],
    ['dayMonthAnyOrder', '1994', null],
  ])('%s of %j → %j', (transform, value, key) => {
    expect(blockingKey(parseBlockingRule([`x:${transform}`]), { x: value })).toBe(key);
  });

  it.each<[string, string, string, boolean]>([
    ['sortedTokens', 'smith john', 'john smith', true],
    ['sortedTokens', 'smith john', 'john smyth', false],
    ['localPart', 'ann.lee@example.com', 'ann.lee@other.org', true],
    ['localPart', 'ann.lee@example.com', 'annlee@example.com', false],
    ['domain', 'ann@example.com', 'bob@example.com', true],
    ['domain', 'ann@example.com', 'ann@example.org', false],
    ['dayMonthAnyOrder', '1994-02-01', '1994-01-02', true],
    ['dayMonthAnyOrder', '1994-02-01', '1994-02-01', true],
    ['dayMonthAnyOrder', '1994-02-01', '1995-01-02', false], // different year
    ['dayMonthAnyOrder', '1994-02-01', '1994-02-03', false],
  ])('%s groups %j and %j: %s', (transform, a, b, same) => {
    const rule = parseBlockingRule([`x:${transform}`]);
    const ka = blockingKey(rule, { x: a });
    const kb = blockingKey(rule, { x: b });
    expect(ka).not.toBeNull();
    expect(kb).not.toBeNull();
    expect(ka === kb).toBe(same);
  });

  it('combines with other parts, and any part without a key leaves the record unblocked', () => {
    const rule = parseBlockingRule(['fullName:sortedTokens', 'birthDate:dayMonthAnyOrder']);
    expect(blockingKey(rule, { fullName: 'smith john', birthDate: '1994-02-01' })).toBe('john smith\u001f1994-01-02');
    expect(blockingKey(rule, { fullName: 'john smith', birthDate: '1994-01-02' })).toBe('john smith\u001f1994-01-02');
    expect(blockingKey(rule, { fullName: 'john smith', birthDate: 'unknown' })).toBeNull();
    expect(blockingKey(parseBlockingRule(['email:domain', 'lastName']), { email: 'no-at-sign', lastName: 'smith' })).toBeNull();
  });
});

describe('term frequencies of a partial load', () => {
  const records: MatchInput[] = [
    { source: 's', attrs: { lastName: 'smith' } },
    { source: 's', attrs: { lastName: 'smith' } },
    { source: 's', attrs: { lastName: 'zyx' } },
  ];
  const settings = {
    ...settingsFor([['lastName']], 'dedupe_only'),
    comparisons: [comparisonSchema.parse({ attribute: 'lastName', method: 'exact', termFrequency: true })],
  };
  const tfOf = (plan: ReturnType<typeof buildMatchPlan>, value: string) => {
    const column = plan.data.columns.lastName!;
    return plan.data.features[0]!.tfLog2![column.ids[records.findIndex((r) => r.attrs.lastName === value)]!]!;
  };

  it('come from the loaded records by default', () => {
    expect(tfOf(buildMatchPlan(records, settings), 'smith')).toBeCloseTo(Math.log2(2 / 3), 10);
  });

  it('come from the whole population when the run says how common each value is', () => {
    const population = { smith: 10, zyx: 1 } as Record<string, number>;
    const plan = buildMatchPlan(records, settings, undefined, {
      population: (attribute, values) => ({ counts: values.map((v) => population[v]!), total: 1000 }),
    });
    expect(tfOf(plan, 'smith')).toBeCloseTo(Math.log2(10 / 1000), 10);
    expect(tfOf(plan, 'zyx')).toBeCloseTo(Math.log2(1 / 1000), 10);
  });
});
