import { seededRandom } from '../model/random.js';

/** Seeded choices for generators: the same seed makes the same data. */
export class Rand {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  float(): number {
    return this.next();
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: ReadonlyArray<T>): T {
    return items[this.int(items.length)]!;
  }
}

/**
 * A 32-bit seed from several numbers (murmur3's finaliser over each part), so that every
 * customer and every record copy gets its own stream: record 1,000 can be made again on its
 * own, in any order, and comes out the same.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
