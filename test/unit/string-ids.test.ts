import { describe, expect, it } from 'vitest';
import { StringIds } from '../../src/model/string-ids.js';
import { ColumnEncoder, valueOf } from '../../src/model/columns.js';

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

describe('StringIds.value', () => {
  it('gives back values of every length, either side of the short path and of the long path\'s slices', () => {
    const ids = new StringIds();
    const unit = 'aé東🦄';
    const lengths = [0, 1, 2, 254, 255, 256, 257, 258, 4_095, 4_096, 4_097, 9_000];
    const values = lengths.map((n) => unit.repeat(Math.ceil(n / unit.length) + 1).slice(0, n));
    values.forEach((v, i) => expect(ids.id(v)).toBe(i));
    values.forEach((v, i) => expect(ids.value(i)).toBe(v));
    // A long value read between short ones leaves no code units behind for the next.
    expect([ids.value(3), ids.value(11), ids.value(1), ids.value(5)]).toEqual([values[3], values[11], values[1], values[5]]);
  });
});

describe('StringIds.appended', () => {
  it('stores each value as a new id, repeats too, without making it one idOf finds', () => {
    const ids = new StringIds();
    const text = 'C-1|C-1|C-22';
    expect(ids.appended(text, 0, 3)).toBe(0);
    expect(ids.appended(text, 4, 7)).toBe(1);
    expect(ids.appended(text, 8, 12)).toBe(2);
    expect([ids.value(0), ids.value(1), ids.value(2)]).toEqual(['C-1', 'C-1', 'C-22']);
    expect(ids.id('C-1')).toBe(3);
    expect(ids.size).toBe(4);
  });
});

describe('ColumnEncoder, not numbered', () => {
  it('keeps every record\'s value, repeats and all, and marks empty ones missing', () => {
    const encoder = new ColumnEncoder(false);
    const values = ['B-7', 'B-7', '', null, 'C\u001f9', 'B-8'];
    values.forEach((v) => encoder.push(v));
    encoder.pushRange('xx|B-7|yy', 3, 6);
    const column = encoder.finish();
    expect([...column.ids]).toEqual([0, 1, -1, -1, 2, 3, 4]);
    expect(Array.from({ length: 7 }, (_, i) => valueOf(column, i))).toEqual(['B-7', 'B-7', null, null, 'C\u001f9', 'B-8', 'B-7']);
    expect([...column.counts]).toEqual([1, 1, 1, 1, 1]);
  });
});
