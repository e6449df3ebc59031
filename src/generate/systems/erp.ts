import { csvLine, dateCompact, phoneAs, streetLine, titleCase, upper } from './formatting.js';
import type { SystemFormat } from './system-format.js';
import { TRUTH_COLUMN } from './system-format.js';

const COLUMNS = ['partner_no', 'name_first', 'name_last', 'mail', 'tel', 'addr_no', 'addr_street', 'addr_city', 'addr_state', 'addr_zip', 'birthdate', TRUTH_COLUMN];

/** An ERP's business partners: commas, house number in its own column, family names in capitals, dates as YYYYMMDD. */
export const erp: SystemFormat = {
  kind: 'erp',
  extension: 'csv',
  weight: 0.6,
  missing: { firstName: 0.03, lastName: 0.002, email: 0.1, phone: 0.08, address: 0.02, birth: 0.05 },
  header: csvLine(COLUMNS, ','),
  recordId: (n) => String(4000000001 + n),
  line(c, id, truth, rand) {
    const a = c.address;
    const street = a === null ? null : streetLine(a, rand.chance(0.7), rand);
    return csvLine([
      id, c.firstName === null ? null : titleCase(c.firstName), upper(c.lastName), c.email,
      c.phone === null ? null : phoneAs(c.phone, rand.chance(0.5) ? 'trunk' : 'plain'),
      a === null ? null : a.number, street === null ? null : street.slice(street.indexOf(' ') + 1),
      a?.city ?? null, a?.state ?? null, a?.zip ?? null, c.birth === null ? null : dateCompact(c.birth), truth,
    ], ',');
  },
  source: (name, path) => ({
    name, kind: 'csv', path, id: 'partner_no', dateOrder: 'YMD', trust: 0.6,
    fields: {
      firstName: 'name_first', lastName: 'name_last', email: 'mail', phone: 'tel',
      street: { columns: ['addr_no', 'addr_street'], join: ' ' }, city: 'addr_city', state: 'addr_state', postcode: 'addr_zip',
      birthDate: 'birthdate',
    },
  }),
};
