import { CITIES, EMAIL_DOMAINS, FIRST_NAMES_F, FIRST_NAMES_M, STREETS, STREET_TYPES, SURNAMES } from './pools.js';
import type { Rand } from './rand.js';

/** A customer as they really are; the systems hold corrupted copies. */
export interface Person {
  id: string;
  gender: 'F' | 'M';
  firstName: string;
  middleName: string | null;
  lastName: string;
  /** A second surname for those who married, used by some systems. */
  marriedName: string | null;
  birth: { year: number; month: number; day: number };
  email: string;
  /** Ten national digits: area code + number. */
  phone: string;
  address: Address;
  /** Where they lived before, still on file in some systems. */
  previousAddress: Address | null;
}

export interface Address {
  number: number;
  street: string;
  type: string;
  unit: string | null;
  city: string;
  state: string;
  zip: string;
  area: number;
}

export function randomAddress(rand: Rand): Address {
  const place = rand.pick(CITIES);
  return {
    number: rand.between(1, 9999),
    street: rand.pick(STREETS),
    type: rand.pick(STREET_TYPES),
    unit: rand.chance(0.15) ? String(rand.between(1, 40)) : null,
    city: place.city,
    state: place.state,
    zip: String(place.zip + rand.int(40)).padStart(5, '0'),
    area: place.area,
  };
}

/**
 * Generates distinct customers. About one in ten shares a household address (and often the
 * surname) with the customer before it: two people that must not be merged.
 */
export function generatePeople(count: number, rand: Rand, idPrefix = 'C'): Person[] {
  const people: Person[] = [];
  for (let i = 0; i < count; i++) {
    const gender = rand.chance(0.5) ? 'F' : 'M';
    const firstName = rand.pick(gender === 'F' ? FIRST_NAMES_F : FIRST_NAMES_M);
    const housemate = i > 0 && rand.chance(0.1) ? people[i - 1]! : null;
    const lastName = housemate && rand.chance(0.7) ? housemate.lastName : rand.pick(SURNAMES);
    const address = housemate ? { ...housemate.address } : randomAddress(rand);
    const year = rand.between(1935, 2004);
    const month = rand.between(1, 12);
    const day = rand.between(1, 28);
    const handle = rand.pick([
      `${firstName}.${lastName}`, `${firstName}${lastName}`, `${firstName[0]}${lastName}`, `${firstName}${year % 100}`, `${lastName}.${firstName}`,
    ]);
    people.push({
      id: `${idPrefix}${String(i + 1).padStart(7, '0')}`,
      gender,
      firstName,
      middleName: rand.chance(0.3) ? rand.pick(gender === 'F' ? FIRST_NAMES_F : FIRST_NAMES_M) : null,
      lastName,
      marriedName: gender === 'F' && rand.chance(0.12) ? rand.pick(SURNAMES) : null,
      birth: { year, month, day },
      email: `${handle}${rand.chance(0.3) ? rand.between(1, 99) : ''}@${rand.pick(EMAIL_DOMAINS)}`,
      phone: `${address.area}${rand.between(200, 999)}${String(rand.int(10000)).padStart(4, '0')}`,
      address,
      previousAddress: rand.chance(0.15) ? randomAddress(rand) : null,
    });
  }
  return people;
}
