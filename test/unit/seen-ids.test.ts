import { describe, expect, it } from 'vitest';
import { SeenIds } from '../../src/pipeline/seen-ids.js';

/** What SeenIds must answer, from a plain map of every id read. */
function expected(ids: ReadonlyArray<string>): { firstRows: Array<number | undefined>; all: string[] } {
  const map = new Map<string, number>();
  const firstRows = ids.map((id, row) => {
    const first = map.get(id);
    if (first === undefined) map.set(id, row);
    return first;
  });
  return { firstRows, all: [...map.keys()] };
}

function answers(ids: ReadonlyArray<string>): { firstRows: Array<number | undefined>; all: string[] } {
  const seen = new SeenIds();
  return { firstRows: ids.map((id, row) => seen.firstRow(id, row)), all: seen.all() };
}

describe('the ids a pull has read', () => {
  it('takes ids in order as new, and lists them in the order read', () => {
    const ids = ['A-1', 'A-2', 'A-3', 'B', 'b', 'ba'];
    expect(answers(ids)).toEqual({ firstRows: ids.map(() => undefined), all: ids });
  });

  it('names the first row of an id repeated right after itself, before the order breaks', () => {
    expect(answers(['a', 'b', 'b', 'c']).firstRows).toEqual([undefined, undefined, 1, undefined]);
  });

  it('after the first id out of order, still finds repeats of ids read before and after it', () => {
    const ids = ['r1', 'r2', 'r5', 'r3', 'r2', 'r4', 'r3', 'r9', 'r1', 'r9'];
    expect(answers(ids)).toEqual(expected(ids));
    expect(answers(ids).firstRows).toEqual([undefined, undefined, undefined, undefined, 1, undefined, 3, undefined, 0, 7]);
  });

  it('answers as a map of every id would, for random ids in runs of order and out of it', () => {
    let state = 7;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 50; trial++) {
      const ids: string[] = [];
      let next = 0;
      for (let i = 0; i < 400; i++) {
        const r = random();
        // Mostly in order (zero-padded, so code-unit order is number order), some repeats, some jumps back.
        if (r < 0.8) next += 1 + Math.floor(random() * 3);
        else if (r < 0.9) next = Math.max(0, next - Math.floor(random() * 20));
        ids.push(`ID${String(next).padStart(6, '0')}`);
      }
      expect(answers(ids), `trial ${trial}`).toEqual(expected(ids));
    }
  });
});
