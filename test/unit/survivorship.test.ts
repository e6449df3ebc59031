import { describe, expect, it } from 'vitest';
import type { SurvivorshipRule } from '../../src/config/settings-schema.js';
import { best, tieBreak, type Candidate } from '../../src/survive/candidate.js';
import { applyRule, longest, mostFrequent, mostRecent, sourcePriority } from '../../src/survive/rules.js';
import { surviveCluster, type MemberRecord, type SurvivorshipPolicy } from '../../src/survive/survive-cluster.js';

let nextRecord = 0;
function candidate(value: string, source: string, options: Partial<Omit<Candidate, 'value' | 'source'>> = {}): Candidate {
  return { value, source, sourceId: options.sourceId ?? `${source}-${nextRecord}`, recordId: options.recordId ?? nextRecord++, updatedAt: options.updatedAt ?? null, trust: options.trust ?? 0.5 };
}

/** Every order of a list, to show that a rule's pick does not depend on input order. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const day = (iso: string) => Date.parse(iso);

describe('survivorship rules', () => {
  it.each<[string, SurvivorshipRule, Candidate[], string]>([
    ['sourcePriority: first source in the order that has a value', { rule: 'sourcePriority', order: ['erp', 'crm', 'shop'] },
      [candidate('shop@x.com', 'shop', { trust: 0.9 }), candidate('crm@x.com', 'crm', { sourceId: 'c1' }), candidate('crm2@x.com', 'crm', { sourceId: 'c2' })], 'crm@x.com'],
    ['sourcePriority: sources missing from the order come after it', { rule: 'sourcePriority', order: ['erp'] },
      [candidate('a', 'shop', { trust: 0.9 }), candidate('b', 'erp', { trust: 0.1 })], 'b'],
    ['sourcePriority: sources missing from the order fall back to trust', { rule: 'sourcePriority', order: ['erp'] },
      [candidate('a', 'shop', { trust: 0.4 }), candidate('b', 'crm', { trust: 0.8 })], 'b'],
    ['sourcePriority without order: the most trusted source', { rule: 'sourcePriority' },
      [candidate('low', 'crm', { trust: 0.2 }), candidate('high', 'shop', { trust: 0.9 }), candidate('mid', 'erp', { trust: 0.5 })], 'high'],
    ['mostRecent: the latest change', { rule: 'mostRecent' },
      [candidate('old', 'crm', { updatedAt: day('2020-01-01') }), candidate('new', 'shop', { updatedAt: day('2023-05-01') }), candidate('mid', 'erp', { updatedAt: day('2021-01-01') })], 'new'],
    ['mostRecent: records without a change time come last', { rule: 'mostRecent' },
      [candidate('undated', 'crm', { trust: 1 }), candidate('dated', 'shop', { updatedAt: 0 })], 'dated'],
    ['mostRecent: none dated falls to the tie-break', { rule: 'mostRecent' },
      [candidate('a', 'crm', { trust: 0.3 }), candidate('b', 'shop', { trust: 0.7 })], 'b'],
    ['mostFrequent: the value most records agree on', { rule: 'mostFrequent' },
      [candidate('smith', 'crm', { trust: 0.9 }), candidate('smyth', 'shop'), candidate('smyth', 'erp')], 'smyth'],
    ['longest: the most complete value', { rule: 'longest' },
      [candidate('12 main st', 'crm', { trust: 0.9 }), candidate('12 main st unit 4', 'shop', { trust: 0.1 }), candidate('12 main', 'erp')], '12 main st unit 4'],
    ['min: the earliest date', { rule: 'min' },
      [candidate('1980-05-01', 'crm', { trust: 0.9 }), candidate('1979-12-31', 'shop'), candidate('1981-01-01', 'erp')], '1979-12-31'],
    ['min: numbers by value, not as text', { rule: 'min' }, [candidate('10', 'crm'), candidate('9', 'shop')], '9'],
    ['max: numbers by value, not as text', { rule: 'max' }, [candidate('9', 'crm', { trust: 0.9 }), candidate('10', 'shop')], '10'],
    ['max: the latest date', { rule: 'max' }, [candidate('2001-02-03', 'crm'), candidate('2011-02-03', 'shop')], '2011-02-03'],
    ['aggregate: the most trusted value leads', { rule: 'aggregate' },
      [candidate('a@x.com', 'shop', { trust: 0.4 }), candidate('b@y.com', 'crm', { trust: 0.8 }), candidate('a@x.com', 'erp', { trust: 0.4 })], 'b@y.com'],
    ['trustDecay: three years newer beats more trust with a one-year half-life', { rule: 'trustDecay', halfLifeDays: 365 },
      [candidate('old', 'crm', { trust: 0.9, updatedAt: day('2020-01-01') }), candidate('new', 'shop', { trust: 0.5, updatedAt: day('2023-01-01') })], 'new'],
    ['trustDecay: with a ten-year half-life, trust still wins', { rule: 'trustDecay', halfLifeDays: 3650 },
      [candidate('old', 'crm', { trust: 0.9, updatedAt: day('2020-01-01') }), candidate('new', 'shop', { trust: 0.5, updatedAt: day('2023-01-01') })], 'old'],
    ['trustDecay: same age, the more trusted source', { rule: 'trustDecay', halfLifeDays: 30 },
      [candidate('low', 'crm', { trust: 0.3, updatedAt: day('2024-01-01') }), candidate('high', 'shop', { trust: 0.7, updatedAt: day('2024-01-01') })], 'high'],
    ['trustDecay: undated records come last', { rule: 'trustDecay', halfLifeDays: 30 },
      [candidate('undated', 'crm', { trust: 1 }), candidate('dated', 'shop', { trust: 0.1, updatedAt: day('1990-01-01') })], 'dated'],
  ])('%s', (_label, rule, candidates, expected) => {
    for (const order of permutations(candidates)) {
      expect(applyRule(rule, order)?.value).toBe(expected);
    }
  });

  it.each<[string, SurvivorshipRule]>([
    ['sourcePriority', { rule: 'sourcePriority' }],
    ['sourcePriority with order', { rule: 'sourcePriority', order: ['crm'] }],
    ['mostRecent', { rule: 'mostRecent' }],
    ['mostFrequent', { rule: 'mostFrequent' }],
    ['longest', { rule: 'longest' }],
    ['aggregate', { rule: 'aggregate' }],
    ['min', { rule: 'min' }],
    ['max', { rule: 'max' }],
    ['trustDecay', { rule: 'trustDecay', halfLifeDays: 7 }],
  ])('%s: no candidates → null', (_label, rule) => {
    expect(applyRule(rule, [])).toBeNull();
  });

  it('exports each rule as a function', () => {
    const a = candidate('aaa', 'crm', { updatedAt: 2, trust: 0.1 });
    const b = candidate('b', 'shop', { updatedAt: 1, trust: 0.9 });
    expect(sourcePriority([a, b])).toBe(b);
    expect(sourcePriority([a, b], ['crm'])).toBe(a);
    expect(mostRecent([b, a])).toBe(a);
    expect(mostFrequent([a, b])).toBe(b);
    expect(longest([b, a])).toBe(a);
  });
});

describe('tie-break', () => {
  const sameValue: Array<[string, Candidate[], { source: string; sourceId: string }]> = [
    ['higher trust wins', [candidate('x', 'zeta', { trust: 0.9, sourceId: '9' }), candidate('x', 'alpha', { trust: 0.5, sourceId: '1' })], { source: 'zeta', sourceId: '9' }],
    ['then the source name', [candidate('x', 'shop', { sourceId: '1' }), candidate('x', 'crm', { sourceId: '9' })], { source: 'crm', sourceId: '9' }],
    ['then the source id', [candidate('x', 'crm', { sourceId: 'B-2' }), candidate('x', 'crm', { sourceId: 'A-7' })], { source: 'crm', sourceId: 'A-7' }],
  ];

  it.each(sameValue)('%s, for every rule and input order', (_label, candidates, expected) => {
    const rules: SurvivorshipRule[] = [
      { rule: 'sourcePriority' }, { rule: 'mostRecent' }, { rule: 'mostFrequent' }, { rule: 'longest' },
      { rule: 'aggregate' }, { rule: 'min' }, { rule: 'max' }, { rule: 'trustDecay', halfLifeDays: 30 },
    ];
    for (const rule of rules) {
      for (const order of permutations(candidates)) {
        const winner = applyRule(rule, order)!;
        expect({ rule: rule.rule, source: winner.source, sourceId: winner.sourceId }).toEqual({ rule: rule.rule, ...expected });
      }
    }
  });

  it('breaks a frequency tie by trust, not by which value came first', () => {
    const candidates = [candidate('a', 'crm', { trust: 0.2 }), candidate('a', 'crm', { trust: 0.2 }), candidate('b', 'shop', { trust: 0.8 }), candidate('b', 'erp', { trust: 0.3 })];
    for (const order of permutations(candidates)) expect(mostFrequent(order)?.value).toBe('b');
  });

  it('breaks a full tie on record id', () => {
    const a = candidate('x', 'crm', { sourceId: '1', recordId: 5 });
    const b = candidate('x', 'crm', { sourceId: '1', recordId: 3 });
    expect(tieBreak(a, b)).toBeGreaterThan(0);
    expect(best([a, b], () => 0)).toBe(b);
    expect(best([b, a], () => 0)).toBe(b);
  });
});

describe('surviveCluster', () => {
  const members: MemberRecord[] = [
    { recordId: 1, source: 'crm', sourceId: 'C1', updatedAt: day('2022-01-01'), attrs: { firstName: 'ann', lastName: 'smith', email: null, phone: '+61412345678', city: '' } },
    { recordId: 2, source: 'shop', sourceId: 'S7', updatedAt: day('2024-03-01'), attrs: { firstName: 'anne', lastName: 'smyth', email: 'ann@x.com', phone: '+61412345678' } },
    { recordId: 3, source: 'erp', sourceId: 'E3', updatedAt: null, attrs: { firstName: 'anne', lastName: 'smith', email: 'a.smith@work.com', phone: null } },
  ];
  const policy: SurvivorshipPolicy = {
    attributes: ['firstName', 'lastName', 'email', 'phone', 'city'],
    defaultRule: { rule: 'mostFrequent' },
    rules: { email: { rule: 'mostRecent' }, lastName: { rule: 'sourcePriority', order: ['shop'] } },
    trust: { crm: 0.9, shop: 0.6 }, // erp takes the default 0.5
  };

  it('picks each attribute by its rule and keeps lineage', () => {
    expect(surviveCluster(members, policy)).toEqual({
      attrs: { firstName: 'anne', lastName: 'smyth', email: 'ann@x.com', phone: '+61412345678', city: null },
      lineage: {
        // mostFrequent: "anne" twice; shop (0.6) is trusted above erp (0.5).
        firstName: { source: 'shop', sourceId: 'S7', rule: 'mostFrequent', updatedAt: '2024-03-01T00:00:00.000Z', candidates: 3 },
        lastName: { source: 'shop', sourceId: 'S7', rule: 'sourcePriority', updatedAt: '2024-03-01T00:00:00.000Z', candidates: 3 },
        // The missing crm email is skipped, not counted.
        email: { source: 'shop', sourceId: 'S7', rule: 'mostRecent', updatedAt: '2024-03-01T00:00:00.000Z', candidates: 2 },
        // Equal values: crm wins on trust.
        phone: { source: 'crm', sourceId: 'C1', rule: 'mostFrequent', updatedAt: '2022-01-01T00:00:00.000Z', candidates: 2 },
      },
    });
  });

  it('does not depend on member order', () => {
    const expected = surviveCluster(members, policy);
    for (const order of permutations(members)) expect(surviveCluster(order, policy)).toEqual(expected);
  });

  it('gives unknown sources trust 0.5', () => {
    const two: MemberRecord[] = [
      { recordId: 1, source: 'legacy', sourceId: 'L1', updatedAt: null, attrs: { city: 'perth' } },
      { recordId: 2, source: 'crm', sourceId: 'C1', updatedAt: null, attrs: { city: 'sydney' } },
    ];
    const trusted = surviveCluster(two, { attributes: ['city'], defaultRule: { rule: 'sourcePriority' }, rules: {}, trust: { crm: 0.4 } });
    expect(trusted.lineage.city).toEqual({ source: 'legacy', sourceId: 'L1', rule: 'sourcePriority', updatedAt: null, candidates: 2 });
    const distrusted = surviveCluster(two, { attributes: ['city'], defaultRule: { rule: 'sourcePriority' }, rules: {}, trust: { crm: 0.6 } });
    expect(distrusted.attrs.city).toBe('sydney');
  });

  it('aggregate keeps every distinct value with the records holding it, the chosen one first', () => {
    const out = surviveCluster(members, { ...policy, attributes: ['firstName', 'email'], defaultRule: { rule: 'aggregate' }, rules: {} });
    expect(out.attrs).toEqual({ firstName: 'ann', email: 'ann@x.com' });
    expect(out.lineage.firstName).toEqual({
      source: 'crm', sourceId: 'C1', rule: 'aggregate', updatedAt: '2022-01-01T00:00:00.000Z', candidates: 3,
      values: [{ value: 'ann', sources: ['crm:C1'] }, { value: 'anne', sources: ['shop:S7', 'erp:E3'] }],
    });
    expect(out.lineage.email!.values).toEqual([{ value: 'ann@x.com', sources: ['shop:S7'] }, { value: 'a.smith@work.com', sources: ['erp:E3'] }]);
  });

  it('trusts a source per attribute where settings say so', () => {
    const byAttribute: SurvivorshipPolicy = {
      ...policy, attributes: ['firstName', 'email'], defaultRule: { rule: 'sourcePriority' }, rules: {},
      attributeTrust: { erp: { email: 0.95 } },
    };
    // crm (0.9) for names, erp (0.5, but 0.95 for email) for email.
    expect(surviveCluster(members, byAttribute).attrs).toEqual({ firstName: 'ann', email: 'a.smith@work.com' });
    expect(surviveCluster(members, { ...byAttribute, attributeTrust: {} }).attrs.email).toBe('ann@x.com');
  });

  it('survives a record alone as a cluster in which no other member offers a value, key for key in the same order', () => {
    // A second member with no values takes the general path and changes no pick, count or lineage.
    const rules: SurvivorshipRule[] = [{ rule: 'mostRecent' }, { rule: 'mostFrequent' }, { rule: 'aggregate' }, { rule: 'sourcePriority', order: ['erp'] }, { rule: 'trustDecay', halfLifeDays: 30 }];
    for (const rule of rules) {
      const single: SurvivorshipPolicy = { ...policy, attributes: ['phone', 'email', 'firstName', 'city', 'postcode'], rules: { email: rule, firstName: { rule: 'aggregate' } } };
      for (const member of members) {
        const blank: MemberRecord = { recordId: 99, source: 'zz', sourceId: 'Z9', updatedAt: day('2030-01-01'), attrs: {} };
        const alone = surviveCluster([member], single);
        expect(JSON.stringify(alone)).toBe(JSON.stringify(surviveCluster([member, blank], single)));
        expect(Object.keys(alone.attrs)).toEqual(['city', 'email', 'firstName', 'phone', 'postcode']);
      }
    }
    expect(surviveCluster([members[0]!], { ...policy, rules: { firstName: { rule: 'aggregate' } } }).lineage.firstName).toEqual({
      source: 'crm', sourceId: 'C1', rule: 'aggregate', updatedAt: '2022-01-01T00:00:00.000Z', candidates: 1, values: [{ value: 'ann', sources: ['crm:C1'] }],
    });
  });

  it('leaves an attribute nobody has as null without lineage', () => {
    const out = surviveCluster(members, { ...policy, attributes: ['postcode'] });
    expect(out).toEqual({ attrs: { postcode: null }, lineage: {} });
  });
});
