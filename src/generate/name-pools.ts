import { MORE_FIRST_NAMES_F, MORE_FIRST_NAMES_M, MORE_SURNAMES } from './name-lists.js';
import { FIRST_NAMES_F, FIRST_NAMES_M, SURNAMES } from './pools.js';
import { syntheticSurnames } from './synthetic-names.js';
import { WeightedPool, zipfWeights } from './weighted-pool.js';

/** Name pools for populations of millions: Zipf-weighted, real names at the top, synthetic ones in the tail. */
export interface NamePools {
  surnames: WeightedPool<string>;
  female: WeightedPool<string>;
  male: WeightedPool<string>;
}

/** Tail of made-up surnames: with ~600 real ones on top, about 1 in 60,000 people per tail name at 1M people. */
const SYNTHETIC_SURNAMES = 60_000;

let cached: NamePools | undefined;

/**
 * The same pools every time (they do not depend on the dataset's seed): the most common
 * surname is held by about 1% of people, the 600 real ones by about half, the rest spread
 * thin over the synthetic tail, much as in a census.
 */
export function namePools(): NamePools {
  if (cached) return cached;
  const real = distinct([...SURNAMES, ...MORE_SURNAMES]);
  const surnames = [...real, ...syntheticSurnames(SYNTHETIC_SURNAMES, new Set(real))];
  const female = distinct([...FIRST_NAMES_F, ...MORE_FIRST_NAMES_F]);
  const male = distinct([...FIRST_NAMES_M, ...MORE_FIRST_NAMES_M]);
  cached = {
    surnames: new WeightedPool(surnames, zipfWeights(surnames.length, 0.95, 12)),
    female: new WeightedPool(female, zipfWeights(female.length, 1, 10)),
    male: new WeightedPool(male, zipfWeights(male.length, 1, 10)),
  };
  return cached;
}

function distinct(names: ReadonlyArray<string>): string[] {
  return [...new Set(names)];
}
