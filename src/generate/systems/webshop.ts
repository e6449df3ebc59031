import { dateSpelled, isoTime, phoneAs, scrambledId, streetLine, typedName } from './formatting.js';
import type { SystemFormat } from './system-format.js';
import { TRUTH_COLUMN } from './system-format.js';

const PHONE_STYLES = ['paren', 'dash', 'dot', 'space', 'intl', 'plain', 'trunk'] as const;

/** A web shop's JSON Lines export: nested objects, names and phones as customers typed them, birthdays as "12 Mar 1980". */
export const webshop: SystemFormat = {
  kind: 'webshop',
  extension: 'jsonl',
  weight: 0.9,
  missing: { firstName: 0.01, lastName: 0.01, email: 0.005, phone: 0.3, address: 0.08, birth: 0.15 },
  header: '',
  recordId: (n) => scrambledId(n, 'web_'),
  line(c, id, truth, rand) {
    const a = c.address;
    return `${JSON.stringify({
      id,
      name: { first: typedName(c.firstName, rand), last: typedName(c.lastName, rand) },
      contact: { email: c.email, phone: c.phone === null ? null : phoneAs(c.phone, rand.pick(PHONE_STYLES)) },
      shipping: a === null ? null : { line1: streetLine(a, rand.chance(0.5), rand), city: a.city, state: a.state, zip: a.zip },
      birthday: c.birth === null ? null : dateSpelled(c.birth),
      updated_at: isoTime(c.updatedAt),
      [TRUTH_COLUMN]: truth,
    })}\n`;
  },
  source: (name, path) => ({
    name, kind: 'jsonl', path, id: 'id', updatedAt: 'updated_at', trust: 0.5,
    fields: {
      firstName: 'name.first', lastName: 'name.last', email: 'contact.email', phone: 'contact.phone',
      street: 'shipping.line1', city: 'shipping.city', state: 'shipping.state', postcode: 'shipping.zip', birthDate: 'birthday',
    },
  }),
};
