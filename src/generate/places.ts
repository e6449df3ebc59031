import type { Address } from './person.js';
import { Rand } from './rand.js';
import { syntheticTowns } from './synthetic-names.js';
import { REAL_CITIES, STATES, STREET_NAMES, STREET_TYPES, type StateInfo } from './us-geography.js';
import { WeightedPool, zipfWeights } from './weighted-pool.js';

export interface City {
  city: string;
  state: string;
  /** Five-digit zip codes of the city, none shared with another city. */
  zips: number[];
  area: number;
}

export interface PlacePools {
  cities: WeightedPool<City>;
  states: WeightedPool<StateInfo>;
}

/** Made-up small towns after the real cities: with them about 1,700 places and 15,000 zip codes. */
const TOWNS = 1_550;
const ZIP_CODES = 15_000;

let cached: PlacePools | undefined;

/** The same places every time: city sizes follow Zipf's law, large cities get many zip codes. */
export function placePools(): PlacePools {
  if (cached) return cached;
  const rand = new Rand(0x91ace5);
  const states = new WeightedPool(STATES, STATES.map((s) => s.population));
  const byCode = new Map(STATES.map((s) => [s.code, s]));
  const towns = syntheticTowns(TOWNS, new Set(REAL_CITIES.map(([name]) => name)));
  const specs: Array<{ city: string; state: StateInfo; zip3: number; area: number }> = [
    ...REAL_CITIES.map(([city, code, zip3, area]) => ({ city, state: byCode.get(code)!, zip3, area })),
    ...towns.map((city) => {
      const state = states.pick(rand);
      return { city, state, zip3: rand.between(state.zip3[0], state.zip3[1]), area: rand.pick(state.areaCodes) };
    }),
  ];
  const weights = zipfWeights(specs.length, 1, 5);
  const total = weights.reduce((a, b) => a + b, 0);
  const used = new Set<number>();
  const cities = specs.map((spec, i): City => {
    const count = Math.max(1, Math.round((weights[i]! / total) * ZIP_CODES));
    const zips: number[] = [];
    let zip3 = spec.zip3;
    let misses = 0;
    while (zips.length < count) {
      const zip = zip3 * 100 + rand.int(100);
      if (!used.has(zip)) {
        used.add(zip);
        zips.push(zip);
        continue;
      }
      // This prefix is crowded: move on to another of the state's prefixes.
      if (++misses % 20 === 0) zip3 = rand.between(spec.state.zip3[0], spec.state.zip3[1]);
    }
    return { city: spec.city, state: spec.state.code, zips, area: spec.area };
  });
  cached = { cities: new WeightedPool(cities, weights), states };
  return cached;
}

const TYPE_WEIGHTS = [30, 18, 14, 12, 8, 6, 4, 3, 2, 1, 1, 1];
const streetTypes = new WeightedPool(STREET_TYPES.map(([full]) => full), TYPE_WEIGHTS);
const DIRECTIONS = ['north', 'south', 'east', 'west'];

/** A home address somewhere in the country, its zip code one of its city's. */
export function newAddress(rand: Rand): Address {
  const place = placePools().cities.pick(rand);
  const street = rand.pick(STREET_NAMES);
  return {
    number: rand.chance(0.4) ? rand.between(1, 999) : rand.between(100, 19999),
    street: rand.chance(0.08) ? `${rand.pick(DIRECTIONS)} ${street}` : street,
    type: streetTypes.pick(rand),
    unit: rand.chance(0.15) ? String(rand.between(1, 40)) + (rand.chance(0.2) ? rand.pick(['a', 'b', 'c']) : '') : null,
    city: place.city,
    state: place.state,
    zip: String(rand.pick(place.zips)).padStart(5, '0'),
    area: place.area,
  };
}

/** An area code anywhere: people keep their mobile number when they move. */
export function anyAreaCode(rand: Rand): number {
  return rand.pick(placePools().states.pick(rand).areaCodes);
}
