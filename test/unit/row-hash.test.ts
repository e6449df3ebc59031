import { describe, expect, it } from 'vitest';
import { contentHash, hashedRow, toJson } from '../../src/pipeline/row-hash.js';

describe('row JSON and hashes', () => {
  it('writes bigints (rows read from a database) as text, dates as ISO text, the rest as JSON', () => {
    expect(toJson({ id: 12345678901234567890n, name: 'Ann', at: new Date(0), n: 2, nested: [1n, null] }))
      .toBe('{"id":"12345678901234567890","name":"Ann","at":"1970-01-01T00:00:00.000Z","n":2,"nested":["1",null]}');
    expect(toJson({ name: 'Ann' })).toBe('{"name":"Ann"}');
  });

  it('still refuses what JSON cannot hold', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => toJson(loop)).toThrow(TypeError);
  });

  it('hashes content independently of key order', () => {
    expect(contentHash({ a: '1', b: { c: 2, d: null } })).toBe(contentHash({ b: { d: null, c: 2 }, a: '1' }));
    expect(contentHash({ a: '1' })).not.toBe(contentHash({ a: '2' }));
  });

  it('gives a row the hash contentHash gives it, and JSON that holds the same row', () => {
    const rows: Array<Record<string, unknown>> = [
      { id: 'C-1', name: 'Zoë', city: '東京', '10': 'ten', '2': 'two', b: null, n: 3.5, ok: true, quote: 'say "hi"\n\ttab' },
      { z: '', a: 'x', emoji: '🦄' },
      // Not flat: nested values, dates, bigints and undefined take the general path.
      { id: 7n, at: new Date(0), nested: { y: 1, x: [2, { b: 1, a: 2 }] } },
      { id: '1', missing: undefined },
      {},
    ];
    for (const row of rows) {
      const { json, hash } = hashedRow(row);
      expect(hash).toBe(contentHash(row));
      expect(JSON.parse(json)).toEqual(JSON.parse(toJson(row)));
    }
    // JSON lines and API rows: nested, but only what JSON.parse makes. Their JSON is the canonical text.
    const nested = JSON.parse('{"name":{"last":"Ng","first":"Ann"},"tags":["b",1,null,true,{"z":0,"y":[]}],"n":-0.5,"e":{}}') as Record<string, unknown>;
    expect(hashedRow(nested)).toEqual({
      json: '{"e":{},"n":-0.5,"name":{"first":"Ann","last":"Ng"},"tags":["b",1,null,true,{"y":[],"z":0}]}',
      hash: contentHash(nested),
    });
    // Not what JSON.parse makes: a hole, a non-finite number, an instance. The general path, as before.
    // eslint-disable-next-line no-sparse-arrays
    for (const row of [{ a: { list: [1, , 2] } }, { a: { n: Number.NaN } }, { a: { at: new Date(0) } }, { a: { m: new Map() } }]) {
      expect(hashedRow(row)).toEqual({ json: toJson(row), hash: contentHash(row) });
    }
    // Rows of one source in turn, then another shape, then the first again: no stale key list.
    // Keys already in sorted order (as the CSV connector makes rows) take the list-free way; integer-like
    // keys, which objects enumerate first in numeric order, do not, and come out as sorted text all the same.
    const shapes: Array<Record<string, unknown>> = [
      { b: '1', a: '2' }, { a: '4', b: '3' }, { c: '5', a: '6' }, { a: '9', b: null, c: 'x' }, { b: '7', a: '8' },
      { '10': 'ten', '2': 'two', a: 'x' }, { a: '3', b: '4' },
    ];
    for (const row of shapes) expect(hashedRow(row)).toEqual({ json: JSON.stringify(row, Object.keys(row).sort()), hash: contentHash(row) });
    expect(hashedRow({ b: '1', a: '2' }).json).toBe('{"a":"2","b":"1"}');
  });
});
