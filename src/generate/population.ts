import { FingerprintSet } from './fingerprint-set.js';
import { namePools } from './name-pools.js';
import type { Address, Person } from './person.js';
import { anyAreaCode, newAddress } from './places.js';
import { mixSeed, Rand } from './rand.js';
import { WeightedPool } from './weighted-pool.js';

/** A generated customer: a Person that may have no email, and its own seed for per-system habits. */
export interface Customer extends Omit<Person, 'email'> {
  index: number;
  email: string | null;
  /** Seeds the choices each system makes about this customer (an old address on file, a married name). */
  seed: number;
}

export const FIRST_BIRTH_YEAR = 1935;
export const LAST_BIRTH_YEAR = 2006;

/** Share of customers who live with the customer before them. */
const HOUSEHOLD_RATE = 0.08;
const MAX_HOUSEHOLD = 6;
const MOVED_RATE = 0.06;
const MARRIED_RATE = 0.1;
const NO_EMAIL_RATE = 0.04;

const SALT = { household: 1, person: 2, joins: 3, email: 4, systems: 5, address: 6 } as const;

const DOMAINS = new WeightedPool(
  ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'aol.com', 'comcast.net', 'msn.com', 'live.com',
    'att.net', 'verizon.net', 'sbcglobal.net', 'me.com', 'proton.me', 'ymail.com', 'mail.com', 'fastmail.com', 'cox.net'],
  [34, 14, 9, 9, 7, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1],
);

interface Household {
  surname: string;
  /** Birth year of the household's first member. */
  year: number;
}

/**
 * N distinct customers, each made on demand from (seed, index) alone, so records can be
 * written in any order without keeping the people in memory. One pass over the population
 * up front settles what depends on earlier customers: who lives with whom (about 8% share
 * the previous customer's household, usually the surname too) and the numbers that make
 * emails unique. That pass keeps 6 bytes per customer.
 */
export class Population {
  readonly size: number;
  private readonly seed: number;
  private readonly headOf: Int32Array;
  private readonly emailNumber: Uint16Array;

  constructor(seed: number, size: number) {
    this.seed = seed;
    this.size = size;
    this.headOf = new Int32Array(size);
    this.emailNumber = new Uint16Array(size);
    let members = 0;
    for (let i = 0; i < size; i++) {
      const joins = i > 0 && members < MAX_HOUSEHOLD && new Rand(mixSeed(seed, SALT.joins, i)).chance(HOUSEHOLD_RATE);
      this.headOf[i] = joins ? this.headOf[i - 1]! : i;
      members = joins ? members + 1 : 1;
    }
    const taken = new FingerprintSet(size);
    for (let i = 0; i < size; i++) {
      const { email } = this.identity(i);
      if (email !== null) this.emailNumber[i] = uniqueNumber(email, taken, new Rand(mixSeed(seed, SALT.email, i)));
    }
  }

  customer(i: number): Customer {
    const who = this.identity(i);
    const { r } = who;
    const address = this.homeAddress(this.headOf[i]!);
    const area = r.chance(0.75) ? address.area : anyAreaCode(r);
    const phone = `${area}${r.between(201, 989)}${String(r.int(10000)).padStart(4, '0')}`;
    const previousAddress = r.chance(MOVED_RATE) ? newAddress(r) : null;
    return {
      index: i,
      id: customerId(i),
      seed: mixSeed(this.seed, SALT.systems, i),
      gender: who.gender,
      firstName: who.firstName,
      middleName: who.middleName,
      lastName: who.lastName,
      marriedName: who.marriedName,
      birth: who.birth,
      email: who.email,
      phone,
      address,
      previousAddress,
    };
  }

  /**
   * Who the customer is, without where they live: all the email depends on, so that the
   * first pass need not make addresses. `r` goes on to draw the rest.
   */
  private identity(i: number) {
    const pools = namePools();
    const head = this.headOf[i]!;
    const home = this.household(head);
    const r = new Rand(mixSeed(this.seed, SALT.person, i));
    const gender: 'F' | 'M' = r.chance(0.51) ? 'F' : 'M';
    const given = gender === 'F' ? pools.female : pools.male;
    const firstName = given.pick(r);
    let lastName = home.surname;
    let year = home.year;
    if (head !== i) {
      if (r.chance(0.3)) lastName = pools.surnames.pick(r);
      // A partner of about the same age, or a grown child.
      const child = r.chance(0.45) && home.year + 18 <= LAST_BIRTH_YEAR;
      year = child
        ? r.between(home.year + 18, Math.min(LAST_BIRTH_YEAR, home.year + 38))
        : Math.min(LAST_BIRTH_YEAR, Math.max(FIRST_BIRTH_YEAR, home.year + r.between(-6, 6)));
    }
    const month = r.between(1, 12);
    const day = r.between(1, daysInMonth(year, month));
    const middleName = r.chance(0.3) ? given.pick(r) : null;
    let marriedName: string | null = null;
    if (gender === 'F' && year <= 2000 && r.chance(MARRIED_RATE)) {
      marriedName = pools.surnames.pick(r);
      if (marriedName === lastName) marriedName = null;
    }
    const handle = r.chance(NO_EMAIL_RATE) ? null : emailHandle(firstName, lastName, year, r);
    const domain = DOMAINS.pick(r);
    const number = this.emailNumber[i]!;
    const email = handle === null ? null : `${handle}${number === 0 ? '' : number}@${domain}`;
    return { r, gender, firstName, middleName, lastName, marriedName, birth: { year, month, day }, email };
  }

  private household(head: number): Household {
    const r = new Rand(mixSeed(this.seed, SALT.household, head));
    return { surname: namePools().surnames.pick(r), year: r.between(FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR) };
  }

  private homeAddress(head: number): Address {
    return newAddress(new Rand(mixSeed(this.seed, SALT.address, head)));
  }
}

/** The true id of a customer, as the truth column holds it. */
export function customerId(index: number): string {
  return `C${String(index + 1).padStart(7, '0')}`;
}

function emailHandle(first: string, last: string, year: number, r: Rand): string {
  const f = first.replace(/[^a-z]/g, '');
  const l = last.replace(/[^a-z]/g, '');
  const yy = String(year % 100).padStart(2, '0');
  switch (r.int(20)) {
    case 0: case 1: case 2: case 3: case 4: return `${f}.${l}`;
    case 5: case 6: case 7: return `${f}${l}`;
    case 8: case 9: case 10: return `${f[0]}${l}`;
    case 11: return `${f}_${l}`;
    case 12: case 13: return `${f}${yy}`;
    case 14: return `${l}${f[0]}`;
    case 15: return `${f}.${l}${year}`;
    case 16: return `${f[0]}.${l}`;
    case 17: return `${f}${l[0]}`;
    case 18: return `${l}.${f}`;
    default: return `${f}${l}${yy}`;
  }
}

/** 0 when the address is free, else a number to append that makes it free (as mail providers suggest). */
function uniqueNumber(email: string, taken: FingerprintSet, r: Rand): number {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at);
  let number = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const candidate = number === 0 ? email : `${local}${number}${domain}`;
    if (taken.add(mailbox(candidate))) return number;
    const digits = attempt < 3 ? 2 : attempt < 6 ? 3 : 4;
    number = r.between(10 ** (digits - 1), 10 ** digits - 1);
  }
  return number;
}

/** The mailbox an address reaches, as standardizeEmail finds it, for the lower-case letters, digits, dots and _ of generated addresses. */
function mailbox(email: string): string {
  return email.endsWith('@gmail.com') ? `${email.slice(0, -10).replace(/\./g, '')}@gmail.com` : email;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
