import { csvLine, dateISO, isoTime, phoneAs, streetLine, upper } from './formatting.js';
import type { SystemFormat } from './system-format.js';
import { TRUTH_COLUMN } from './system-format.js';

const COLUMNS = ['account_no', 'given_name', 'family_name', 'phone_number', 'email_address', 'address_line1', 'town', 'state_code', 'postal_code', 'birth_date', 'last_modified', TRUTH_COLUMN];

/** A billing system: semicolons, upper case, E.164 phones, ISO dates, short street types, ZIP+4 now and then. */
export const billing: SystemFormat = {
  kind: 'billing',
  extension: 'csv',
  weight: 0.8,
  missing: { firstName: 0.02, lastName: 0.002, email: 0.12, phone: 0.05, address: 0.01, birth: 0.1 },
  header: csvLine(COLUMNS, ';'),
  recordId: (n) => `B${7000001 + n}`,
  line(c, id, truth, rand) {
    const a = c.address;
    const zip = a === null ? null : rand.chance(0.2) ? `${a.zip}-${String(rand.int(10000)).padStart(4, '0')}` : a.zip;
    return csvLine([
      id, upper(c.firstName), upper(c.lastName), c.phone === null ? null : phoneAs(c.phone, 'e164'), c.email?.toLowerCase() ?? null,
      a === null ? null : streetLine(a, true, rand).toUpperCase(), upper(a?.city ?? null), a?.state ?? null, zip,
      c.birth === null ? null : dateISO(c.birth), isoTime(c.updatedAt), truth,
    ], ';');
  },
  source: (name, path) => ({
    name, kind: 'csv', path, delimiter: ';', id: 'account_no', updatedAt: 'last_modified', dateOrder: 'YMD', trust: 0.9,
    fields: {
      firstName: 'given_name', lastName: 'family_name', phone: 'phone_number', email: 'email_address',
      street: 'address_line1', city: 'town', state: 'state_code', postcode: 'postal_code', birthDate: 'birth_date',
    },
  }),
};
