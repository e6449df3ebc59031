import type { NicknameTable } from '../standardize/nicknames.js';
import { typo } from './corrupt.js';
import type { Address } from './person.js';
import type { Customer } from './population.js';
import { mixSeed, Rand } from './rand.js';

/**
 * What one system holds about one customer, before the system writes it its own way:
 * names in lower case, the phone as ten digits, null where the system has nothing.
 */
export interface RecordCopy {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  address: Address | null;
  birth: Birth | null;
  /** When the system last changed the record (ms since 1970). */
  updatedAt: number;
}

export interface Birth {
  year: number;
  month: number;
  day: number;
}

/** How often a system has no value for a field. */
export interface MissingRates {
  firstName: number;
  lastName: number;
  email: number;
  phone: number;
  address: number;
  birth: number;
}

/** Per-copy mistakes, roughly as often as they turn up in real customer files. */
const RATES = {
  /** Of names that have nicknames (about three in four): some 6% of all copies. */
  nickname: 0.08,
  nameTypo: 0.08,
  swappedNames: 0.01,
  dayMonthSwapped: 0.02,
  dateTypo: 0.01,
  emailTypo: 0.015,
  phoneTypo: 0.01,
  streetTypo: 0.02,
  /** For a customer who moved: the share of systems still holding the old address. */
  staleAddress: 0.7,
  /** For a woman who married: the share of systems that know her new surname. */
  marriedName: 0.5,
} as const;

const UPDATED_FROM = Date.UTC(2019, 0, 1);
const UPDATED_SPAN = Date.UTC(2025, 11, 31) - UPDATED_FROM;

/**
 * One system's copy of a customer. What a system knows (an old address, a married name) is
 * drawn per customer and system, so a system's duplicates agree on it; typing mistakes,
 * nicknames and gaps are drawn per copy.
 */
export function copyOf(customer: Customer, system: number, missing: MissingRates, rand: Rand, nicknames: NicknameTable): RecordCopy {
  const knows = new Rand(mixSeed(customer.seed, system));
  const address = customer.previousAddress && knows.chance(RATES.staleAddress) ? customer.previousAddress : customer.address;
  let lastName = customer.marriedName && knows.chance(RATES.marriedName) ? customer.marriedName : customer.lastName;
  let firstName = customer.firstName;
  const nicks = nicknames.nicknamesOf.get(firstName);
  if (nicks && rand.chance(RATES.nickname)) firstName = rand.pick(nicks);
  if (rand.chance(RATES.nameTypo)) {
    if (rand.chance(0.5)) firstName = typo(firstName, rand);
    else lastName = typo(lastName, rand);
  }
  if (rand.chance(RATES.swappedNames)) [firstName, lastName] = [lastName, firstName];
  let birth = { ...customer.birth };
  if (birth.day <= 12 && birth.day !== birth.month && rand.chance(RATES.dayMonthSwapped)) birth = { ...birth, day: birth.month, month: birth.day };
  else if (rand.chance(RATES.dateTypo)) birth = dateTypo(birth, rand);
  let email = customer.email === null ? null : emailAsTyped(customer.email, rand);
  if (email !== null && rand.chance(RATES.emailTypo)) email = emailTypo(email, rand);
  let phone = customer.phone;
  if (rand.chance(RATES.phoneTypo)) phone = digitTypo(phone, rand);
  const street = rand.chance(RATES.streetTypo) ? { ...address, street: typo(address.street, rand) } : address;
  return {
    firstName: rand.chance(missing.firstName) ? null : firstName,
    lastName: rand.chance(missing.lastName) ? null : lastName,
    email: rand.chance(missing.email) ? null : email,
    phone: rand.chance(missing.phone) ? null : phone,
    address: rand.chance(missing.address) ? null : street,
    birth: rand.chance(missing.birth) ? null : birth,
    updatedAt: UPDATED_FROM + Math.floor(rand.float() * UPDATED_SPAN / 1000) * 1000,
  };
}

const PLUS_TAG_DOMAINS = new Set(['gmail.com', 'outlook.com', 'hotmail.com', 'live.com', 'icloud.com', 'me.com', 'fastmail.com', 'proton.me']);
const TAGS = ['shop', 'news', 'orders', 'promo', 'bills', 'spam'];

/** An address as people type it into forms: case, gmail's ignored dots, +tags where the provider delivers them. */
export function emailAsTyped(email: string, rand: Rand): string {
  const at = email.lastIndexOf('@');
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  const roll = rand.float();
  if (domain === 'gmail.com' && roll < 0.12) local = local.includes('.') ? local.replace(/\./g, '') : insertDot(local, rand);
  else if (PLUS_TAG_DOMAINS.has(domain) && roll < 0.24) local = `${local}+${rand.pick(TAGS)}`;
  if (domain === 'gmail.com' && rand.chance(0.02)) domain = 'googlemail.com';
  const typed = `${local}@${domain}`;
  const style = rand.float();
  if (style < 0.08) return typed.toUpperCase();
  if (style < 0.2) return typed.charAt(0).toUpperCase() + typed.slice(1);
  return typed;
}

function insertDot(local: string, rand: Rand): string {
  if (local.length < 3) return local;
  const i = rand.between(1, local.length - 1);
  return `${local.slice(0, i)}.${local.slice(i)}`;
}

function emailTypo(email: string, rand: Rand): string {
  const at = email.lastIndexOf('@');
  return typo(email.slice(0, at), rand) + email.slice(at);
}

function digitTypo(digits: string, rand: Rand): string {
  const i = rand.between(3, digits.length - 1);
  return digits.slice(0, i) + String((Number(digits[i]) + rand.between(1, 9)) % 10) + digits.slice(i + 1);
}

/** A slip of one digit in the day or the year, or a day off by one. */
function dateTypo(birth: Birth, rand: Rand): Birth {
  switch (rand.int(3)) {
    case 0:
      return { ...birth, year: birth.year - (birth.year % 10) + rand.int(10) };
    case 1:
      return { ...birth, day: birth.day === 1 ? 2 : birth.day - 1 };
    default:
      return { ...birth, day: birth.day <= 9 ? birth.day + 10 : birth.day <= 19 ? birth.day - 9 : birth.day - 10 };
  }
}
