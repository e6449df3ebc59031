import { describe, expect, it } from 'vitest';
import { isoInstant } from '../../src/model/iso-time.js';
import { seededRandom } from '../../src/model/random.js';

const dateText = (ms: number): string => new Date(ms).toISOString();

describe('isoInstant', () => {
  it('writes what toISOString writes, across four-digit years, whole and fractional milliseconds', () => {
    const random = seededRandom(7);
    const span = 253_402_300_800_000 + 62_167_219_200_000;
    const mismatches: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const whole = Math.floor(random() * span) - 62_167_219_200_000;
      const fractional = whole + random() * (random() < 0.5 ? -1 : 1);
      for (const ms of [whole, fractional]) if (isoInstant(ms) !== dateText(ms)) mismatches.push(ms);
    }
    expect(mismatches).toEqual([]);
  });

  it('gets the edges right: the epoch, leap days, the first and last four-digit years, times cut toward zero', () => {
    const edges = [
      0, -1, 1, -0.5, 0.999, -1.999, 86_399_999, 86_400_000,
      Date.UTC(2000, 1, 29), Date.UTC(1900, 1, 28, 23, 59, 59, 999), Date.UTC(1900, 2, 1), Date.UTC(2024, 11, 31, 23, 59, 59, 999),
      -62_167_219_200_000, 253_402_300_799_999,
    ];
    expect(edges.map(isoInstant)).toEqual(edges.map(dateText));
    expect(isoInstant(Date.UTC(2000, 1, 29, 12))).toBe('2000-02-29T12:00:00.000Z');
  });

  it('leaves years it does not write, and times that are not times, to the Date', () => {
    for (const ms of [-62_167_219_200_001, 253_402_300_800_000, 8.64e15]) expect(isoInstant(ms)).toBe(dateText(ms));
    expect(isoInstant(253_402_300_800_000)).toBe('+010000-01-01T00:00:00.000Z');
    for (const ms of [Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1]) expect(() => isoInstant(ms)).toThrow(RangeError);
  });
});
