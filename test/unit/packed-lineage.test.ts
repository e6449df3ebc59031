import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/pipeline/row-hash.js';
import { packLineage, unpackLineage } from '../../src/survive/packed-lineage.js';
import { surviveCluster, type Lineage, type MemberRecord, type SurvivorshipPolicy } from '../../src/survive/survive-cluster.js';

const policy: SurvivorshipPolicy = {
  attributes: ['firstName', 'lastName', 'email', 'city', 'birthDate', 'phone'],
  defaultRule: { rule: 'mostRecent' },
  rules: { email: { rule: 'aggregate' }, firstName: { rule: 'mostFrequent' }, birthDate: { rule: 'sourcePriority' } },
  trust: { crm: 0.9, shop: 0.5, billing: 0.7 },
};

const members: MemberRecord[] = [
  { recordId: 1, source: 'crm', sourceId: 'C1', updatedAt: Date.parse('2024-01-02T03:04:05Z'), attrs: { firstName: 'ann', lastName: 'lee', email: 'a@x.io', city: null, birthDate: '1980-02-03' } },
  { recordId: 7, source: 'shop', sourceId: 'S7', updatedAt: null, attrs: { firstName: 'anne', lastName: 'lee', email: 'ann@y.io', city: 'york', birthDate: null, phone: '+441234' } },
  { recordId: 9, source: 'billing', sourceId: 'B9', updatedAt: Date.parse('2025-06-01T00:00:00Z'), attrs: { firstName: 'ann', lastName: null, email: 'a@x.io', city: 'leeds', birthDate: '1980-03-02' } },
];

describe('packed lineage', () => {
  const lineage = surviveCluster(members, policy).lineage;

  it('gives back the expanded lineage, key for key and in the same order, so the content hash is unchanged', () => {
    const stored = JSON.parse(JSON.stringify(packLineage(lineage)));
    const back = unpackLineage(stored);
    expect(back).toEqual(lineage);
    expect(JSON.stringify(back)).toBe(JSON.stringify(lineage));
    expect(contentHash({ attrs: {}, lineage: back })).toBe(contentHash({ attrs: {}, lineage }));
    // aggregate's values travel whole, and a record without a change time keeps its null.
    expect(back.email!.values).toEqual(lineage.email!.values);
    expect(Object.values(back).some((e) => e.updatedAt === null)).toBe(true);
  });

  it('keeps each source record and rule once, however many attributes point at them', () => {
    const [records, rules, picks] = packLineage(lineage);
    const distinct = new Set(Object.values(lineage).map((e) => `${e.source}|${e.sourceId}|${e.updatedAt}`));
    expect(records).toHaveLength(distinct.size);
    expect(rules.sort()).toEqual([...new Set(Object.values(lineage).map((e) => e.rule))].sort());
    expect(Object.keys(picks)).toEqual(Object.keys(lineage));
    expect(JSON.stringify(packLineage(lineage)).length).toBeLessThan(JSON.stringify(lineage).length);
  });

  it('reads lineage stored expanded, before packing, as it is', () => {
    const old: Lineage = JSON.parse(JSON.stringify(lineage));
    expect(unpackLineage(old)).toEqual(lineage);
    expect(unpackLineage(null)).toEqual({});
  });

  it('tells apart records that share a source and id but not a change time', () => {
    const same = { candidates: 1, rule: 'mostRecent' as const, source: 'crm', sourceId: 'C1' };
    const two: Lineage = { a: { ...same, updatedAt: '2024-01-01T00:00:00.000Z' }, b: { ...same, updatedAt: null } };
    expect(packLineage(two)[0]).toHaveLength(2);
    expect(unpackLineage(packLineage(two))).toEqual(two);
  });
});
