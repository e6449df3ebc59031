import { describe, expect, it } from 'vitest';
import { asInstant, compareWatermarks, maxWatermark, normaliseWatermark, watermarkOf } from '../../src/connectors/watermark.js';

const sign = (n: number) => Math.sign(n);

describe('compareWatermarks', () => {
  it.each<[string, string, number]>([
    // the same instant written with different offsets
    ['2024-01-01T10:00:00+02:00', '2024-01-01T08:00:00Z', 0],
    ['2024-01-01T08:00:00.000Z', '2024-01-01T08:00:00Z', 0],
    ['2024-03-10T23:30:00-05:00', '2024-03-11T04:30:00Z', 0],
    // as text the first is larger, as instants it is earlier
    ['2024-01-01T10:00:00+02:00', '2024-01-01T09:00:00Z', -1],
    ['2024-01-01T09:00:00Z', '2024-01-01T10:00:00+02:00', 1],
    ['2024-01-01T23:00:00-05:00', '2024-01-02T03:00:00Z', 1],
    ['2024-01-01T00:00:00.001Z', '2024-01-01T00:00:00Z', 1],
    // a date alone is midnight UTC
    ['2024-01-02', '2024-01-01T23:59:59Z', 1],
    ['2024-01-02', '2024-01-02T00:00:00Z', 0],
  ])('compares instants: %s vs %s → %i', (a, b, expected) => {
    expect(sign(compareWatermarks(a, b))).toBe(expected);
  });

  it.each<[string, string, number]>([
    ['9', '10', -1],
    ['10', '9', 1],
    ['100', '100', 0],
    ['007', '7', 0],
    ['-5', '3', -1],
    ['1.5', '1.25', 1],
    ['1700000000', '999999999', 1],
  ])('compares numeric strings as numbers: %s vs %s → %i', (a, b, expected) => {
    expect(sign(compareWatermarks(a, b))).toBe(expected);
  });

  it.each<[string, string, number]>([
    ['abc', 'abd', -1],
    ['b', 'abc', 1],
    ['cursor-7', 'cursor-7', 0],
    ['B', 'a', -1], // code-unit order, not locale order
    ['10', 'abc', -1], // one side is not a number: text
    ['', '5', -1], // empty is not zero
    ['2024-13-45', '2024-02-01', 1], // not a real date: text
  ])('compares anything else as text: %j vs %j → %i', (a, b, expected) => {
    expect(sign(compareWatermarks(a, b))).toBe(expected);
  });

  it('is antisymmetric', () => {
    const pairs: Array<[string, string]> = [
      ['2024-01-01T10:00:00+02:00', '2024-01-01T09:00:00Z'],
      ['9', '10'],
      ['abc', 'abd'],
    ];
    for (const [a, b] of pairs) expect(sign(compareWatermarks(a, b))).toBe(-sign(compareWatermarks(b, a)));
  });
});

describe('asInstant', () => {
  it('reads ISO dates and times as epoch milliseconds', () => {
    expect(asInstant('2024-01-01T00:00:00Z')).toBe(Date.UTC(2024, 0, 1));
    expect(asInstant('2024-01-01T02:00:00+02:00')).toBe(Date.UTC(2024, 0, 1));
  });

  it('refuses text that does not start with a date, and impossible dates', () => {
    expect(asInstant('12345')).toBeNull();
    expect(asInstant('Jan 1 2024')).toBeNull();
    expect(asInstant('2024-13-45')).toBeNull();
    expect(asInstant('')).toBeNull();
  });
});

describe('normaliseWatermark', () => {
  it('writes a Date as an ISO instant in UTC', () => {
    expect(normaliseWatermark(new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 10)))).toBe('2024-05-06T07:08:09.010Z');
  });

  it('writes ISO text with any offset as the UTC instant', () => {
    expect(normaliseWatermark('2024-05-06T09:08:09+02:00')).toBe('2024-05-06T07:08:09.000Z');
    expect(normaliseWatermark('2024-05-06T07:08:09Z')).toBe('2024-05-06T07:08:09.000Z');
    expect(normaliseWatermark('  2024-05-06T07:08:09.5Z  ')).toBe('2024-05-06T07:08:09.500Z');
    expect(normaliseWatermark('2024-05-06')).toBe('2024-05-06T00:00:00.000Z');
  });

  it('keeps normalised instants comparable as text', () => {
    const a = normaliseWatermark('2024-01-01T10:00:00+02:00')!;
    const b = normaliseWatermark('2024-01-01T09:00:00Z')!;
    expect(a < b).toBe(true);
  });

  it('gives null for nothing', () => {
    expect(normaliseWatermark('')).toBeNull();
    expect(normaliseWatermark(null)).toBeNull();
    expect(normaliseWatermark(undefined)).toBeNull();
  });

  it('keeps other values as trimmed text', () => {
    expect(normaliseWatermark(42)).toBe('42');
    expect(normaliseWatermark(' cursor-9 ')).toBe('cursor-9');
    expect(normaliseWatermark('0')).toBe('0');
    expect(normaliseWatermark(0)).toBe('0');
  });
});

describe('watermarkOf', () => {
  it('gives normaliseWatermark\'s text and asInstant of that text, from one parse', () => {
    const values: unknown[] = [
      '2024-05-06T09:08:09+02:00', ' 2024-05-06T07:08:09.5Z ', '2024-05-06', '2024-13-45', 'cursor-9', '42', 42, 0, '', null, undefined,
      new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 10)),
      // Past year 9999 in UTC: ISO text with a sign, which asInstant does not read as an instant.
      '9999-12-31T23:00:00-14:00', new Date(Date.UTC(10000, 0, 1)), new Date(Date.UTC(-1, 0, 1)),
    ];
    for (const value of values) {
      const text = normaliseWatermark(value);
      expect(watermarkOf(value)).toEqual(text === null ? null : { text, instant: asInstant(text) });
    }
    expect(watermarkOf('9999-12-31T23:00:00-14:00')).toEqual({ text: '+010000-01-01T13:00:00.000Z', instant: null });
    expect(watermarkOf('2024-05-06T09:08:09+02:00')).toEqual({ text: '2024-05-06T07:08:09.000Z', instant: Date.UTC(2024, 4, 6, 7, 8, 9) });
  });
});

describe('maxWatermark', () => {
  it('keeps the other when one is null', () => {
    expect(maxWatermark(null, null)).toBeNull();
    expect(maxWatermark(null, '2024-01-01T00:00:00.000Z')).toBe('2024-01-01T00:00:00.000Z');
    expect(maxWatermark('2024-01-01T00:00:00.000Z', null)).toBe('2024-01-01T00:00:00.000Z');
  });

  it('keeps the later instant, whatever the offsets', () => {
    expect(maxWatermark('2024-01-01T10:00:00+02:00', '2024-01-01T09:00:00Z')).toBe('2024-01-01T09:00:00Z');
    expect(maxWatermark('2024-01-01T09:00:00Z', '2024-01-01T10:00:00+02:00')).toBe('2024-01-01T09:00:00Z');
  });

  it('keeps the larger number and the larger text', () => {
    expect(maxWatermark('9', '10')).toBe('10');
    expect(maxWatermark('10', '9')).toBe('10');
    expect(maxWatermark('abc', 'abd')).toBe('abd');
  });

  it('compares whole numbers beyond 2^53 exactly', () => {
    expect(compareWatermarks('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
    expect(compareWatermarks('9007199254740992', '9007199254740993')).toBeLessThan(0);
    expect(maxWatermark('9007199254740992', '9007199254740993')).toBe('9007199254740993');
    expect(compareWatermarks('-5', '3')).toBeLessThan(0);
  });

  it('keeps the first of two equal watermarks', () => {
    expect(maxWatermark('2024-01-01T08:00:00Z', '2024-01-01T10:00:00+02:00')).toBe('2024-01-01T08:00:00Z');
  });

  it('folds a list to its maximum', () => {
    const values = ['2024-01-03T00:00:00Z', null, '2024-01-05T01:00:00+02:00', '2024-01-04T23:30:00Z', null];
    expect(values.reduce<string | null>((acc, v) => maxWatermark(acc, v), null)).toBe('2024-01-04T23:30:00Z');
  });
});
