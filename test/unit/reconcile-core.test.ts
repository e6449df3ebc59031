import { describe, expect, it } from 'vitest';
import { attributeConflicts, nicknameEquivalence } from '../../src/reconcile/conflicts.js';
import { parseNicknames } from '../../src/standardize/nicknames.js';
import { attributeCoverage } from '../../src/reconcile/coverage.js';
import { linkAcquired } from '../../src/reconcile/link-acquired.js';

const links = (toGolden: Array<Record<string, number>>, within: Array<[number, number, number]> = []) =>
  linkAcquired({ count: toGolden.length, toGolden: toGolden.map((m) => new Map(Object.entries(m))), within, match: 0.9, review: 0.5 });

describe('linkAcquired', () => {
  it('matches a record with one golden record at the match threshold, listing the runner-up', () => {
    const [d] = links([{ G1: 0.99, G2: 0.6 }]);
    expect(d).toEqual({ status: 'matched', goldenId: 'G1', probability: 0.99, candidates: [{ goldenId: 'G1', probability: 0.99 }, { goldenId: 'G2', probability: 0.6 }], duplicateOf: null });
  });

  it('calls a record ambiguous when two golden records reach the match threshold', () => {
    const [d] = links([{ G2: 0.95, G1: 0.97 }]);
    expect(d!.status).toBe('ambiguous');
    expect(d!.candidates.map((c) => c.goldenId)).toEqual(['G1', 'G2']);
  });

  it('calls a record ambiguous when only a possible match exists, and new when nothing is plausible', () => {
    const [a, b] = links([{ G1: 0.7 }, { G1: 0.3 }]);
    expect(a!.status).toBe('ambiguous');
    expect(b).toEqual({ status: 'new', goldenId: null, probability: null, candidates: [], duplicateOf: null });
  });

  it('groups acquired records that match each other: the first speaks for the group, the others are duplicates', () => {
    const d = links([{}, { G7: 0.98 }, {}, {}], [[0, 1, 0.99], [2, 3, 0.95]]);
    expect(d[0]).toMatchObject({ status: 'matched', goldenId: 'G7' });
    expect(d[1]).toEqual({ status: 'duplicate', goldenId: 'G7', probability: 0.99, candidates: [], duplicateOf: 0 });
    expect(d[2]!.status).toBe('new');
    expect(d[3]).toMatchObject({ status: 'duplicate', goldenId: null, duplicateOf: 2 });
  });

  it('calls a group ambiguous when its members match different golden records', () => {
    const d = links([{ G1: 0.99 }, { G2: 0.99 }], [[0, 1, 0.93]]);
    expect(d[0]!.status).toBe('ambiguous');
    expect(d[1]).toMatchObject({ status: 'duplicate', goldenId: null });
  });
});

describe('attributeConflicts', () => {
  const ours = {
    attrs: { email: 'a@x.com', phone: '+15551234567', city: 'springfield', lastName: 'smith' },
    lineage: { email: { updatedAt: '2025-01-01T00:00:00.000Z' }, phone: { updatedAt: null } },
  };
  it('reports each attribute both sides hold with different values, and which is newer', () => {
    const c = attributeConflicts({ email: 'b@y.com', phone: '+15559999999', city: 'springfield', lastName: null }, '2026-06-01T00:00:00.000Z', ours, ['email', 'phone', 'city', 'lastName']);
    expect(c).toEqual([
      { attribute: 'email', ours: 'a@x.com', theirs: 'b@y.com', oursUpdatedAt: '2025-01-01T00:00:00.000Z', theirsUpdatedAt: '2026-06-01T00:00:00.000Z', newer: 'theirs' },
      { attribute: 'phone', ours: '+15551234567', theirs: '+15559999999', oursUpdatedAt: null, theirsUpdatedAt: '2026-06-01T00:00:00.000Z', newer: 'unknown' },
    ]);
  });
  it('does not call a nickname and its name a conflict', () => {
    const table = parseNicknames('name1,relationship,name2\nrobert,has_nickname,bob\n');
    const same = nicknameEquivalence(table, new Set(['firstName']));
    const golden = { attrs: { firstName: 'robert', lastName: 'bob' }, lineage: {} };
    expect(attributeConflicts({ firstName: 'bob', lastName: 'robert' }, null, golden, ['firstName', 'lastName'], same).map((c) => c.attribute)).toEqual(['lastName']);
    expect(attributeConflicts({ firstName: 'rupert' }, null, golden, ['firstName'], same)).toHaveLength(1);
  });

  it('compares only the attributes asked for', () => {
    expect(attributeConflicts({ email: 'b@y.com' }, null, ours, ['phone'])).toEqual([]);
  });
});

describe('attributeCoverage', () => {
  it('counts filled and invalid values and judges each attribute', () => {
    const records = [
      { attrs: { email: 'a@x.com', phone: null }, invalid: new Set(['phone']) },
      { attrs: { email: 'b@x.com', phone: null }, invalid: new Set<string>() },
      { attrs: { email: null, phone: '+1555' }, invalid: new Set<string>() },
      { attrs: { email: 'c@x.com', phone: null }, invalid: new Set<string>() },
    ];
    const c = attributeCoverage(['email', 'phone', 'birthDate'], new Set(['email', 'phone']), records, { email: 1, phone: 0.3, birthDate: 0.9 });
    expect(c).toEqual([
      { attribute: 'email', mapped: true, filled: 3, records: 4, invalid: 0, fillRate: 0.75, masterFillRate: 1, verdict: 'good' },
      { attribute: 'phone', mapped: true, filled: 1, records: 4, invalid: 1, fillRate: 0.25, masterFillRate: 0.3, verdict: 'poor' },
      { attribute: 'birthDate', mapped: false, filled: 0, records: 4, invalid: 0, fillRate: 0, masterFillRate: 0.9, verdict: 'missing' },
    ]);
    // Two of three filled is over half, but more than 25 points below a master that always has it.
    expect(attributeCoverage(['email'], new Set(['email']), records.slice(1), { email: 1 })[0]).toMatchObject({ fillRate: 2 / 3, verdict: 'poor' });
    expect(attributeCoverage(['email'], new Set(['email']), records.slice(1), { email: 0.9 })[0]!.verdict).toBe('good');
  });
});
