import { csvLine, dateDMY, phoneAs, streetLine, typedName } from './formatting.js';
import type { SystemFormat } from './system-format.js';
import { TRUTH_COLUMN } from './system-format.js';

const COLUMNS = ['ContactID', 'FirstName', 'LastName', 'Email', 'Phone', 'Address', 'City', 'ZIP', 'DOB', TRUTH_COLUMN];

/** A support desk, run from the European office: semicolons, DD.MM.YYYY dates, dotted phones, no state column. */
export const support: SystemFormat = {
  kind: 'support',
  extension: 'csv',
  weight: 0.5,
  missing: { firstName: 0.02, lastName: 0.01, email: 0.03, phone: 0.12, address: 0.15, birth: 0.12 },
  header: csvLine(COLUMNS, ';'),
  recordId: (n) => `SUP${String(n + 1).padStart(7, '0')}`,
  line(c, id, truth, rand) {
    const a = c.address;
    return csvLine([
      id, typedName(c.firstName, rand), typedName(c.lastName, rand), c.email,
      c.phone === null ? null : phoneAs(c.phone, rand.chance(0.6) ? 'dot' : 'intl'),
      a === null ? null : streetLine(a, rand.chance(0.3), rand), a?.city ?? null, a?.zip ?? null,
      c.birth === null ? null : dateDMY(c.birth), truth,
    ], ';');
  },
  source: (name, path) => ({
    name, kind: 'csv', path, delimiter: ';', id: 'ContactID', dateOrder: 'DMY', trust: 0.4,
    fields: {
      firstName: 'FirstName', lastName: 'LastName', email: 'Email', phone: 'Phone', street: 'Address',
      city: 'City', postcode: 'ZIP', birthDate: 'DOB',
    },
  }),
};
