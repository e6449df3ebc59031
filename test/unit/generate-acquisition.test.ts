import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/load-settings.js';
import type { Settings } from '../../src/config/settings-schema.js';
import { createConnector } from '../../src/connectors/create-connector.js';
import { writeAcquisition, type AcquisitionItem, type AcquisitionManifest } from '../../src/generate/acquisition.js';
import { writeDataset } from '../../src/generate/dataset.js';
import { Population } from '../../src/generate/population.js';
import { importSettings, validateImportConfig } from '../../src/config/import-config.js';
import { standardizeEmail } from '../../src/standardize/email.js';
import { lookup, sourceContexts, standardizeRecord } from '../../src/standardize/record.js';

const roots: string[] = [];
afterAll(() => roots.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function outDir(): string {
  const dir = join(tmpdir(), `goldrun-acquisition-${randomUUID()}`);
  roots.push(dir);
  return dir;
}

const FILES = ['acquired.csv', 'acquisition.yaml', 'acquisition-manifest.json'];
const hashes = (dir: string) => FILES.map((f) => createHash('sha256').update(readFileSync(join(dir, f))).digest('hex'));

const MASTER = { records: 1500, systems: 3, seed: 4 };
const CUSTOMERS = 500;

/** acquired.csv as objects by column, read leniently (the broken row included). */
function acquiredRows(dir: string): Array<Record<string, string>> {
  return parseCsv(readFileSync(join(dir, 'acquired.csv'), 'utf8'), { columns: true, relax_column_count: true });
}

describe('writeAcquisition', () => {
  let dir: string;
  let manifest: AcquisitionManifest;
  let byId: Map<string, AcquisitionItem>;

  beforeAll(async () => {
    dir = outDir();
    await writeDataset({ ...MASTER, out: dir });
    manifest = await writeAcquisition({ master: MASTER, out: dir, records: CUSTOMERS, overlap: 0.4, seed: 4 });
    byId = new Map(manifest.items.map((i) => [i.sourceId, i]));
  });

  it('writes the same bytes for the same options, and other bytes for another seed', async () => {
    const again = outDir();
    const other = outDir();
    await writeAcquisition({ master: MASTER, out: again, records: CUSTOMERS, overlap: 0.4, seed: 4 });
    await writeAcquisition({ master: MASTER, out: other, records: CUSTOMERS, overlap: 0.4, seed: 5 });
    expect(hashes(again)).toEqual(hashes(dir));
    expect(hashes(other)[0]).not.toBe(hashes(dir)[0]);
    expect(JSON.parse(readFileSync(join(dir, 'acquisition-manifest.json'), 'utf8'))).toEqual(manifest);
  });

  it('holds the overlap, the duplicates and the household accounts the options ask for', () => {
    const customers = manifest.items.filter((i) => i.expected === 'matched' || i.expected === 'new');
    expect(customers.length).toBe(CUSTOMERS);
    expect(new Set(customers.map((i) => i.trueCustomerId)).size).toBe(CUSTOMERS);
    expect(customers.filter((i) => i.inMaster).length).toBe(200);
    expect(customers.every((i) => i.inMaster === (i.expected === 'matched'))).toBe(true);
    const duplicates = manifest.items.filter((i) => i.expected === 'duplicate');
    expect(duplicates.length).toBe(25);
    expect(manifest).toMatchObject({ customers: CUSTOMERS, records: 525, overlapCustomers: 200, duplicates: 25, truthColumn: 'true_id' });
    expect(manifest.counts).toEqual({ matched: 200, new: 300, duplicate: 25, not_customer: 5, quarantined: 2 });
    for (const d of duplicates) {
      const first = byId.get(d.duplicateOf!)!;
      expect(first.expected).toMatch(/^(matched|new)$/);
      expect(first.trueCustomerId).toBe(d.trueCustomerId);
      expect(first.rowNumber).toBeLessThan(d.rowNumber);
      expect(d.changed).toEqual(first.changed);
    }
    const rows = acquiredRows(dir);
    expect(rows.length).toBe(manifest.accounts);
    const households = rows.filter((r) => r.contact2_name !== '').length / rows.length;
    expect(households).toBeGreaterThan(0.1);
    expect(households).toBeLessThan(0.2);
    const changed = customers.filter((i) => i.inMaster && i.changed.length > 0).length / 200;
    expect(changed).toBeGreaterThan(0.22);
    expect(changed).toBeLessThan(0.4);
  });

  it('takes overlapping customers from the master files and the others from nowhere in them', async () => {
    const settings = await loadSettings(join(dir, 'settings.yaml'));
    const masterIds = new Set<string>();
    for (const source of settings.sources) {
      for await (const row of createConnector(source, () => undefined).rows({ watermark: null })) {
        if (row.kind === 'row') masterIds.add(String(lookup(row.values, 'true_customer_id')));
      }
    }
    for (const item of manifest.items) expect(masterIds.has(item.trueCustomerId), item.sourceId).toBe(item.inMaster);
    expect(manifest.items.filter((i) => !i.inMaster).every((i) => /^A(X\d{6}|\d{7})$/.test(i.trueCustomerId))).toBe(true);
    // The truth columns of the file say the same as the manifest.
    const truth = new Map<string, string>();
    for (const r of acquiredRows(dir)) for (const k of [1, 2]) if (r[`contact${k}_true_id`]) truth.set(`${r.account_no}#${k}`, r[`contact${k}_true_id`]!);
    for (const item of manifest.items.filter((i) => i.expected !== 'quarantined')) expect(truth.get(item.sourceId), item.sourceId).toBe(item.trueCustomerId);
  });

  it('changes the attributes it says changed, and seldom the others', () => {
    const population = new Population(MASTER.seed, MASTER.records);
    const rows = new Map(acquiredRows(dir).map((r) => [r.account_no!, r]));
    const digits = (p: string) => p.replace(/\D/g, '').replace(/^1(\d{10})$/, '$1');
    const mailbox = (e: string) => { const r = standardizeEmail(e); return r !== null && 'value' in r ? r.value : e; };
    let samePhone = 0;
    let withPhone = 0;
    for (const item of manifest.items.filter((i) => i.inMaster && i.expected === 'matched')) {
      const [account, k] = item.sourceId.split('#') as [string, string];
      const row = rows.get(account)!;
      const person = population.customer(Number(item.trueCustomerId.slice(1)) - 1);
      const phone = row[`contact${k}_phone`]!;
      if (item.changed.includes('email')) expect(mailbox(row[`contact${k}_email`]!)).not.toBe(mailbox(person.email!));
      if (item.changed.includes('phone')) expect(digits(phone)).not.toBe(person.phone);
      else if (phone !== '') {
        withPhone++;
        if (digits(phone) === person.phone) samePhone++;
      }
      if (item.changed.includes('street')) {
        const [, number, rest] = /^(\d+) (.*)$/.exec(row.addr_line1!)!;
        const street = person.address.street.replace(/^(north|south|east|west) /, '');
        expect(Number(number) !== person.address.number || !rest!.toLowerCase().includes(street), row.addr_line1).toBe(true);
      }
      if (item.changed.includes('postcode')) expect(row.zip!.slice(0, 5)).not.toBe(person.address.zip);
      if (item.changed.includes('city')) expect(row.city!.toLowerCase()).not.toBe(person.address.city.toLowerCase());
      if (item.changed.length > 0) expect(row.last_modified!.startsWith('2026-'), item.sourceId).toBe(true);
    }
    expect(samePhone / withPhone).toBeGreaterThan(0.95);
  });

  it('writes an import config that validates against the master and names columns of the file', async () => {
    const raw = parseYaml(readFileSync(join(dir, 'acquisition.yaml'), 'utf8'));
    const config = validateImportConfig(raw);
    const master = await loadSettings(join(dir, 'settings.yaml'));
    expect(config).toMatchObject({ name: 'acme', master: master.name, source: { kind: 'csv', path: 'acquired.csv', id: 'account_no', dateOrder: 'MDY' } });
    importSettings(master, config);
    const header = readFileSync(join(dir, 'acquired.csv'), 'utf8').split('\n')[0]!.split(',');
    const source = config.source;
    const contactNames = new Set(source.contacts!.flatMap((c) => Object.keys(c.columns)));
    for (const column of [source.id, source.updatedAt!, ...source.contacts!.flatMap((c) => Object.values(c.columns))]) expect(header).toContain(column);
    for (const mapping of Object.values(source.fields)) {
      const columns = typeof mapping === 'string' ? [mapping] : mapping.column !== undefined ? [mapping.column] : mapping.columns!;
      for (const column of columns) expect(header.includes(column) || contactNames.has(column), column).toBe(true);
    }
    expect(JSON.stringify(source.fields)).not.toContain('true_id');
  });

  it('reads back as the manifest expects: customers usable, non-customers excluded, broken rows quarantined', async () => {
    const master = await loadSettings(join(dir, 'settings.yaml'));
    const config = validateImportConfig(parseYaml(readFileSync(join(dir, 'acquisition.yaml'), 'utf8')));
    const settings = importSettings(master, config);
    const population = new Population(MASTER.seed, MASTER.records);
    const seen = new Set<string>();
    const errorRows: number[] = [];
    let sameName = 0;
    let sameBirth = 0;
    let matched = 0;
    // The import's own reading: one record per contact (the connector splits the accounts), mapped with the declared transforms.
    const source = settings.sources.find((s) => s.name === config.source.name)!;
    const ctx = sourceContexts(settings).get(source.name)!;
    for await (const row of createConnector({ ...source, path: join(dir, 'acquired.csv') } as Settings['sources'][number], () => undefined).rows({ watermark: null })) {
      if (row.kind === 'error') {
        errorRows.push(row.rowNumber);
        continue;
      }
      const sourceId = String(lookup(row.values, source.id));
      const std = standardizeRecord(row.values, source.fields, ctx);
      const item = byId.get(sourceId)!;
      seen.add(sourceId);
      expect(std.excludedBecause !== null, sourceId).toBe(item.expected === 'not_customer');
      expect(std.rejection !== null, sourceId).toBe(item.expected === 'quarantined');
      if (item.expected !== 'matched') continue;
      matched++;
      const person = population.customer(Number(item.trueCustomerId.slice(1)) - 1);
      if ([person.lastName, person.marriedName].includes(std.attrs.lastName ?? '')) sameName++;
      const b = person.birth;
      if (std.attrs.birthDate === `${b.year}-${String(b.month).padStart(2, '0')}-${String(b.day).padStart(2, '0')}`) sameBirth++;
    }
    const broken = manifest.items.filter((i) => i.expected === 'quarantined' && !seen.has(i.sourceId));
    expect(broken.map((i) => i.rowNumber)).toEqual(errorRows);
    expect(errorRows.length).toBe(1);
    expect(seen.size + broken.length).toBe(manifest.items.length);
    // Lightly corrupted: an overlapping customer's name and birth date mostly come through as the master knows them.
    expect(sameName / matched).toBeGreaterThan(0.9);
    expect(sameBirth / matched).toBeGreaterThan(0.9);
  });

  it('rejects options that cannot make an acquisition, naming each', async () => {
    await expect(writeAcquisition({ master: { records: 10, systems: 3 }, out: outDir(), records: 100, overlap: 0.5, dupRate: 2 })).rejects.toThrow(
      'cannot generate the acquisition: overlap: 50 acquired customers cannot come from a master of 10; acquisition dup-rate must be a number from 0 to 1',
    );
  });
});
