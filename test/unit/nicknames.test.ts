import { describe, expect, it } from 'vitest';
import { canonicalForms, loadNicknames, parseNicknames } from '../../src/standardize/nicknames.js';

const small = parseNicknames([
  'name1,relationship,name2',
  'robert,has_nickname,bob',
  'robert,has_nickname,rob',
  'robin,has_nickname,rob',
  'william,has_nickname,bill',
  'william,is_related_to,liam', // other relations are not nicknames
  '',
].join('\n'));

describe('parseNicknames', () => {
  it('reads both directions of has_nickname only', () => {
    expect(small.nicknamesOf.get('robert')).toEqual(['bob', 'rob']);
    expect(small.namesFor.get('rob')).toEqual(['robert', 'robin']);
    expect(small.namesFor.has('liam')).toBe(false);
  });
});

describe('canonicalForms', () => {
  it.each<[string, string[]]>([
    ['bob', ['robert']],
    ['rob', ['robert', 'robin']],
    ['robert', ['robert']], // a full name with nicknames is its own canonical form
    ['bill', ['william']],
    ['liam', []],
    ['zed', []],
  ])('%s → %j', (name, forms) => {
    expect(canonicalForms(small, name)).toEqual(forms);
  });

  it('uses the shipped list: bob and robert meet, peggy is short for margaret', () => {
    const table = loadNicknames();
    expect(canonicalForms(table, 'bob')).toContain('robert');
    expect(canonicalForms(table, 'robert')).toContain('robert');
    expect(canonicalForms(table, 'peggy')).toContain('margaret');
    expect(table.nicknamesOf.size).toBeGreaterThan(500);
  });
});
