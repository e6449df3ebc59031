import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/load-settings.js';
import type { Settings } from '../../src/config/settings-schema.js';
import { createConnector } from '../../src/connectors/create-connector.js';
import { writeDataset, type Manifest } from '../../src/generate/dataset.js';
import { FingerprintSet } from '../../src/generate/fingerprint-set.js';
import { namePools } from '../../src/generate/name-pools.js';
import { Population } from '../../src/generate/population.js';
import { standardizeEmail } from '../../src/standardize/email.js';
import { lookup, sourceContexts, standardizeRecord } from '../../src/standardize/record.js';

const roots: string[] = [];
afterAll(() => roots.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function outDir(): string {
  const dir = join(tmpdir(), `goldrun-generate-${randomUUID()}`);
  roots.push(dir);
  return dir;
}

function fileHashes(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));
}

interface ReadRow {
  source: string;
  values: Record<string, unknown>;
}

async function readAll(settings: Settings): Promise<ReadRow[]> {
  const rows: ReadRow[] = [];
  for (const source of settings.sources) {
    for await (const row of createConnector(source, () => undefined).rows({ watermark: null })) {
      if (row.kind === 'error') throw new Error(`${source.name} row ${row.rowNumber}: ${row.reason}`);
      rows.push({ source: source.name, values: row.values });
    }
  }
  return rows;
}

describe('writeDataset', () => {
  const customers = 3000;
  let first: { dir: string; manifest: Manifest };

  it('writes the same bytes for the same arguments, and other bytes for another seed', async () => {
    const a = outDir();
    const b = outDir();
    const c = outDir();
    first = { dir: a, manifest: await writeDataset({ records: customers, systems: 5, out: a, seed: 7 }) };
    await writeDataset({ records: customers, systems: 5, out: b, seed: 7 });
    await writeDataset({ records: customers, systems: 5, out: c, seed: 8 });
    const ha = fileHashes(a);
    expect(Object.keys(ha)).toEqual(['billing.csv', 'crm.csv', 'erp.csv', 'manifest.json', 'settings.yaml', 'support.csv', 'webshop.jsonl']);
    expect(fileHashes(b)).toEqual(ha);
    const hc = fileHashes(c);
    for (const file of ['billing.csv', 'crm.csv', 'erp.csv', 'support.csv', 'webshop.jsonl']) expect(hc[file]).not.toBe(ha[file]);
  });

  it('writes exactly N + round(N × dupRate) + ceil(N / 1000) records, as the manifest says', () => {
    const { dir, manifest } = first;
    expect(manifest).toMatchObject({ customers, records: customers + 750 + 3, seed: 7, dupRate: 0.25, truthColumn: 'true_customer_id' });
    expect(manifest.systems.map((s) => s.name)).toEqual(['crm', 'billing', 'webshop', 'support', 'erp']);
    expect(manifest.systems.reduce((sum, s) => sum + s.records, 0)).toBe(manifest.records);
    for (const s of manifest.systems) {
      const lines = readFileSync(join(dir, s.file), 'utf8').trimEnd().split('\n');
      expect(lines.length - (s.file.endsWith('.csv') ? 1 : 0), s.file).toBe(s.records);
    }
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest);
  });

  it('writes settings that load, map every system and never the truth column', async () => {
    const settings = await loadSettings(join(first.dir, 'settings.yaml'));
    expect(settings.name).toBe('generated');
    expect(settings.linkType).toBe('link_and_dedupe');
    expect(settings.run.shards).toBe(32);
    expect(settings.thresholds).toMatchObject({ match: 0.99, review: 0.5 });
    expect(settings.sources.map((s) => [s.name, s.kind, s.dateOrder ?? settings.defaults.dateOrder])).toEqual([
      ['crm', 'csv', 'MDY'], ['billing', 'csv', 'YMD'], ['webshop', 'jsonl', 'MDY'], ['support', 'csv', 'DMY'], ['erp', 'csv', 'YMD'],
    ]);
    const mapped = JSON.stringify(settings.sources.map((s) => s.fields));
    expect(mapped).not.toContain('true_customer_id');
  });

  it('puts the truth in every row, shuffles files, and marks non-customers that the exclude rules catch', async () => {
    const settings = await loadSettings(join(first.dir, 'settings.yaml'));
    const contexts = sourceContexts(settings);
    const rows = await readAll(settings);
    expect(rows.length).toBe(first.manifest.records);
    const truths = new Set<string>();
    let nonCustomers = 0;
    for (const { source, values } of rows) {
      const truth = lookup(values, 'true_customer_id');
      expect(truth, JSON.stringify(values)).toMatch(/^(C\d{7}|X\d{6})$/);
      truths.add(String(truth));
      const fields = settings.sources.find((s) => s.name === source)!.fields;
      const result = standardizeRecord(values, fields, contexts.get(source)!);
      expect(result.rejection).toBeNull();
      const nonCustomer = String(truth).startsWith('X');
      if (nonCustomer) nonCustomers++;
      expect(result.excludedBecause !== null, `${source} ${JSON.stringify(values)}`).toBe(nonCustomer);
    }
    expect(nonCustomers).toBe(3);
    expect([...truths].filter((t) => t.startsWith('C')).length).toBe(customers);
    // Not grouped by customer: in the CRM file about half the neighbours are in ascending order of truth.
    const crm = rows.filter((r) => r.source === 'crm').map((r) => String(r.values.true_customer_id));
    const ascending = crm.slice(1).filter((t, i) => t > crm[i]!).length / (crm.length - 1);
    expect(ascending).toBeGreaterThan(0.4);
    expect(ascending).toBeLessThan(0.6);
  });

  it('writes each system its own way', () => {
    const crm = readFileSync(join(first.dir, 'crm.csv'), 'utf8').split('\n');
    expect(crm[0]).toBe('customer_id,first_name,last_name,email,phone,street,city,state,zip,date_of_birth,updated_at,true_customer_id');
    expect(crm.some((l) => /,\d{2}\/\d{2}\/(19|20)\d{2},/.test(l))).toBe(true);
    const billing = readFileSync(join(first.dir, 'billing.csv'), 'utf8').split('\n');
    expect(billing[0]!.split(';')).toContain('last_modified');
    expect(billing.some((l) => /;\+1\d{10};/.test(l) && /;(19|20)\d{2}-\d{2}-\d{2};/.test(l))).toBe(true);
    const support = readFileSync(join(first.dir, 'support.csv'), 'utf8');
    expect(support).toMatch(/;\d{2}\.\d{2}\.(19|20)\d{2};/);
    const shop = readFileSync(join(first.dir, 'webshop.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(shop[0]).toHaveProperty('name.first');
    expect(shop[0]).toHaveProperty('contact');
    expect(shop.some((r) => /^\d{1,2} [A-Z][a-z]{2} (19|20)\d{2}$/.test(r.birthday ?? ''))).toBe(true);
  });

  it('cycles the kinds of system beyond five, and keeps counts exact without duplicates', async () => {
    const dir = outDir();
    const manifest = await writeDataset({ records: 500, systems: 7, out: dir, seed: 3, dupRate: 0 });
    expect(manifest.systems.map((s) => s.file)).toEqual(['crm.csv', 'billing.csv', 'webshop.jsonl', 'support.csv', 'erp.csv', 'crm_2.csv', 'billing_2.csv']);
    expect(manifest.records).toBe(501);
    const settings = await loadSettings(join(dir, 'settings.yaml'));
    const truths = (await readAll(settings)).map((r) => String(r.values.true_customer_id));
    expect(new Set(truths).size).toBe(501);
  });

  it('rejects options that cannot make a dataset, naming each', async () => {
    await expect(writeDataset({ records: 0, systems: 0, out: outDir(), dupRate: -1 })).rejects.toThrow(
      'cannot generate: records must be a whole number of at least 1; systems must be a whole number from 1 to 100; dup-rate must be a number from 0 to 10',
    );
  });
});

describe('generated population', () => {
  it('spreads names, birth dates and emails the way a large population does', () => {
    const population = new Population(5, 20_000);
    const surnames = new Map<string, number>();
    const emails = new Set<string>();
    const households = new Map<string, number>();
    let born = [9999, 0];
    let withEmail = 0;
    for (let i = 0; i < population.size; i++) {
      const c = population.customer(i);
      surnames.set(c.lastName, (surnames.get(c.lastName) ?? 0) + 1);
      if (c.email !== null) {
        withEmail++;
        const mailbox = standardizeEmail(c.email);
        emails.add(mailbox !== null && 'value' in mailbox ? mailbox.value : c.email);
      }
      born = [Math.min(born[0]!, c.birth.year), Math.max(born[1]!, c.birth.year)];
      const home = `${c.address.number} ${c.address.street} ${c.address.zip}`;
      households.set(home, (households.get(home) ?? 0) + 1);
      expect(c.phone).toMatch(/^[2-9]\d{9}$/);
    }
    expect(surnames.size).toBeGreaterThan(5000);
    expect(Math.max(...surnames.values()) / population.size).toBeLessThan(0.015);
    expect(emails.size).toBe(withEmail);
    expect(born[0]).toBeGreaterThanOrEqual(1935);
    expect(born[1]).toBeLessThanOrEqual(2006);
    const shared = [...households.values()].filter((n) => n > 1).reduce((a, b) => a + b, 0) / population.size;
    expect(shared).toBeGreaterThan(0.1);
    expect(shared).toBeLessThan(0.2);
    expect(namePools().surnames.size).toBeGreaterThan(50_000);
  });
});

describe('FingerprintSet', () => {
  it('tells values already added from new ones', () => {
    const set = new FingerprintSet(1000);
    for (let i = 0; i < 1000; i++) expect(set.add(`mail${i}@example.com`)).toBe(true);
    for (let i = 0; i < 1000; i++) expect(set.add(`mail${i}@example.com`)).toBe(false);
    expect(set.add('someone.else@example.com')).toBe(true);
  });
});
