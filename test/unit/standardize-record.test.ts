import { describe, expect, it } from 'vitest';
import type { FieldMapping } from '../../src/config/settings-schema.js';
import { validateSettings } from '../../src/config/load-settings.js';
import { DEFAULT_ATTRIBUTES } from '../../src/model/attributes.js';
import { buildContext, lookup, sourceContexts, standardizeRecord, standardizeValue } from '../../src/standardize/record.js';

const ctx = buildContext({
  types: { ...DEFAULT_ATTRIBUTES, customerNo: 'code', company: 'orgName', notes: 'text' },
  phoneRegion: 'AU',
  dateOrder: 'DMY',
  exclude: [
    { attribute: 'lastName', pattern: '^test', reason: 'test account' },
    { attribute: 'email', pattern: '@meter\\.', reason: 'meter' },
  ],
});

const required = (column: string): FieldMapping => ({ column, join: ' ', required: true });
const joined = (columns: string[], join = ' ', isRequired = false): FieldMapping => ({ columns, join, required: isRequired });

describe('lookup', () => {
  it.each<[Record<string, unknown>, string, unknown]>([
    [{ a: 1 }, 'a', 1],
    [{ a: { b: { c: 'deep' } } }, 'a.b.c', 'deep'],
    [{ 'a.b': 'flat', a: { b: 'nested' } }, 'a.b', 'flat'], // an exact column name wins over the path
    [{ a: null }, 'a.b', undefined],
    [{ a: 'text' }, 'a.length', undefined], // paths only walk objects
    [{ a: { b: 1 } }, 'a.c', undefined],
    [{ a: 1 }, 'missing', undefined],
  ])('lookup(%j, %j) → %j', (row, column, expected) => {
    expect(lookup(row, column)).toEqual(expected);
  });
});

describe('standardizeRecord', () => {
  it('maps columns onto attributes and standardizes each by its type', () => {
    const out = standardizeRecord(
      { first: 'Dr. Ann', last: "O'Neil", dob: '13/03/1980', ph: '0412 345 678', mail: 'A.B+x@gmail.com', pc: 'sw1a 1aa', st: '12 Main Street', co: 'ACME Inc.', no: ' ab 12 ' },
      { firstName: 'first', lastName: 'last', birthDate: 'dob', phone: 'ph', email: 'mail', postcode: 'pc', street: 'st', company: 'co', customerNo: 'no' },
      ctx,
    );
    expect(out).toEqual({
      attrs: {
        firstName: 'ann',
        lastName: 'oneil',
        birthDate: '1980-03-13',
        phone: '+61412345678',
        email: 'ab@gmail.com',
        postcode: 'SW1A1AA',
        street: '12 main st',
        company: 'acme',
        customerNo: 'AB12',
      },
      issues: [],
      rejection: null,
      excludedBecause: null,
    });
  });

  it.each<[string, Record<string, unknown>, Record<string, FieldMapping>, Record<string, string | null>]>([
    ['columns joined with a space, missing and blank parts skipped', { a: '12', b: 'Main Street', c: null, d: '  ' }, { street: joined(['a', 'b', 'c', 'd']) }, { street: '12 main st' }],
    ['columns joined with a custom separator', { a: 'Mary', b: 'Kate' }, { fullName: joined(['a', 'b'], '-') }, { fullName: 'mary kate' }],
    ['all joined columns missing', { a: null, b: '' }, { street: joined(['a', 'b']) }, { street: null }],
    ['dot paths into nested JSON', { address: { city: 'Sydney', zip: 2000 } }, { city: 'address.city', postcode: 'address.zip' }, { city: 'sydney', postcode: '2000' }],
    ['a missing column', {}, { city: 'town' }, { city: null }],
    ['a placeholder value', { town: 'N/A' }, { city: 'town' }, { city: null }],
    ['numbers and booleans as text', { n: 12345, b: true }, { customerNo: 'n', gender: 'b' }, { customerNo: '12345', gender: 'TRUE' }],
    ['objects as JSON', { o: { x: 1 } }, { notes: 'o' }, { notes: '{"x":1}' }],
    ['an attribute of unknown type is text', { x: '  Some  Thing ' }, { whatever: 'x' }, { whatever: 'some thing' }],
    ['an unambiguous date', { dob: '03/14/1980' }, { birthDate: 'dob' }, { birthDate: '1980-03-14' }],
  ])('%s', (_label, row, fields, attrs) => {
    const out = standardizeRecord(row, fields, ctx);
    expect(out.attrs).toEqual(attrs);
    expect(out.issues).toEqual([]);
    expect(out.rejection).toBeNull();
  });

  it('reads an ambiguous date in the source\'s order and notes the other reading as an issue', () => {
    const out = standardizeRecord({ dob: '03/04/1980' }, { birthDate: 'dob' }, ctx);
    expect(out.attrs).toEqual({ birthDate: '1980-04-03' });
    expect(out.issues).toEqual([{ field: 'birthDate', column: 'dob', reason: 'ambiguous day and month in "03/04/1980": read as DMY (1980-04-03), could be 1980-03-04' }]);
    expect(out.rejection).toBeNull();
  });

  it('reports an invalid value as an issue and still keeps the rest', () => {
    const out = standardizeRecord({ dob: '31/02/1980', mail: 'not-an-email', last: 'Smith' }, { birthDate: 'dob', email: 'mail', lastName: 'last' }, ctx);
    expect(out.attrs).toEqual({ birthDate: null, email: null, lastName: 'smith' });
    expect(out.issues).toEqual([
      { field: 'birthDate', column: 'dob', reason: 'day 31 out of range for 1980-02' },
      { field: 'email', column: 'mail', reason: 'not an email address' },
    ]);
    expect(out.rejection).toBeNull();
  });

  it('names every joined column in an issue', () => {
    const out = standardizeRecord({ d: '31', m: '02', y: '1980' }, { birthDate: joined(['d', 'm', 'y'], '/') }, ctx);
    expect(out.issues).toEqual([{ field: 'birthDate', column: 'd+m+y', reason: 'day 31 out of range for 1980-02' }]);
  });

  it.each<[string, Record<string, unknown>, Record<string, FieldMapping>, { field: string; column: string; reason: string }]>([
    ['a required value missing', { dob: '' }, { birthDate: required('dob') }, { field: 'birthDate', column: 'dob', reason: 'required value is missing' }],
    ['a required column absent', {}, { email: required('mail') }, { field: 'email', column: 'mail', reason: 'required value is missing' }],
    ['a required placeholder', { last: 'unknown' }, { lastName: required('last') }, { field: 'lastName', column: 'last', reason: 'required value is missing' }],
    ['a required value invalid', { dob: '31/02/1980' }, { birthDate: required('dob') }, { field: 'birthDate', column: 'dob', reason: 'day 31 out of range for 1980-02' }],
    ['required joined columns all missing', { a: null, b: ' ' }, { street: joined(['a', 'b'], ' ', true) }, { field: 'street', column: 'a+b', reason: 'required value is missing' }],
  ])('rejects the record: %s', (_label, row, fields, rejection) => {
    expect(standardizeRecord(row, fields, ctx).rejection).toEqual(rejection);
  });

  it('keeps the first rejection when several required values are missing', () => {
    const out = standardizeRecord({}, { lastName: required('last'), email: required('mail') }, ctx);
    expect(out.rejection).toEqual({ field: 'lastName', column: 'last', reason: 'required value is missing' });
  });

  it('does not reject when a required value is present and valid', () => {
    const out = standardizeRecord({ dob: '1980-03-12' }, { birthDate: required('dob') }, ctx);
    expect(out.rejection).toBeNull();
    expect(out.attrs.birthDate).toBe('1980-03-12');
  });

  it.each<[Record<string, unknown>, string | null]>([
    [{ last: 'TestUser', mail: 'a@example.com' }, 'test account'], // case-insensitive, on the standardized value
    [{ last: 'Smith', mail: 'x@meter.example.com' }, 'meter'],
    [{ last: 'Test', mail: 'x@meter.example.com' }, 'test account'], // first matching rule wins
    [{ last: 'Contest', mail: 'a@example.com' }, null], // anchored pattern
    [{ last: null, mail: null }, null],
  ])('exclude rules: %j → %j', (row, reason) => {
    expect(standardizeRecord(row, { lastName: 'last', email: 'mail' }, ctx).excludedBecause).toBe(reason);
  });
});

describe('standardizeValue', () => {
  it.each([
    ['name', 'Dr. Ann Lee', 'ann lee'],
    ['fullName', 'Mr John Smith Jr', 'john smith'],
    ['orgName', 'Foo Ltd', 'foo'],
    ['email', 'X@Y.com', 'x@y.com'],
    ['phone', '(415) 555-2671', '+14155552671'],
    ['date', '04/13/1980', '1980-04-13'],
    ['postcode', '12345-6789', '12345'],
    ['address', '1 Main Street', '1 main st'],
    ['code', 'nsw', 'NSW'],
    ['text', ' Big  City ', 'big city'],
  ] as const)('%s: %j → %j', (type, raw, expected) => {
    expect(standardizeValue(type, raw, { phoneRegion: 'US', dateOrder: 'MDY' })).toBe(expected);
  });

  it('notes an ambiguous day and month instead of guessing silently', () => {
    expect(standardizeValue('date', '04/03/1980', { phoneRegion: 'US', dateOrder: 'MDY' })).toEqual({
      value: '1980-04-03', note: 'ambiguous day and month in "04/03/1980": read as MDY (1980-04-03), could be 1980-03-04',
    });
  });

  it('returns the reason for an unusable value', () => {
    expect(standardizeValue('phone', '123', { phoneRegion: 'US', dateOrder: 'MDY' })).toEqual({ invalid: 'not a possible phone number' });
  });
});

describe('sourceContexts', () => {
  it('gives each source the defaults unless it sets its own date order or phone region', () => {
    const settings = validateSettings({
      name: 'ctx',
      defaults: { phoneRegion: 'AU', dateOrder: 'DMY' },
      sources: [
        { name: 'crm', kind: 'jsonl', path: '/a.jsonl', id: 'id', fields: { lastName: 'last' } },
        { name: 'us_shop', kind: 'jsonl', path: '/b.jsonl', id: 'id', fields: { lastName: 'last' }, dateOrder: 'MDY', phoneRegion: 'US' },
      ],
      exclude: [{ attribute: 'lastName', pattern: '^test', reason: 'test' }],
      blocking: { rules: [['lastName']] },
      comparisons: [{ attribute: 'lastName', method: 'exact' }],
    });
    const contexts = sourceContexts(settings);
    expect(contexts.get('crm')).toMatchObject({ phoneRegion: 'AU', dateOrder: 'DMY' });
    expect(contexts.get('us_shop')).toMatchObject({ phoneRegion: 'US', dateOrder: 'MDY' });
    expect(contexts.get('crm')!.exclude[0]!.pattern.test('TESTER')).toBe(true);
    expect(contexts.get('crm')!.types.lastName).toBe('name');
  });
});
