import { describe, expect, it } from 'vitest';
import { acquisitionAccuracy } from '../../src/evaluate/acquisition-accuracy.js';
import type { ReconciliationItem } from '../../src/reconcile/types.js';

const item = (sourceId: string, status: ReconciliationItem['status'], goldenId: string | null = null): ReconciliationItem => ({
  itemNo: 0, sourceId, rowNumber: 0, status, goldenId, probability: null, candidates: [], duplicateOf: null, reason: null, attrs: {}, conflicts: [],
});

describe('acquisitionAccuracy', () => {
  it('counts a link to the wrong golden record, a missed customer and a false link as wrong, and ambiguity as not right', () => {
    const truth = [
      { sourceId: 'a', trueCustomerId: 'C1', inMaster: true, expected: 'matched' },
      { sourceId: 'b', trueCustomerId: 'C2', inMaster: true, expected: 'matched' },
      { sourceId: 'c', trueCustomerId: 'C3', inMaster: true, expected: 'matched' },
      { sourceId: 'd', trueCustomerId: 'A1', inMaster: false, expected: 'new' },
      { sourceId: 'e', trueCustomerId: 'A2', inMaster: false, expected: 'new' },
      { sourceId: 'f', trueCustomerId: 'C1', inMaster: true, expected: 'duplicate' },
      { sourceId: 'g', trueCustomerId: 'A3', inMaster: false, expected: 'new' },
      { sourceId: 'm', trueCustomerId: 'X', inMaster: false, expected: 'not_customer' },
    ];
    const items = [
      item('a', 'matched', 'G1'), item('b', 'matched', 'G1'), item('c', 'new'), item('d', 'new'), item('e', 'matched', 'G2'),
      item('f', 'duplicate', 'G1'), item('g', 'ambiguous'), item('m', 'not_customer'),
    ];
    const golden = new Map([['C1', new Set(['G1'])], ['C2', new Set(['G2'])], ['C3', new Set(['G3'])]]);
    const r = acquisitionAccuracy(truth, items, golden);
    expect(r).toMatchObject({ customers: 7, right: 3, ambiguous: 1, ours: { linkedRight: 2, linkedWrong: 1, calledNew: 1 }, theirs: { calledNew: 1, calledOurs: 1 } });
    expect(r.accuracy).toBeCloseTo(3 / 7);
    expect(r.wrong).toHaveLength(3);
  });
});
