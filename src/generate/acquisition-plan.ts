import type { Address } from './person.js';
import { newAddress } from './places.js';
import { Population, type Customer } from './population.js';
import { mixSeed, Rand } from './rand.js';
import { TakenContacts } from './taken-contacts.js';

/** One acquired customer: a person of the master's population, or of the acquired company's own. */
export interface AcquiredPerson {
  inMaster: boolean;
  /** The person's index in their population. */
  index: number;
  /** What the acquired company knows, before typing mistakes: a master customer's new values, or the own customers' made unique. */
  email: string | null;
  phone: string;
  /** For a master customer: the email or phone changed for real since the master's data was taken. */
  newEmail: boolean;
  newPhone: boolean;
}

/**
 * customer: one or two people of one household; duplicate: a second account of a customer;
 * not_customer: a meter or test account; broken_row and no_name: rows the import quarantines.
 */
export type AccountKind = 'customer' | 'duplicate' | 'not_customer' | 'broken_row' | 'no_name';

export interface PlannedAccount {
  kind: AccountKind;
  contacts: AcquiredPerson[];
  /** Where a master customer's household moved since the master's data was taken. */
  movedTo: Address | null;
  /** duplicate: the account (position in the plan) and contact it repeats, always earlier in the file. */
  original: { account: number; contact: number } | null;
}

export interface AcquisitionPlan {
  master: Population;
  own: Population;
  /** In file order. */
  accounts: PlannedAccount[];
  overlapCustomers: number;
  duplicates: number;
}

export interface PlanOptions {
  seed: number;
  masterSeed: number;
  masterRecords: number;
  customers: number;
  overlap: number;
  dupRate: number;
}

/** Of accounts: the share holding two people of one household. */
const PAIR_SHARE = 0.15;
/** Of master customers: the share whose email, phone or address changed for real. */
const CHANGE_RATE = 0.3;
/** Of moves: the share within the same town and zip code. */
const LOCAL_MOVE = 0.4;
const NON_CUSTOMER_RATE = 0.01;
const BROKEN: ReadonlyArray<AccountKind> = ['broken_row', 'no_name'];
/** Mail providers no master customer uses, so a new address can never be a master customer's. */
const NEW_DOMAINS = ['gmx.com', 'zoho.com', 'hey.com', 'pm.me', 'duck.com', 'earthlink.net', 'charter.net', 'optonline.net', 'bellsouth.net', 'frontier.com', 'mac.com', 'rocketmail.com'];

const SALT = { pick: 31, own: 32, order: 33, duplicates: 34, change: 35, claim: 36 } as const;

/**
 * Who is in the acquired file, in which account and in what order, and what changed for
 * real. The master customers are people of the master's own Population (same seed and
 * size, so the same people and true ids); the acquired company's own customers are people
 * of a second Population, their emails and phones made unlike any master customer's.
 */
export function planAcquisition(o: PlanOptions): AcquisitionPlan {
  const master = new Population(o.masterSeed, o.masterRecords);
  const overlapCustomers = Math.round(o.customers * o.overlap);
  const ownCustomers = o.customers - overlapCustomers;
  let ownSeed = mixSeed(o.seed, SALT.own, o.masterSeed);
  if (ownSeed === o.masterSeed) ownSeed ^= 1;
  const own = new Population(ownSeed, Math.ceil(ownCustomers * 1.25) + 16);
  const pick = new Rand(mixSeed(o.seed, SALT.pick));
  const ownUsed = new Uint8Array(own.size);
  const person = (inMaster: boolean) => (index: number): AcquiredPerson => ({ inMaster, index, email: null, phone: '', newEmail: false, newPhone: false });
  const base: PlannedAccount[] = [
    ...selectAccounts(master, overlapCustomers, new Uint8Array(master.size), pick).map((g) => g.map(person(true))),
    ...selectAccounts(own, ownCustomers, ownUsed, pick).map((g) => g.map(person(false))),
  ].map((contacts) => ({ kind: 'customer', contacts, movedTo: null, original: null }));
  for (let k = 0; k < Math.max(1, Math.round(o.customers * NON_CUSTOMER_RATE)); k++) base.push({ kind: 'not_customer', contacts: [], movedTo: null, original: null });
  // The broken rows hold people of their own, so that no customer is lost to them.
  for (let i = 0, b = 0; b < BROKEN.length; i++) {
    if (ownUsed[i]) continue;
    ownUsed[i] = 1;
    base.push({ kind: BROKEN[b++]!, contacts: [person(false)(i)], movedTo: null, original: null });
  }
  shuffle(base, new Rand(mixSeed(o.seed, SALT.order)));
  settleContacts(base, master, own, o.customers, new Rand(mixSeed(o.seed, SALT.change)), new Rand(mixSeed(o.seed, SALT.claim)));
  const duplicates = Math.round(o.customers * o.dupRate);
  return { master, own, accounts: withDuplicates(base, duplicates, new Rand(mixSeed(o.seed, SALT.duplicates))), overlapCustomers, duplicates };
}

/**
 * Accounts for `persons` people of a population: about one in seven holds two members of a
 * household (a customer and the next one when they share a home), the rest one person.
 */
function selectAccounts(population: Population, persons: number, used: Uint8Array, rand: Rand): number[][] {
  const order = permutation(population.size, rand);
  const pairsWanted = Math.round((persons * PAIR_SHARE) / (1 + PAIR_SHARE));
  const accounts: number[][] = [];
  let taken = 0;
  for (let k = 0; k < order.length && accounts.length < pairsWanted && taken + 2 <= persons; k++) {
    const i = order[k]!;
    if (i + 1 >= population.size || used[i] || used[i + 1] || !sameHome(population, i, i + 1)) continue;
    used[i] = used[i + 1] = 1;
    accounts.push([i, i + 1]);
    taken += 2;
  }
  for (let k = 0; k < order.length && taken < persons; k++) {
    const i = order[k]!;
    if (used[i]) continue;
    used[i] = 1;
    accounts.push([i]);
    taken++;
  }
  return accounts;
}

function sameHome(population: Population, i: number, j: number): boolean {
  const a = population.customer(i).address;
  const b = population.customer(j).address;
  return a.number === b.number && a.street === b.street && a.zip === b.zip && a.unit === b.unit;
}

/**
 * Fills in what the acquired company knows of each person, in file order: its own customers'
 * emails and phones claimed so no master customer holds them, and for about 30% of master
 * customers one real change (a new email, a new phone, or the household moved).
 */
function settleContacts(accounts: PlannedAccount[], master: Population, own: Population, customers: number, change: Rand, claim: Rand): void {
  const taken = new TakenContacts(master, customers + BROKEN.length);
  for (const account of accounts) {
    for (const p of account.contacts) {
      const c = (p.inMaster ? master : own).customer(p.index);
      if (!p.inMaster) {
        p.email = c.email === null ? null : taken.claimEmail(c.email, claim);
        p.phone = taken.claimPhone(c.phone, claim);
        continue;
      }
      p.email = c.email;
      p.phone = c.phone;
      if (!change.chance(CHANGE_RATE)) continue;
      const roll = change.float();
      if (roll < 0.35 && c.email !== null) {
        p.email = taken.claimEmail(newEmail(c, change), claim);
        p.newEmail = true;
      } else if (roll < 0.65) {
        p.phone = taken.claimPhone(`${c.phone.slice(0, 3)}${change.between(201, 989)}${String(change.int(10000)).padStart(4, '0')}`, claim);
        p.newPhone = true;
      } else {
        // The account has one address: a move is the whole household's.
        account.movedTo ??= movedAddress(c.address, change);
      }
    }
  }
}

function newEmail(c: Customer, rand: Rand): string {
  const f = c.firstName.replace(/[^a-z]/g, '');
  const l = c.lastName.replace(/[^a-z]/g, '');
  const handle = rand.pick([`${f}.${l}`, `${f}${l}`, `${f[0]}${l}`, `${l}.${f}`, `${f}${l}${String(c.birth.year % 100).padStart(2, '0')}`]);
  return `${handle}@${rand.pick(NEW_DOMAINS)}`;
}

/** A new home: across town (same city and zip code) or anywhere in the country; never the same street line. */
function movedAddress(from: Address, rand: Rand): Address {
  for (;;) {
    const to = newAddress(rand);
    const moved = rand.chance(LOCAL_MOVE) ? { ...to, city: from.city, state: from.state, zip: from.zip, area: from.area } : to;
    if (moved.number !== from.number || moved.street !== from.street) return moved;
  }
}

/**
 * Adds `count` second accounts of distinct customers, each somewhere after the account it
 * repeats (opened later, so with a higher account number).
 */
function withDuplicates(base: PlannedAccount[], count: number, rand: Rand): PlannedAccount[] {
  const slots: Array<{ account: number; contact: number }> = [];
  base.forEach((a, i) => {
    if (a.kind === 'customer') a.contacts.forEach((_, k) => slots.push({ account: i, contact: k }));
  });
  const entries = base.map((account, i) => ({ key: i, account, from: i }));
  for (let d = 0; d < count; d++) {
    const j = d + rand.int(slots.length - d);
    [slots[d], slots[j]] = [slots[j]!, slots[d]!];
    const { account, contact } = slots[d]!;
    const original = base[account]!;
    entries.push({
      key: account + 0.5 + rand.int(base.length - account),
      account: { kind: 'duplicate', contacts: [original.contacts[contact]!], movedTo: original.movedTo, original: { account, contact } },
      from: -1,
    });
  }
  entries.sort((a, b) => a.key - b.key);
  const position = new Int32Array(base.length);
  entries.forEach((e, i) => {
    if (e.from >= 0) position[e.from] = i;
  });
  return entries.map(({ account }) => (account.original ? { ...account, original: { ...account.original, account: position[account.original.account]! } } : account));
}

function permutation(size: number, rand: Rand): Uint32Array {
  const order = Uint32Array.from({ length: size }, (_, i) => i);
  shuffle(order, rand);
  return order;
}

/** Fisher–Yates, in place. */
function shuffle<T>(items: { length: number; [i: number]: T }, rand: Rand): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rand.int(i + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
}
