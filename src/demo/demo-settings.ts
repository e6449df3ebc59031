import type { SettingsInput } from '../config/settings-schema.js';

/** The demo deployment: three connected systems of one company, matched into golden customers. */
export function demoSettings(options: { crmPath: string; shopUrl: string }): SettingsInput {
  return {
    name: 'demo',
    linkType: 'link_and_dedupe',
    defaults: { phoneRegion: 'US', dateOrder: 'MDY' },
    sources: [
      {
        name: 'crm', kind: 'csv', path: options.crmPath, id: 'customer_id', updatedAt: 'updated_at', trust: 0.7,
        fields: {
          firstName: 'first_name', lastName: 'last_name', email: 'email', phone: 'phone', street: 'street',
          city: 'city', state: 'state', postcode: 'zip', birthDate: 'date_of_birth',
        },
      },
      {
        name: 'billing', kind: 'postgres', urlEnv: 'DEMO_BILLING_URL', query: 'select * from demo_billing.accounts',
        id: 'account_no', updatedAt: 'last_modified', trust: 0.9, dateOrder: 'YMD',
        fields: {
          firstName: 'given_name', lastName: 'family_name', phone: 'phone_number', email: 'email_address',
          street: 'address_line1', city: 'town', postcode: 'postal_code', birthDate: 'birth_date',
        },
      },
      {
        name: 'shop', kind: 'http', url: options.shopUrl, tokenEnv: 'DEMO_SHOP_TOKEN', recordsPath: 'data',
        pagination: { type: 'cursor', cursorParam: 'cursor', nextCursorPath: 'next_cursor', sizeParam: 'limit', size: 100 },
        updatedSinceParam: 'updated_since', id: 'id', updatedAt: 'updated_at', trust: 0.5,
        fields: {
          firstName: 'name.first', lastName: 'name.last', email: 'contact.email', phone: 'contact.phone',
          street: 'shipping.line1', city: 'shipping.city', postcode: 'shipping.postcode', birthDate: 'birthday',
        },
      },
    ],
    exclude: [{ attribute: 'firstName', pattern: '^(meter|test)\\b', reason: 'utility meter or test account, not a customer' }],
    blocking: {
      rules: [['email'], ['phone'], ['lastName:soundex', 'birthDate'], ['firstName:soundex', 'postcode'], ['birthDate', 'postcode']],
    },
    comparisons: [
      { attribute: 'firstName', method: 'jaroWinkler', thresholds: [0.92, 0.8] },
      { attribute: 'lastName', method: 'jaroWinkler', thresholds: [0.92, 0.8] },
      { attribute: 'birthDate', method: 'damerauLevenshtein', thresholds: [1, 2] },
      { attribute: 'email', method: 'levenshtein', thresholds: [2] },
      { attribute: 'phone', method: 'exact' },
      { attribute: 'street', method: 'jaroWinkler', thresholds: [0.9, 0.8] },
      { attribute: 'city', method: 'exact' },
      { attribute: 'postcode', method: 'exact' },
    ],
    thresholds: { match: 0.9, review: 0.5 },
    survivorship: {
      default: { rule: 'mostFrequent' },
      attributes: {
        firstName: { rule: 'sourcePriority', order: ['billing', 'crm', 'shop'] },
        lastName: { rule: 'mostRecent' },
        email: { rule: 'mostRecent' },
        phone: { rule: 'mostRecent' },
        street: { rule: 'mostRecent' },
        city: { rule: 'mostRecent' },
        postcode: { rule: 'mostRecent' },
      },
    },
    run: { attempts: 3, backoffMs: 500, shards: 8 },
  };
}
