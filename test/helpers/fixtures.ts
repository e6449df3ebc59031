import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSettings } from '../../src/config/load-settings.js';
import type { Settings, SettingsInput } from '../../src/config/settings-schema.js';
import { buildDemoSystems, toCsv, type DemoSystems } from '../../src/demo/demo-systems.js';
import { demoSettings } from '../../src/demo/demo-settings.js';
import { generatePeople } from '../../src/generate/person.js';
import { Rand } from '../../src/generate/rand.js';
import { loadNicknames } from '../../src/standardize/nicknames.js';

export interface TwoSourceFixture {
  dir: string;
  crmPath: string;
  systems: DemoSystems;
  /** CRM (CSV file) and shop (HTTP API) sources of the demo, without the billing database. */
  settings(shopUrl: string, overrides?: Partial<SettingsInput>): Settings;
  cleanup(): Promise<void>;
}

/** Generated customers in a CRM export and a web shop API; the CRM file has two broken rows. */
export async function twoSourceFixture(customers = 120, seed = 11): Promise<TwoSourceFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'goldrun-test-'));
  const rand = new Rand(seed);
  const systems = buildDemoSystems(generatePeople(customers, rand), rand, loadNicknames());
  const crmPath = join(dir, 'crm.csv');
  await writeFile(crmPath, toCsv(systems.crm.header, systems.crm.rows));
  return {
    dir,
    crmPath,
    systems,
    settings(shopUrl, overrides = {}) {
      const base = demoSettings({ crmPath, shopUrl });
      const sources = (base.sources as NonNullable<SettingsInput['sources']>).filter((s) => s.name !== 'billing');
      const survivorship = { default: { rule: 'mostFrequent' as const }, attributes: { email: { rule: 'mostRecent' as const } } };
      return validateSettings({ ...base, name: 'twosource', sources, survivorship, run: { attempts: 3, backoffMs: 200, shards: 4 }, ...overrides });
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * settings.yaml of a deployment of two CSV files, crm.csv and shop.csv, both with the columns
 * id, first, last, email, city, state, updated: four comparisons, the given blocking rules and
 * survivorship rules per attribute (the default most recent).
 */
export function crmShopSettingsYaml(name: string, rules: string, survivorship: Record<string, string>): string {
  const fields = 'fields: { firstName: first, lastName: last, email: email, city: city, state: state }';
  return [
    `name: ${name}`,
    'linkType: link_and_dedupe',
    'sources:',
    `  - { name: crm, kind: csv, path: crm.csv, id: id, updatedAt: updated, trust: 0.8, ${fields} }`,
    `  - { name: shop, kind: csv, path: shop.csv, id: id, updatedAt: updated, trust: 0.6, ${fields} }`,
    'blocking:',
    `  rules: ${rules}`,
    'comparisons:',
    '  - { attribute: firstName, method: jaroWinkler }',
    '  - { attribute: lastName, method: jaroWinkler }',
    '  - { attribute: email, method: exact }',
    '  - { attribute: city, method: exact }',
    'survivorship:',
    '  default: { rule: mostRecent }',
    '  attributes:',
    ...Object.entries(survivorship).map(([attribute, rule]) => `    ${attribute}: { rule: ${rule} }`),
    'model: { prior: 0.5 }',
    '',
  ].join('\n');
}
