import type { Address } from './person.js';
import type { Rand } from './rand.js';
import type { RecordCopy } from './record-copy.js';

/**
 * Records that are not customers at all: utility meters, lamp posts and street lights that
 * a utility bills as accounts, and test accounts. Each carries a marker the generated
 * settings' `exclude` rules recognise.
 */
export function nonCustomerCopy(rand: Rand, updatedAt: number, site: Address): RecordCopy {
  const n = rand.between(1000, 9999);
  const letter = rand.pick(['A', 'B', 'C', 'D']);
  const base = { email: null, phone: null, address: { ...site, unit: null }, birth: null, updatedAt };
  switch (rand.int(6)) {
    case 0:
      return { ...base, firstName: 'meter', lastName: `${n}-${letter}` };
    case 1:
      return { ...base, firstName: null, lastName: `meter ${n}-${letter}` };
    case 2:
      return { ...base, firstName: 'lamp post', lastName: `#${n}` };
    case 3:
      return { ...base, firstName: 'streetlight', lastName: `SL-${n}` };
    case 4:
      return { ...base, firstName: 'test', lastName: rand.pick(['test', 'user', 'account']), email: rand.chance(0.5) ? 'test@example.com' : `test${n}@example.com`, phone: '5555550100', birth: { year: 1970, month: 1, day: 1 } };
    default:
      return { ...base, firstName: rand.pick(['qa', 'demo', 'sample']), lastName: 'test', email: `qa+${n}@example.org` };
  }
}

/** The exclude rules of the generated settings: they catch every record nonCustomerCopy makes, and no customer. */
export const NON_CUSTOMER_RULES = [
  { attribute: 'firstName', pattern: '^(meter|lamp post|streetlight)$', reason: 'utility meter or street furniture, not a customer' },
  // With its number: "Meter" alone is a surname too (and a typo away from Meyer).
  { attribute: 'lastName', pattern: '^meter \\d', reason: 'utility meter, not a customer' },
  { attribute: 'firstName', pattern: '^test$', reason: 'test account' },
  { attribute: 'lastName', pattern: '^test$', reason: 'test account' },
  { attribute: 'email', pattern: '^(test|qa)\\b|@example\\.(com|org|net)$', reason: 'test account' },
];

/** The truth id of the k-th non-customer record: never equal to a customer's. */
export function nonCustomerId(k: number): string {
  return `X${String(k + 1).padStart(6, '0')}`;
}
