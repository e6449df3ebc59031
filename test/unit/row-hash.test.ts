import { describe, expect, it } from 'vitest';
import { contentHash, toJson } from '../../src/pipeline/row-hash.js';

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
});
