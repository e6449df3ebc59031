import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPath, loadSettings, settingsFingerprint, validateSettings } from '../../src/config/load-settings.js';
import { SettingsError } from '../../src/errors.js';

const examples = resolve(import.meta.dirname, '../../examples');

/** Valid settings with two sources; each test breaks one thing. */
function base(): Record<string, any> {
  return {
    name: 'crm_test',
    sources: [
      { name: 'crm', kind: 'csv', path: 'data/crm.csv', id: 'id', fields: { firstName: 'first', lastName: 'last' } },
      { name: 'shop', kind: 'jsonl', path: '/abs/shop.jsonl', id: 'id', fields: { firstName: 'fn', email: 'mail' } },
    ],
    blocking: { rules: [['lastName:soundex'], ['email']] },
    comparisons: [{ attribute: 'firstName', method: 'jaroWinkler' }, { attribute: 'lastName', method: 'levenshtein' }],
  };
}

/** The problems validateSettings reports, or [] when it accepts the settings. */
function problemsOf(raw: unknown): string[] {
  try {
    validateSettings(raw);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    return (err as SettingsError).problems;
  }
}

describe('validateSettings', () => {
  it('validates its own output unchanged, as runs store settings and read them back', () => {
    const raw = base();
    raw.comparisons = [
      { attribute: 'firstName', levels: ['nickname', { reversed: 'lastName', jaroWinkler: 0.95 }, { jaroWinkler: 0.9 }, 'metaphone'], termFrequency: true },
      { attribute: 'lastName', method: 'levenshtein', thresholds: [1, 2], label: 'Surname' },
    ];
    raw.thresholds = { matchWeight: 6, reviewWeight: 1 };
    const once = validateSettings(raw);
    const twice = validateSettings(JSON.parse(JSON.stringify(once)));
    expect(twice).toEqual(once);
  });

  it('accepts valid settings and fills in defaults', () => {
    const settings = validateSettings(base());
    expect(settings.linkType).toBe('link_and_dedupe');
    expect(settings.defaults).toEqual({ phoneRegion: 'US', dateOrder: 'DMY' });
    expect(settings.thresholds).toEqual({ match: 0.9, review: 0.5 });
    expect(settings.blocking.maxBlockSize).toBe(1000);
    expect(settings.survivorship.default).toEqual({ rule: 'mostFrequent' });
    expect(settings.comparisons).toEqual([
      { attribute: 'firstName', label: 'firstName', levels: [{ kind: 'jaroWinkler', threshold: 0.92 }, { kind: 'jaroWinkler', threshold: 0.8 }], termFrequency: false },
      { attribute: 'lastName', label: 'lastName', levels: [{ kind: 'levenshtein', max: 1 }, { kind: 'levenshtein', max: 2 }], termFrequency: false },
    ]);
    expect(settings.sources[0]).toMatchObject({ delimiter: ',', quote: '"', encoding: 'utf8', trim: true, trust: 0.5 });
    expect(settings.sources[0]).toMatchObject({ path: 'data/crm.csv' }); // no baseDir: left as given
  });

  it.each<[string, (s: Record<string, any>) => void, string[]]>([
    // Schema problems, each with its path.
    ['a csv source without path', (s) => {
      s.sources[1].kind = 'csv';
      delete s.sources[1].path;
    }, ['sources[1].path: required']],
    ['a source without id', (s) => delete s.sources[0].id, ['sources[0].id: required']],
    ['a bad name', (s) => (s.name = '1crm'), ['name: must start with a letter and hold only letters, digits and _']],
    ['an unknown key', (s) => (s.extra = true), ['(root): Unrecognized key: "extra"']],
    ['a field mapping with both column and columns', (s) => (s.sources[0].fields.firstName = { column: 'a', columns: ['b'] }), ['sources[0].fields.firstName: give either column or columns']],
    ['a bad blocking transform', (s) => (s.blocking.rules = [['lastName:prefix(0)']]), ['blocking.rules[0][0]: use attribute or attribute:transform (exact, soundex, metaphone, initial, year, sortedTokens, localPart, domain, dayMonthAnyOrder, prefix(n))']],
    ['both a method and levels', (s) => (s.comparisons[0].levels = ['nickname']), ['comparisons[0].levels: give either method (with thresholds) or levels, not both']],
    ['an unknown level', (s) => (s.comparisons[0] = { attribute: 'firstName', levels: ['soundsLike'] }), ['comparisons[0].levels[0]: ']],
    ['a level no pair can reach', (s) => (s.comparisons[0] = { attribute: 'firstName', levels: [{ jaroWinkler: 0.8 }, 'nickname', { jaroWinkler: 0.9 }] }), ['comparisons[0].levels[2]: never reached, an earlier level (jaro-winkler ≥ 0.8) takes every pair it would']],
    ['a reversed level on an unmapped attribute', (s) => (s.comparisons[0] = { attribute: 'firstName', levels: [{ reversed: 'middleName' }] }), ['comparisons[0].levels[0].reversed: no source maps attribute "middleName"']],
    ['only one weight threshold', (s) => (s.thresholds = { matchWeight: 5 }), ['thresholds: give both matchWeight and reviewWeight, or neither']],
    ['review weight above match weight', (s) => (s.thresholds = { matchWeight: 2, reviewWeight: 4 }), ['thresholds.reviewWeight: must not be above thresholds.matchWeight']],
    ['an unknown training method', (s) => (s.model = { training: 'labels' }), ['model.training: ']],
    ['a threshold of 1', (s) => (s.thresholds = { match: 1 }), ['thresholds.match: ']],
    // Cross-references between parts.
    ['an unknown attribute in comparisons', (s) => s.comparisons.push({ attribute: 'shoeSize', method: 'exact' }), ['comparisons[2].attribute: unknown attribute "shoeSize"']],
    ['a blocking rule on an attribute no source maps', (s) => s.blocking.rules.push(['phone']), ['blocking.rules[2][0]: no source maps attribute "phone"']],
    ['a comparison on an attribute no source maps', (s) => s.comparisons.push({ attribute: 'birthDate', method: 'exact' }), ['comparisons[2].attribute: no source maps attribute "birthDate"']],
    ['a source field of an unknown attribute', (s) => (s.sources[0].fields.shoeSize = 'shoe'), ['sources[0].fields.shoeSize: unknown attribute (declare it under attributes)']],
    ['the review threshold above match', (s) => (s.thresholds = { match: 0.6, review: 0.8 }), ['thresholds.review: must not be above thresholds.match']],
    ['duplicate source names', (s) => (s.sources[1].name = 'crm'), ['sources[1].name: "crm" is used by another source']],
    ['jaro-winkler thresholds out of order', (s) => (s.comparisons[0].thresholds = [0.8, 0.92]), ['comparisons[0].thresholds: list them from closest to loosest (0.92, 0.8)']],
    ['levenshtein thresholds out of order', (s) => (s.comparisons[1].thresholds = [3, 1, 2]), ['comparisons[1].thresholds: list them from closest to loosest (1, 2, 3)']],
    ['an attribute compared twice', (s) => s.comparisons.push({ attribute: 'firstName', method: 'exact' }), ['comparisons[2].attribute: "firstName" is compared twice']],
    ['a bad exclude pattern', (s) => (s.exclude = [{ attribute: 'lastName', pattern: '(', reason: 'x' }]), ['exclude[0].pattern: Invalid regular expression']],
    ['an unknown source in a survivorship order', (s) => (s.survivorship = { default: { rule: 'sourcePriority', order: ['crm', 'erp'] } }), ['survivorship.default.order[1]: unknown source "erp"']],
    ['survivorship for an unknown attribute', (s) => (s.survivorship = { attributes: { shoeSize: { rule: 'longest' } } }), ['survivorship.attributes.shoeSize: unknown attribute']],
    ['a decay without half-life', (s) => (s.survivorship = { default: { rule: 'trustDecay' } }), ['survivorship.default.halfLifeDays: ']],
    ['attribute trust for an attribute the source does not map', (s) => (s.sources[0].attributeTrust = { shoeSize: 0.9 }), ['sources[0].attributeTrust.shoeSize: this source does not map attribute "shoeSize"']],
    ['attribute trust above 1', (s) => (s.sources[0].attributeTrust = { firstName: 1.5 }), ['sources[0].attributeTrust.firstName: ']],
    ['link_only with one source', (s) => {
      s.linkType = 'link_only';
      s.sources.pop();
      s.blocking.rules.pop();
    }, ['linkType: link_only needs at least two sources']],
  ])('reports %s', (_label, breakIt, expected) => {
    const raw = base();
    breakIt(raw);
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((message, i) => expect(problems[i]).toContain(message));
  });

  it('reports every schema problem at once', () => {
    const raw = base();
    raw.name = '1crm';
    delete raw.sources[0].id;
    raw.comparisons[0].method = 'fuzzy';
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^name: /);
    expect(problems[1]).toBe('sources[0].id: required');
    expect(problems[2]).toMatch(/^comparisons\[0\]\.method: /);
  });

  it('reports every cross-reference problem at once', () => {
    const raw = base();
    raw.sources[1].name = 'crm';
    raw.thresholds = { match: 0.6, review: 0.8 };
    raw.blocking.rules.push(['phone']);
    expect(problemsOf(raw)).toEqual([
      'sources[1].name: "crm" is used by another source',
      'blocking.rules[2][0]: no source maps attribute "phone"',
      'thresholds.review: must not be above thresholds.match',
    ]);
  });

  it('accepts an attribute declared under attributes', () => {
    const raw = base();
    raw.attributes = { loyaltyNo: 'code' };
    raw.sources[0].fields.loyaltyNo = 'loyalty';
    raw.comparisons.push({ attribute: 'loyaltyNo', method: 'exact' });
    expect(problemsOf(raw)).toEqual([]);
  });

  it('accepts review equal to match', () => {
    const raw = base();
    raw.thresholds = { match: 0.8, review: 0.8 };
    expect(problemsOf(raw)).toEqual([]);
  });

  it('names the settings in the message and does not offer a retry', () => {
    const raw = base();
    delete raw.sources[0].id;
    try {
      validateSettings(raw, { label: 'crm.yaml' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SettingsError);
      expect((err as SettingsError).message).toContain('invalid settings in crm.yaml');
      expect((err as SettingsError).message).toContain('sources[0].id: required');
      expect((err as SettingsError).retryable).toBe(false);
    }
  });

  it.each([null, 'text', 42])('rejects %j as a whole', (raw) => {
    expect(problemsOf(raw)).toHaveLength(1);
    expect(problemsOf(raw)[0]).toMatch(/^\(root\): /);
  });

  it('resolves relative csv and jsonl paths against baseDir and keeps absolute ones', () => {
    const raw = base();
    raw.sources.push({ name: 'legacy', kind: 'jsonl', path: '../legacy/out.jsonl', id: 'id', fields: { lastName: 'ln' } });
    raw.sources.push({ name: 'pg', kind: 'postgres', urlEnv: 'PG_URL', query: 'select 1', id: 'id', fields: { lastName: 'ln' } });
    const settings = validateSettings(raw, { baseDir: '/srv/goldrun/config' });
    expect(settings.sources.map((s) => ('path' in s ? s.path : null))).toEqual([
      '/srv/goldrun/config/data/crm.csv',
      '/abs/shop.jsonl',
      '/srv/goldrun/legacy/out.jsonl',
      null,
    ]);
    // The input is not changed.
    expect(raw.sources[0].path).toBe('data/crm.csv');
  });
});

describe('formatPath', () => {
  it.each<[PropertyKey[], string]>([
    [[], '(root)'],
    [['name'], 'name'],
    [['sources', 1, 'path'], 'sources[1].path'],
    [['blocking', 'rules', 0, 2], 'blocking.rules[0][2]'],
    [[0], '[0]'],
  ])('%j → %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe('settingsFingerprint', () => {
  it('depends on meaning, not key order', () => {
    const a = validateSettings(base());
    const reordered = Object.fromEntries(Object.entries(base()).reverse());
    const b = validateSettings(reordered);
    expect(settingsFingerprint(a)).toBe(settingsFingerprint(b));
    const changed = base();
    changed.thresholds = { match: 0.95 };
    expect(settingsFingerprint(validateSettings(changed))).not.toBe(settingsFingerprint(a));
  });
});

describe('loadSettings', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'goldrun-settings-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['febrl3.yaml', 'febrl3', 'dedupe_only', '../../shared/data/febrl/dataset3.csv', 10, 5],
    ['fake1000.yaml', 'fake1000', 'dedupe_only', '../../shared/data/splink/fake_1000.csv', 5, 11],
    ['febrl1-link.yaml', 'febrl1_link', 'link_only', '../../shared/data/febrl/dataset1.csv', 10, 5],
    ['febrl2-link.yaml', 'febrl2_link', 'link_only', '../../shared/data/febrl/dataset2.csv', 10, 5],
  ])('loads examples/%s', async (file, name, linkType, relativePath, comparisons, rules) => {
    const settings = await loadSettings(join(examples, file));
    expect(settings.name).toBe(name);
    expect(settings.linkType).toBe(linkType);
    expect(settings.comparisons).toHaveLength(comparisons);
    expect(settings.blocking.rules).toHaveLength(rules);
    expect(settings.sources[0]).toMatchObject({ kind: 'csv', path: resolve(examples, relativePath) });
  });

  it('reads JSON too', async () => {
    const file = join(dir, 'settings.json');
    await writeFile(file, JSON.stringify(base()));
    const settings = await loadSettings(file);
    expect(settings.sources[0]).toMatchObject({ path: join(dir, 'data/crm.csv') });
  });

  it('reports a YAML syntax error with its line', async () => {
    const file = join(dir, 'broken-syntax.yaml');
    await writeFile(file, 'name: x\nsources:\n  - name: a\n    kind: [csv\n');
    const err = await loadSettings(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SettingsError);
    const problems = (err as SettingsError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^line \d+, column \d+: not valid YAML or JSON/);
  });

  it('reports a missing file', async () => {
    const err = await loadSettings(join(dir, 'nope.yaml')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SettingsError);
    expect((err as SettingsError).problems).toEqual(['cannot read the file: ENOENT']);
  });

  it('reports the problems of the broken fixture with their paths', async () => {
    const err = await loadSettings(resolve(import.meta.dirname, '../fixtures/broken-settings.yaml')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SettingsError);
    const problems = (err as SettingsError).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe('sources[0].path: required');
    expect(problems[1]).toMatch(/^comparisons\[0\]\.method: /);
  });
});
