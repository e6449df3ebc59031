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
