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
    expect(Array.from({ length: ids.size }, (_, i) => ids.value(i))).toEqual([...reference.keys()]);
  });

  it('tells apart strings whose hashes collide, and the empty string from the rest', () => {
    // FNV-1a collisions are rare; crowd the table with thousands of long keys sharing a prefix, through its growths.
    const ids = new StringIds();
    const values = ['', 'a', 'b', 'ab', 'ba', ...Array.from({ length: 3_000 }, (_, i) => `${'x'.repeat(40)}${i}`)];
    values.forEach((v, i) => expect(ids.id(v)).toBe(i));
    values.forEach((v, i) => expect(ids.id(v)).toBe(i));
    expect(ids.size).toBe(values.length);
    values.forEach((v, i) => expect(ids.value(i)).toBe(v));
  });
});

describe('StringIds.idOf', () => {
  it('numbers a range of a longer text as the string it spans, without telling the two apart', () => {
    const ids = new StringIds();
    const text = '0:smith\u001e1:sm\u001e2:smith';
    expect(ids.idOf(text, 2, 7)).toBe(0);
    expect(ids.id('smith')).toBe(0);
    expect(ids.idOf(text, 10, 12)).toBe(1);
    expect(ids.idOf(text, text.length - 5, text.length)).toBe(0);
    // A range that is a prefix of a known string is a string of its own.
    expect(ids.idOf('smithson', 0, 7)).toBe(2);
    expect(ids.value(2)).toBe('smithso');
    expect(ids.idOf(text, 3, 3)).toBe(3);
    expect(ids.value(3)).toBe('');
  });
});
