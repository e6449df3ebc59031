import type { SystemFormat } from './system-format.js';
import { TRUTH_COLUMN } from './system-format.js';
import { csvLine, dateMDY, isoTime, phoneAs, streetLine, typedName } from './formatting.js';

const COLUMNS = ['customer_id', 'first_name', 'last_name', 'email', 'phone', 'street', 'city', 'state', 'zip', 'date_of_birth', 'updated_at', TRUTH_COLUMN];

/** A CRM export: comma-separated, US dates (MM/DD/YYYY, not always padded), full street types, an updated_at column. */
export const crm: SystemFormat = {
  kind: 'crm',
  extension: 'csv',
  weight: 1,
  missing: { firstName: 0.01, lastName: 0.005, email: 0.08, phone: 0.1, address: 0.05, birth: 0.06 },
  header: csvLine(COLUMNS, ','),
  recordId: (n) => `CRM-${100001 + n}`,
  line(c, id, truth, rand) {
    const a = c.address;
    return csvLine([
      id, typedName(c.firstName, rand), typedName(c.lastName, rand), c.email,
      c.phone === null ? null : phoneAs(c.phone, rand.pick(['paren', 'paren', 'dash', 'space'] as const)),
      a === null ? null : streetLine(a, false, rand), a?.city ?? null, a?.state ?? null, a?.zip ?? null,
      c.birth === null ? null : dateMDY(c.birth, rand.chance(0.7)), isoTime(c.updatedAt), truth,
    ], ',');
  },
  source: (name, path) => ({
    name, kind: 'csv', path, id: 'customer_id', updatedAt: 'updated_at', dateOrder: 'MDY', trust: 0.7,
    fields: {
      firstName: 'first_name', lastName: 'last_name', email: 'email', phone: 'phone', street: 'street',
      city: 'city', state: 'state', postcode: 'zip', birthDate: 'date_of_birth',
    },
  }),
};
