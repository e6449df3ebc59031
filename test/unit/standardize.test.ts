import { describe, expect, it } from 'vitest';
import { standardizeAddress } from '../../src/standardize/address.js';
import { standardizeDate, type DateOrder } from '../../src/standardize/date.js';
import { standardizeEmail } from '../../src/standardize/email.js';
import { standardizeName, standardizeOrgName } from '../../src/standardize/name.js';
import { standardizePhone } from '../../src/standardize/phone.js';
import { standardizePostcode } from '../../src/standardize/postcode.js';
import { foldText, isPlaceholder, standardizeCode } from '../../src/standardize/text.js';

describe('foldText', () => {
  it.each([
    ['Müller', 'muller'],
    ['  Anna   Maria\tSMITH ', 'anna maria smith'],
    ['José', 'jose'],
    ['Straße', 'strasse'],
    ['STRAẞE', 'strasse'], // capital sharp s lower-cases to ß first
    ['Øre', 'ore'],
    ['Łódź', 'lodz'],
    ['ﬁsh', 'fish'], // compatibility ligature
    ['Ｆｕｌｌ', 'full'], // full-width letters
    ['none of it', 'none of it'], // a placeholder word inside real text stays
    ['Main  St', 'main st'], // plain ASCII, but spaces to collapse
    [' Main St', 'main st'],
    ['Main St\r', 'main st'],
    ['MAIN ST', 'main st'],
    ['a\u0001b', 'a\u0001b'], // a control character is not space: kept, as the full fold keeps it
  ])('%j → %j', (raw, expected) => {
    expect(foldText(raw)).toBe(expected);
  });

  it.each(['N/A', 'n/a', 'NA ', 'NULL', 'None', 'Unknown', 'nil', '-', '--', '?', 'TBD', 'Not Known', 'not applicable', '', '   '])(
    'placeholder %j → null',
    (raw) => {
      expect(foldText(raw)).toBeNull();
    },
  );

  it.each([null, undefined])('%s → null', (raw) => {
    expect(foldText(raw)).toBeNull();
  });

  it.each([
    ['n/a', true],
    ['unknown', true],
    ['N/A', false], // expects folded input
    ['anna', false],
  ])('isPlaceholder(%j) → %s', (folded, expected) => {
    expect(isPlaceholder(folded)).toBe(expected);
  });
});

describe('standardizeCode', () => {
  it.each([
    ['ab 12 cd', 'AB12CD'],
    ['a.b.c', 'ABC'],
    [' x ', 'X'],
    ['é1', 'E1'],
    ['123-45', '123-45'],
    ['N/A', null],
    ['..', null],
    ['', null],
    [null, null],
  ])('%j → %j', (raw, expected) => {
    expect(standardizeCode(raw)).toBe(expected);
  });
});

describe('standardizeName', () => {
  it.each([
    ["O'Neil", 'oneil'],
    ['D’Arcy', 'darcy'],
    ['Smith-Jones', 'smith jones'],
    ['Dr. Robert J. Smith Jr.', 'robert j smith'],
    ['Mary-Kate Olsen III', 'mary kate olsen'],
    ['Sir Elton John', 'elton john'],
    ['M. Dupont', 'dupont'],
    ['José  Müller', 'jose muller'],
    ['Øyvind Łukasz', 'oyvind lukasz'],
    // A title only counts at the start; a single token is kept whatever it is.
    ['John Mr', 'john mr'],
    ['Dr', 'dr'],
    ['Jr', 'jr'],
    // Nothing but a title and a suffix leaves nothing.
    ['Mr Jr', null],
    ['---', null],
    ['N/A', null],
    ['   ', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (raw, expected) => {
    expect(standardizeName(raw)).toBe(expected);
  });
});

describe('standardizeOrgName', () => {
  it.each([
    ['ACME Holdings, Inc.', 'acme holdings'],
    ['Foo Pty Ltd', 'foo'], // several legal forms at the end
    ['Siemens AG', 'siemens'],
    ['Volvo AB', 'volvo'],
    ['AB Volvo', 'ab volvo'], // only trailing legal forms go
    ['Smith & Sons LLC', 'smith and sons'],
    ['Inc', 'inc'], // never strips the last token
    ['Müller GmbH', 'muller'],
    ['N/A', null],
    [null, null],
  ])('%j → %j', (raw, expected) => {
    expect(standardizeOrgName(raw)).toBe(expected);
  });
});

describe('standardizeEmail', () => {
  it.each([
    ['John.Doe+tag@GoogleMail.com', 'johndoe@gmail.com'],
    ['A.B@Gmail.Com', 'ab@gmail.com'],
    ['  x.y+z@outlook.com ', 'x.y@outlook.com'], // tags dropped, dots kept
    ['first.last+news@icloud.com', 'first.last@icloud.com'],
    ['a.b+c@example.com', 'a.b+c@example.com'], // unknown provider: untouched
    ['mailto:A@B.com', 'a@b.com'],
    ['MAILTO:x@y.com', 'x@y.com'],
    ['x@sub.example.co.uk', 'x@sub.example.co.uk'],
  ])('%j → %j', (raw, expected) => {
    expect(standardizeEmail(raw)).toEqual({ value: expected });
  });

  it.each([
    ['no-at', 'not an email address'],
    ['a@b', 'not an email address'], // no dot in the domain
    ['a@@b.com', 'not an email address'],
    ['a@-b.com', 'not an email address'],
    ['john doe@example.com', 'not an email address'],
    ['+tag@gmail.com', 'empty mailbox'],
    ['...@gmail.com', 'empty mailbox'],
  ])('%j is invalid: %s', (raw, reason) => {
    expect(standardizeEmail(raw)).toEqual({ invalid: reason });
  });

  it.each([null, undefined, '', '   '])('%j → null', (raw) => {
    expect(standardizeEmail(raw)).toBeNull();
  });
});

describe('standardizePhone', () => {
  it.each([
    ['0412 345 678', 'AU', '+61412345678'],
    ['(02) 9876 5432', 'AU', '+61298765432'],
    ['+61 412 345 678', 'AU', '+61412345678'],
    ['0061 412 345 678', 'AU', '+61412345678'],
    ['0412 345 678', 'au', '+61412345678'], // region case does not matter
    ['+1 415 555 2671', 'AU', '+14155552671'], // an explicit country code wins over the region
    ['(415) 555-2671', 'US', '+14155552671'],
    ['415.555.2671', 'US', '+14155552671'],
    ['1-415-555-2671', 'US', '+14155552671'],
    ['+44 (0)20 7946 0958', 'US', '+442079460958'],
    ['00442079460958', 'US', '+442079460958'],
    ['011 44 20 7946 0958', 'US', '+442079460958'],
    ['0011 44 20 7946 0958', 'AU', '+442079460958'], // Australia's own international prefix
  ])('%j in %s → %s', (raw, region, expected) => {
    expect(standardizePhone(raw, region)).toEqual({ value: expected });
  });

  it.each([
    ['123', 'AU'],
    ['555', 'US'],
    ['04123456789999999', 'AU'],
  ])('%j in %s is not a possible number', (raw, region) => {
    expect(standardizePhone(raw, region)).toEqual({ invalid: 'not a possible phone number' });
  });

  it.each([null, undefined, '', '   ', 'abc', 'n/a'])('%j → null', (raw) => {
    expect(standardizePhone(raw, 'AU')).toBeNull();
  });
});

describe('standardizeDate', () => {
  const today = new Date('2024-06-01T00:00:00Z');

  it.each<[string, DateOrder, string]>([
    // Formats from the doc comment.
    ['19800312', 'DMY', '1980-03-12'],
    ['1980-03-12', 'DMY', '1980-03-12'],
    ['1980/3/2', 'MDY', '1980-03-02'],
    ['12/03/1980', 'DMY', '1980-03-12'],
    ['12.03.1980', 'DMY', '1980-03-12'],
    ['12-03-1980', 'DMY', '1980-03-12'],
    ['12 Mar 1980', 'DMY', '1980-03-12'],
    ['12-mar-80', 'MDY', '1980-03-12'],
    ['1 Sept 1980', 'MDY', '1980-09-01'],
    ['5 september 1980', 'DMY', '1980-09-05'],
    ['March 12, 1980', 'DMY', '1980-03-12'],
    ['Mar. 12th 1980', 'DMY', '1980-03-12'],
    ['1980-03-12T10:11:12Z', 'MDY', '1980-03-12'],
    ['1980-03-12T10:11:12.345Z', 'DMY', '1980-03-12'],
    ['1980-03-12 10:11:12+02:00', 'DMY', '1980-03-12'],
    ['  1980-03-12  ', 'DMY', '1980-03-12'],
    // Ambiguous day and month follow the order...
    ['03/04/1980', 'DMY', '1980-04-03'],
    ['03/04/1980', 'MDY', '1980-03-04'],
    // ...unless one part cannot be a month.
    ['13/03/1980', 'MDY', '1980-03-13'],
    ['03/13/1980', 'DMY', '1980-03-13'],
    ['13/03/1980', 'DMY', '1980-03-13'],
    ['03/13/1980', 'MDY', '1980-03-13'],
    // Leap years.
    ['29/02/1980', 'DMY', '1980-02-29'],
    ['29/02/2000', 'DMY', '2000-02-29'],
    // Two-digit years: up to this year's two digits is this century, above is the last.
    ['01/01/24', 'DMY', '2024-01-01'],
    ['01/01/25', 'DMY', '1925-01-01'],
    ['01/01/99', 'DMY', '1999-01-01'],
    ['01/01/00', 'DMY', '2000-01-01'],
  ])('%j read %s → %s', (raw, order, expected) => {
    expect(standardizeDate(raw, order, today)).toMatchObject({ value: expected });
  });

  it.each([
    ['03/04/1980', 'DMY', '1980-04-03', '1980-03-04'],
    ['03/04/1980', 'MDY', '1980-03-04', '1980-04-03'],
    ['3.4.80', 'DMY', '1980-04-03', '1980-03-04'],
  ] as const)('%j read %s keeps the other reading: %s, could be %s', (raw, order, value, alternative) => {
    expect(standardizeDate(raw, order, today)).toEqual({ value, alternative });
  });

  it.each(['05/05/1980', '13/03/1980', '1980-03-04', '19800304'])('%j has only one reading', (raw) => {
    expect(standardizeDate(raw, 'DMY', today)).not.toHaveProperty('alternative');
  });

  it.each([
    ['31/02/1980', 'day 31 out of range for 1980-02'],
    ['29/02/1900', 'day 29 out of range for 1900-02'], // century, not a leap year
    ['29/02/1981', 'day 29 out of range for 1981-02'],
    ['31/04/1980', 'day 31 out of range for 1980-04'],
    ['1980-02-30', 'day 30 out of range for 1980-02'],
    ['1980-03-00', 'day 0 out of range for 1980-03'],
    ['13/13/1980', 'month 13 out of range'],
    ['19801312', 'month 13 out of range'],
    ['1980-00-10', 'month 0 out of range'],
    ['1799-01-01', 'year 1799 out of range'],
    ['2201-01-01', 'year 2201 out of range'],
    ['12 Foo 1980', 'unknown month "foo"'],
    ['Foo 12, 1980', 'unknown month "foo"'],
    ['hello', 'unrecognised date format'],
    ['1980', 'unrecognised date format'],
    ['12/03', 'unrecognised date format'],
  ])('%j is invalid: %s', (raw, reason) => {
    expect(standardizeDate(raw, 'DMY', today)).toEqual({ invalid: reason });
  });

  it.each([null, undefined, '', '   ', '0', '00000000', '0000-00-00', '00/00/0000'])('%j → null', (raw) => {
    expect(standardizeDate(raw, 'DMY', today)).toBeNull();
  });

  it('reads two-digit years relative to the given day', () => {
    expect(standardizeDate('01/01/30', 'DMY', new Date('2035-01-01T00:00:00Z'))).toEqual({ value: '2030-01-01' });
    expect(standardizeDate('01/01/30', 'DMY', new Date('2029-12-31T00:00:00Z'))).toEqual({ value: '1930-01-01' });
  });
});

describe('standardizePostcode', () => {
  it.each([
    ['SW1A 1AA', 'SW1A1AA'],
    ['sw1a 1aa', 'SW1A1AA'],
    ['2000', '2000'],
    [' 2000 ', '2000'],
    ['12345-6789', '12345'], // ZIP+4 keeps its five digits
    ['12345 - 6789', '12345'],
    ['123456789', '123456789'], // nine digits without a dash are not ZIP+4
    ['AB-12', 'AB12'],
    ['N/A', null],
    ['2000?', null],
    ['', null],
    ['  ', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (raw, expected) => {
    expect(standardizePostcode(raw)).toBe(expected);
  });
});

describe('standardizeAddress', () => {
  it.each([
    ['12 Main Street', '12 main st'],
    ['12 main st.', '12 main st'],
    ['42 Northeast Boulevard', '42 ne blvd'],
    ['Apt 5, 12 North Road', 'unit 5 12 n rd'],
    ['Suite 200, 1 Market Pl', 'unit 200 1 market pl'],
    ['#5 12 Main St', 'unit 5 12 main st'],
    ['Flat 3 9 High Street', 'unit 3 9 high st'],
    ['No 5 Mount Avenue', 'unit 5 mt ave'],
    ['Level 3, 100 George St', 'lvl 3 100 george st'],
    ['Flat Street', 'flat st'], // a unit word not followed by a number is just a word
    ['Rue de la Paix', 'rue de la paix'],
    ['Königsallee 1', 'konigsallee 1'],
    ['Constructor St', 'constructor st'], // words that name an object's built-in properties are words
    ['1 toString Road', '1 tostring rd'],
    ['12#4 Main-St', '12 unit 4 main st'],
    ['N/A', null],
    ['...', null],
    ['   ', null],
    [null, null],
  ])('%j → %j', (raw, expected) => {
    expect(standardizeAddress(raw)).toBe(expected);
  });

  it('makes different spellings of one address agree', () => {
    const spellings = ['12 North Main Street, Apartment 4', '12 N. Main St., Apt 4', '12 n main st apt 4'];
    const out = new Set(spellings.map(standardizeAddress));
    expect([...out]).toEqual(['12 n main st unit 4']);
  });
});
