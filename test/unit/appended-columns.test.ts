import { describe, expect, it } from 'vitest';
import { KeyTexts } from '../../src/block/key-texts.js';
import { KeyThread } from '../../src/block/key-thread.js';
import { KeyEncoder, type NumberedKeys } from '../../src/block/plan-blocks.js';
import { ColumnEncoder, ColumnsBuilder, type RecordColumns, type StringColumn } from '../../src/model/columns.js';

/**
 * A load read in two halves (split-load.ts) appends the later half's columns and keys,
 * numbered on another thread, to the first half's: the result must be the one reading every
 * record in order gives, ids in order of first sight over all of them.
 */

/** Values with repeats across the halves, missing ones, accents, emoji and one over the short path's length. */
function values(n: number, seed: number): Array<string | null> {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    if (s % 7 === 0) return null;
    if (s % 97 === 0) return `long ${'é'.repeat(300)}${s % 3}`;
    return `v${s % 40}${'ü🦄'.slice(0, s % 3)}`;
  });
}

function plainColumn(c: StringColumn) {
  return { ids: [...c.ids], codes: [...c.codes], offsets: [...c.offsets], counts: [...c.counts], maxLength: c.maxLength };
}

function plainColumns(c: RecordColumns) {
  return { size: c.size, source: [...c.source], sources: c.sources, columns: Object.fromEntries(Object.entries(c.columns).map(([a, col]) => [a, plainColumn(col)])) };
}

function plainKeys(k: NumberedKeys) {
  return { ids: [...k.ids], sizes: [...k.sizes], names: Array.from(k.sizes, (_, id) => k.name(id)) };
}

describe('ColumnEncoder.pushColumn', () => {
  for (const numbered of [true, false]) {
    it(`appends a column encoded apart as if its values were pushed one by one (${numbered ? 'numbered' : 'not numbered'})`, () => {
      const first = values(500, 3);
      const later = values(700, 11);
      const whole = new ColumnEncoder(numbered);
      for (const v of [...first, ...later]) whole.push(v);
      const apart = new ColumnEncoder(numbered);
      for (const v of later) apart.push(v);
      const joined = new ColumnEncoder(numbered);
      for (const v of first) joined.push(v);
      joined.pushColumn(apart.finish());
      expect(plainColumn(joined.finish())).toEqual(plainColumn(whole.finish()));
    });
  }
});

describe('ColumnsBuilder.addColumns', () => {
  it('appends records built apart, their sources numbered in order of first sight over both', () => {
    const attributes = ['a', 'b'];
    const a = values(300, 5);
    const b = values(300, 9);
    // The later half meets "shop" first and brings a source the first half never saw.
    const source = (i: number) => (i < 300 ? (i % 3 === 0 ? 'crm' : 'billing') : i % 4 === 0 ? 'crm' : i % 4 === 1 ? 'web' : 'shop');
    const whole = new ColumnsBuilder(attributes);
    const first = new ColumnsBuilder(attributes);
    const later = new ColumnsBuilder(attributes);
    for (let i = 0; i < 600; i++) {
      const row = [a[i % 300]!, b[(i * 7) % 300]!];
      whole.add(source(i), row);
      (i < 300 ? first : later).add(source(i), row);
    }
    first.addColumns(later.finish());
    const joined = plainColumns(first.finish());
    expect(joined).toEqual(plainColumns(whole.finish()));
    expect(joined.sources).toEqual(['crm', 'billing', 'web', 'shop']);
  });
});

describe('keys numbered apart', () => {
  it('KeyEncoder.pushKeys appends them as if each record\'s key was pushed, sizes summed', () => {
    const first = values(400, 2);
    const later = values(400, 13);
    const whole = new KeyEncoder();
    for (const k of [...first, ...later]) whole.push(k);
    const apart = new KeyEncoder();
    for (const k of later) apart.push(k);
    const joined = new KeyEncoder();
    for (const k of first) joined.push(k);
    joined.pushKeys(apart.portable());
    expect(plainKeys(joined.finish())).toEqual(plainKeys(whole.finish()));
  });

  it('a KeyThread takes them after its own texts, leaving skipped rules empty', async () => {
    const SEP = '\u001e';
    const options = { ruleCount: 3, separator: SEP, skip: [false, true, false] };
    const texts = values(600, 17).map((v, i) => (v === null ? '' : `0:${v}${SEP}1:x${i}${SEP}2:${i % 5}`));
    const whole = new KeyTexts(options);
    for (const t of texts) whole.add(t);
    const later = new KeyTexts(options);
    for (const t of texts.slice(250)) later.add(t);
    const thread = new KeyThread(options);
    for (const t of texts.slice(0, 250)) thread.add(t);
    thread.addNumbered(later.portable());
    const joined = (await thread.finish()).map(plainKeys);
    expect(joined).toEqual(whole.finish().map(plainKeys));
    expect(joined[1]!.ids).toEqual([]);
    expect(joined[0]!.ids).toHaveLength(600);
  });
});
