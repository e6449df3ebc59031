import { mixSeed, Rand } from './rand.js';
import { WeightedPool } from './weighted-pool.js';

/**
 * Which records exist, in which system, and in what order they are written: as typed
 * arrays, a few bytes per record. Slot s < N is customer s's first record; the next E
 * slots are extra records of randomly chosen customers (some get several); the last M are
 * non-customers. `order` is a random permutation of the slots, so no file is grouped by customer.
 */
export interface RecordPlan {
  customers: number;
  extras: number;
  nonCustomers: number;
  total: number;
  /** Per customer: the system of its first record. */
  primarySystem: Uint8Array;
  /** Per extra record: its customer and system. */
  extraCustomer: Uint32Array;
  extraSystem: Uint8Array;
  nonCustomerSystem: Uint8Array;
  /** The slots in writing order. */
  order: Uint32Array;
}

const SALT = { systems: 11, extras: 12, order: 13 } as const;

export function planRecords(seed: number, customers: number, dupRate: number, systemWeights: ReadonlyArray<number>): RecordPlan {
  const extras = Math.round(customers * dupRate);
  const nonCustomers = Math.ceil(customers / 1000);
  const total = customers + extras + nonCustomers;
  const systems = new WeightedPool(systemWeights.map((_, k) => k), systemWeights);
  const r = new Rand(mixSeed(seed, SALT.systems));
  const primarySystem = new Uint8Array(customers);
  for (let i = 0; i < customers; i++) primarySystem[i] = systems.pick(r);
  const nonCustomerSystem = new Uint8Array(nonCustomers);
  for (let k = 0; k < nonCustomers; k++) nonCustomerSystem[k] = r.int(systemWeights.length);
  const e = new Rand(mixSeed(seed, SALT.extras));
  const extraCustomer = new Uint32Array(extras);
  const extraSystem = new Uint8Array(extras);
  for (let k = 0; k < extras; k++) {
    extraCustomer[k] = e.int(customers);
    extraSystem[k] = systems.pick(e);
  }
  const order = new Uint32Array(total);
  for (let s = 0; s < total; s++) order[s] = s;
  const o = new Rand(mixSeed(seed, SALT.order));
  for (let s = total - 1; s > 0; s--) {
    const j = o.int(s + 1);
    const t = order[s]!;
    order[s] = order[j]!;
    order[j] = t;
  }
  return { customers, extras, nonCustomers, total, primarySystem, extraCustomer, extraSystem, nonCustomerSystem, order };
}
