import { Document, isMap, isSeq } from 'yaml';
import type { Address } from '../person.js';
import type { Rand } from '../rand.js';
import type { Birth } from '../record-copy.js';
import { csvLine, dateMDY, isoTime, phoneAs, streetLine, titleCase } from './formatting.js';
import type { SourceInput } from './system-format.js';

/** The acquired company's customer file and the import config that reads it, in the output folder. */
export const ACQUIRED_FILE = 'acquired.csv';
export const ACQUISITION_CONFIG_FILE = 'acquisition.yaml';
/** The column each contact's record carries the true customer in, once the import splits the account. */
export const ACQUIRED_TRUTH = 'true_id';

const CONTACT_COLUMNS = ['name', 'email', 'phone', 'dob'] as const;
const contactColumns = (n: number) => CONTACT_COLUMNS.map((c) => `contact${n}_${c}`);

export const ACQUIRED_COLUMNS = [
  'account_no', 'status_cd', ...contactColumns(1), ...contactColumns(2),
  'addr_line1', 'addr_line2', 'city', 'state', 'zip', 'last_modified', `contact1_${ACQUIRED_TRUTH}`, `contact2_${ACQUIRED_TRUTH}`,
];

/** One contact of an account, as the acquired system holds it; `phone` as ten digits. */
export interface AcquiredContact {
  name: string | null;
  email: string | null;
  phone: string | null;
  birth: Birth | null;
  truth: string;
}

export interface AcquiredRow {
  accountNo: string;
  /** A active, C closed, S suspended. */
  status: 'A' | 'C' | 'S';
  /** One or two. */
  contacts: AcquiredContact[];
  address: Address;
  updatedAt: number;
  /** A hand edit that breaks the row: a second address line with a comma nobody quoted. */
  unquotedLine2?: string;
}

const PHONE_STYLES = ['paren', 'paren', 'dot', 'intl', 'dash'] as const;

export const acquiredHeader = (): string => csvLine(ACQUIRED_COLUMNS, ',');

/**
 * An account of a legacy system: one row, up to two contacts, names in one column, phones
 * as customers gave them, US dates, the apartment on its own line, ZIP+4 now and then.
 */
export function acquiredLine(row: AcquiredRow, rand: Rand): string {
  const cells = (c: AcquiredContact | undefined) => c === undefined ? [null, null, null, null] : [
    c.name, c.email, c.phone === null ? null : phoneAs(c.phone, rand.pick(PHONE_STYLES)), c.birth === null ? null : dateMDY(c.birth, rand.chance(0.9)),
  ];
  const a = row.address;
  const unit = a.unit === null ? null : rand.pick(['Apt ', 'Apt ', 'Unit ', '#']) + a.unit.toUpperCase();
  const city = rand.chance(0.1) ? a.city.toUpperCase() : a.city;
  const zip = rand.chance(0.15) ? `${a.zip}-${String(rand.int(10000)).padStart(4, '0')}` : a.zip;
  const head = [row.accountNo, row.status, ...cells(row.contacts[0]), ...cells(row.contacts[1]), streetLine({ ...a, unit: null }, rand.chance(0.6), rand)];
  const tail = [city, a.state, zip, isoTime(row.updatedAt), row.contacts[0]?.truth ?? null, row.contacts[1]?.truth ?? null];
  if (row.unquotedLine2 === undefined) return csvLine([...head, unit, ...tail], ',');
  return `${csvLine(head, ',').slice(0, -1)},${row.unquotedLine2},${csvLine(tail, ',')}`;
}

/**
 * A full name in one field, either way round: "Smith, Mary A" or "Mary A. Smith". Family
 * names of several words ("de luca") are always written surname first, as a clerk would
 * to keep them whole.
 */
export function writtenName(first: string, middle: string | null, last: string, rand: Rand): string {
  const initial = middle !== null && rand.chance(0.6) ? ` ${middle[0]!.toUpperCase()}${rand.chance(0.3) ? '.' : ''}` : '';
  const f = titleCase(first);
  const l = titleCase(last);
  const text = last.includes(' ') || first.includes(' ') || rand.chance(0.45) ? `${l}, ${f}${initial}` : `${f}${initial} ${l}`;
  return rand.chance(0.08) ? text.toUpperCase() : text;
}

/**
 * A meter, a street light or a test account, named so that the master's exclude rules catch
 * it once the name is split ("Meter 4821-B": first name "meter").
 */
export function nonCustomerContact(rand: Rand, truth: string): { contact: AcquiredContact; reason: string } {
  const n = rand.between(1000, 9999);
  const none = { email: null, phone: null, birth: null, truth };
  switch (rand.int(4)) {
    case 0:
      return { contact: { ...none, name: `METER ${n}-${rand.pick(['A', 'B', 'C', 'D'])}` }, reason: 'utility meter' };
    case 1:
      return { contact: { ...none, name: `Streetlight SL-${n}` }, reason: 'street light' };
    case 2:
      return {
        contact: { name: `Test ${rand.pick(['User', 'Account'])}`, email: `test${n}@example.com`, phone: '5555550100', birth: { year: 1970, month: 1, day: 1 }, truth },
        reason: 'test account',
      };
    default:
      return { contact: { ...none, name: `${rand.pick(['QA', 'Demo'])} Test`, email: `qa+${n}@example.org` }, reason: 'test account' };
  }
}

export interface AcquisitionConfig {
  name: string;
  master: string;
  source: SourceInput;
}

/**
 * The import config for the acquired file. Each account row becomes one record per contact;
 * the mapping uses the declared transforms: the name split into its parts, the street from
 * two lines joined, the five-digit ZIP taken out of a ZIP+4.
 */
export function acquisitionConfig(master: string): AcquisitionConfig {
  return {
    name: 'acme',
    master,
    source: {
      name: 'acme', kind: 'csv', path: ACQUIRED_FILE, id: 'account_no', updatedAt: 'last_modified', dateOrder: 'MDY', trust: 0.4,
      contacts: [1, 2].map((n) => ({
        suffix: String(n),
        columns: Object.fromEntries([...CONTACT_COLUMNS, ACQUIRED_TRUTH].map((c) => [c, `contact${n}_${c}`])),
      })),
      fields: {
        firstName: { column: 'name', split: 'first' },
        lastName: { column: 'name', split: 'last', required: true },
        email: 'email',
        phone: 'phone',
        birthDate: 'dob',
        street: { columns: ['addr_line1', 'addr_line2'], join: ' ' },
        city: 'city',
        state: 'state',
        postcode: { column: 'zip', pattern: '^(\\d{5})' },
      },
    },
  };
}

/** The config as YAML, each contact and each mapping on one line, with notes on what it leaves out. */
export function acquisitionYaml(config: AcquisitionConfig, command: string): string {
  const doc = new Document(config);
  const source = doc.get('source', true);
  if (isMap(source)) {
    const contacts = source.get('contacts', true);
    if (isSeq(contacts)) for (const item of contacts.items) if (isMap(item)) item.flow = true;
    const fields = source.get('fields', true);
    if (isMap(fields)) for (const pair of fields.items) if (isMap(pair.value)) pair.value.flow = true;
  }
  return [
    `# Written by: ${command}`,
    `# ${ACQUIRED_FILE}: the acquired company's accounts, one row each with up to two contacts (one record per contact).`,
    `# contact1_${ACQUIRED_TRUTH} and contact2_${ACQUIRED_TRUTH} (seen as "${ACQUIRED_TRUTH}") hold the true customer, for scoring only:`,
    '#   C... a customer of the master too, A... the acquired company\'s own, AX... not a customer.',
    '# status_cd (A active, C closed, S suspended) is not mapped: the master has no status attribute. With one',
    '# declared under the master\'s attributes it would be: status: { column: status_cd, map: { A: active, C: closed, S: suspended } }',
    doc.toString({ lineWidth: 0, flowCollectionPadding: false }),
  ].join('\n');
}
