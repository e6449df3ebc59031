import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GoldrunError } from '../errors.js';
import { loadNicknames } from '../standardize/nicknames.js';
import { datasetSettings, settingsYaml } from './dataset-settings.js';
import { LineSink } from './line-sink.js';
import { nonCustomerCopy, nonCustomerId } from './non-customers.js';
import { newAddress } from './places.js';
import { Population } from './population.js';
import { mixSeed, Rand } from './rand.js';
import { copyOf } from './record-copy.js';
import { planRecords } from './record-plan.js';
import { TRUTH_COLUMN } from './systems/system-format.js';
import { systemLayout } from './systems/system-layout.js';

export interface DatasetOptions {
  /** Distinct customers (the CLI's `--records`); the files hold more records than this. */
  records: number;
  /** Connected systems, one file each. */
  systems: number;
  /** Output folder; created when missing, files in it overwritten. */
  out: string;
  /** @defaultValue 1 */
  seed?: number;
  /** Extra records per customer, on average: round(customers × dupRate) of them. @defaultValue 0.25 */
  dupRate?: number;
}

export interface Manifest {
  customers: number;
  records: number;
  systems: Array<{ name: string; file: string; records: number }>;
  seed: number;
  dupRate: number;
  truthColumn: string;
}

/** Options that cannot make a dataset. */
export class DatasetOptionsError extends GoldrunError {
  constructor(message: string) {
    super(message, { retryable: false });
  }
}

const MAX_SYSTEMS = 100;
const SALT_COPY = 21;
const SALT_SITE = 22;

/**
 * Writes one file per connected system for N customers, the settings that match them, and
 * a manifest. Records are made one at a time in a shuffled order and written in large
 * chunks: memory holds a few bytes per record, not the records. The same options give
 * the same bytes.
 */
export async function writeDataset(options: DatasetOptions): Promise<Manifest> {
  const seed = options.seed ?? 1;
  const dupRate = options.dupRate ?? 0.25;
  checkOptions({ ...options, seed, dupRate });
  await mkdir(options.out, { recursive: true });
  const systems = systemLayout(options.systems);
  const nicknames = loadNicknames();
  const population = new Population(seed, options.records);
  const plan = planRecords(seed, options.records, dupRate, systems.map((s) => s.format.weight));
  const sinks = systems.map((s) => new LineSink(join(options.out, s.file)));
  systems.forEach((s, k) => sinks[k]!.push(s.format.header, false));
  const n = plan.customers;
  for (let step = 0; step < plan.total; step++) {
    const slot = plan.order[step]!;
    const rand = new Rand(mixSeed(seed, SALT_COPY, slot));
    let system: number;
    let line: string;
    if (slot < n + plan.extras) {
      const customer = population.customer(slot < n ? slot : plan.extraCustomer[slot - n]!);
      system = slot < n ? plan.primarySystem[slot]! : plan.extraSystem[slot - n]!;
      const format = systems[system]!.format;
      const copy = copyOf(customer, system, format.missing, rand, nicknames);
      line = format.line(copy, format.recordId(sinks[system]!.lines), customer.id, rand);
    } else {
      const k = slot - n - plan.extras;
      system = plan.nonCustomerSystem[k]!;
      const format = systems[system]!.format;
      const site = newAddress(new Rand(mixSeed(seed, SALT_SITE, k)));
      const copy = nonCustomerCopy(rand, Date.UTC(2024, 0, 1) + rand.int(365) * 86_400_000, site);
      line = format.line(copy, format.recordId(sinks[system]!.lines), nonCustomerId(k), rand);
    }
    const busy = sinks[system]!.push(line);
    if (busy) await busy;
  }
  await Promise.all(sinks.map((s) => s.close()));
  const manifest: Manifest = {
    customers: options.records,
    records: plan.total,
    systems: systems.map((s, k) => ({ name: s.name, file: s.file, records: sinks[k]!.lines })),
    seed,
    dupRate,
    truthColumn: TRUTH_COLUMN,
  };
  const command = `goldrun generate --records ${options.records} --systems ${options.systems} --seed ${seed} --dup-rate ${dupRate}`;
  await writeFile(join(options.out, 'settings.yaml'), settingsYaml(datasetSettings(systems), command));
  await writeFile(join(options.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function checkOptions(o: Required<DatasetOptions>): void {
  const problems: string[] = [];
  if (!Number.isInteger(o.records) || o.records < 1) problems.push('records must be a whole number of at least 1');
  if (!Number.isInteger(o.systems) || o.systems < 1 || o.systems > MAX_SYSTEMS) problems.push(`systems must be a whole number from 1 to ${MAX_SYSTEMS}`);
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) problems.push('seed must be a whole number from 0 to 4294967295');
  if (!Number.isFinite(o.dupRate) || o.dupRate < 0 || o.dupRate > 10) problems.push('dup-rate must be a number from 0 to 10');
  if (o.out === '') problems.push('out must name a folder');
  if (problems.length > 0) throw new DatasetOptionsError(`cannot generate: ${problems.join('; ')}`);
}
