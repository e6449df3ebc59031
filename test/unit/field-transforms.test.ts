import { describe, expect, it } from 'vitest';
import { validateSettings } from '../../src/config/load-settings.js';
import { createConnector } from '../../src/connectors/create-connector.js';
import { applyTransforms, splitFullName } from '../../src/standardize/field-transforms.js';
import { buildContext, standardizeRecord } from '../../src/standardize/record.js';
import { DEFAULT_ATTRIBUTES } from '../../src/model/attributes.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('splitFullName', () => {
  it.each([
    ['Smith, John A.', { first: 'John', middle: 'A.', last: 'Smith' }],
    ['John A. Smith', { first: 'John', middle: 'A.', last: 'Smith' }],
    ['Dr. John Smith Jr.', { first: 'John', middle: null, last: 'Smith' }],
    ['John Smith, Jr.', { first: 'John', middle: null, last: 'Smith' }],
    ['Maria de la Cruz', { first: 'Maria', middle: null, last: 'de la Cruz' }],
    ['van der Berg, Anna', { first: 'Anna', middle: null, last: 'van der Berg' }],
    ['Cher', { first: null, middle: null, last: 'Cher' }],
    ['Miss, Patricia', { first: 'Patricia', middle: null, last: 'Miss' }],
    ['Mrs. Patricia Miss', { first: 'Patricia', middle: null, last: 'Miss' }],
    ['Smith, Dr. John', { first: 'John', middle: null, last: 'Smith' }],
    ['Mary Ann Lee Jones', { first: 'Mary', middle: 'Ann Lee', last: 'Jones' }],
  ])('%s', (text, parts) => {
    expect(splitFullName(text)).toEqual(parts);
  });
});

describe('applyTransforms', () => {
  const base = { join: ' ', required: false } as const;
  it.each([
    [{ ...base, column: 'n', split: 'last' as const }, 'Smith, John', 'Smith'],
    [{ ...base, column: 'a', pattern: '^(\\d+)' }, '123 Main St', '123'],
    [{ ...base, column: 'a', pattern: '^\\d+\\s+(.*)$' }, '123 Main St', 'Main St'],
    [{ ...base, column: 'a', pattern: '^(\\d+)' }, 'Main St', null],
    [{ ...base, column: 's', map: { A: 'active', C: 'closed' } }, 'C', 'closed'],
    [{ ...base, column: 's', map: { A: 'active' } }, 'Q', 'Q'],
    [{ ...base, column: 's', map: { A: 'active' }, default: 'unknown' }, 'Q', 'unknown'],
    [{ ...base, column: 's', map: { A: 'active' }, default: 'unknown' }, null, 'unknown'],
    [{ ...base, column: 's', map: { X: null } }, 'X', null],
  ])('%j on %s', (mapping, raw, expected) => {
    expect(applyTransforms(raw, mapping)).toBe(expected);
  });

  it('maps a full name in one column onto first and last name through the record standardizer', () => {
    const ctx = buildContext({ types: DEFAULT_ATTRIBUTES, phoneRegion: 'US', dateOrder: 'MDY', exclude: [] });
    const result = standardizeRecord({ name: 'SMITH, Jonathan Q', status: 'A' }, {
      firstName: { column: 'name', split: 'first', join: ' ', required: false },
      lastName: { column: 'name', split: 'last', join: ' ', required: true },
    }, ctx);
    expect(result.attrs.firstName).toBe('jonathan');
    expect(result.attrs.lastName).toBe('smith');
    expect(result.rejection).toBeNull();
  });
});

describe('settings', () => {
  const settings = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    name: 't',
    sources: [{ name: 'a', kind: 'csv', path: 'a.csv', id: 'id', fields, ...extra }],
    blocking: { rules: [['lastName']] },
    comparisons: [{ attribute: 'lastName', method: 'levenshtein' }],
  });

  it('rejects a pattern that is not a regular expression with a capture group', () => {
    expect(() => validateSettings(settings({ lastName: { column: 'n', pattern: '[a-' } }))).toThrow(/sources\[0\]\.fields\.lastName\.pattern: must be a valid regular expression/);
    expect(() => validateSettings(settings({ lastName: { column: 'n', pattern: '^\\w+' } }))).toThrow(/capture group/);
  });

  it('reads one account row as a record per contact, skipping empty contacts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'goldrun-contacts-'));
    const file = join(dir, 'accounts.csv');
    await writeFile(file, 'acct,c1_name,c1_mail,c2_name,c2_mail,city\nA1,"Smith, Ann",ann@x.com,"Smith, Bob",bob@x.com,Springfield\nA2,"Lee, Kim",,,,Shelbyville\n');
    const s = validateSettings(settings({ lastName: { column: 'name', split: 'last' }, email: 'mail', city: 'city' }, {
      path: file, id: 'acct',
      contacts: [{ suffix: '1', columns: { name: 'c1_name', mail: 'c1_mail' } }, { suffix: '2', columns: { name: 'c2_name', mail: 'c2_mail' } }],
    }));
    const rows = [];
    for await (const row of createConnector(s.sources[0]!, () => undefined).rows({ watermark: null })) rows.push(row);
    expect(rows).toEqual([
      { kind: 'row', rowNumber: 2, values: { acct: 'A1#1', city: 'Springfield', name: 'Smith, Ann', mail: 'ann@x.com' } },
      { kind: 'row', rowNumber: 2, values: { acct: 'A1#2', city: 'Springfield', name: 'Smith, Bob', mail: 'bob@x.com' } },
      { kind: 'row', rowNumber: 3, values: { acct: 'A2#1', city: 'Shelbyville', name: 'Lee, Kim', mail: null } },
    ]);
  });
});
