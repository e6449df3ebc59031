import { describe, expect, it } from 'vitest';
import { StringIds } from '../../src/model/string-ids.js';

describe('StringIds', () => {
  it('numbers distinct strings in order of first sight, as a Map would, through many growths', () => {
    const ids = new StringIds();
    const reference = new Map<string, number>();
    let seed = 7;
    for (let i = 0; i < 50_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      const value = `k${seed % 20_000}|${'é東🦄'.slice(0, seed % 4)}`;
      if (!reference.has(value)) reference.set(value, reference.size);
      expect(ids.id(value)).toBe(reference.get(value));
    }
    expect(ids.size).toBe(reference.size);
    expect(ids.values).toEqual([...reference.keys()]);
  });

  it('tells apart strings whose hashes collide, and the empty string from the rest', () => {
    // FNV-1a collisions are rare; crowd the table with thousands of long keys sharing a prefix, through its growths.
    const ids = new StringIds();
    const values = ['', 'a', 'b', 'ab', 'ba', ...Array.from({ length: 3_000 }, (_, i) => `${'x'.repeat(40)}${i}`)];
    values.forEach((v, i) => expect(ids.id(v)).toBe(i));
    values.forEach((v, i) => expect(ids.id(v)).toBe(i));
    expect(ids.size).toBe(values.length);
  });
});
