import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { stageHandlers } from '../../jobs/index.js';
import type { Environment } from '../config/env.js';
import { secretFromEnvironment } from '../config/env.js';
import { validateSettings } from '../config/load-settings.js';
import type { Sql } from '../db/client.js';
import { openDatabase } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { generatePeople } from '../generate/person.js';
import { Rand } from '../generate/rand.js';
import { unpackLineage } from '../survive/packed-lineage.js';
import type { Logger } from '../logger.js';
import { enqueueRun } from '../queue/enqueue-run.js';
import { startWorkers } from '../queue/start-workers.js';
import { openServices } from '../services.js';
import { loadNicknames } from '../standardize/nicknames.js';
import { runSummary, quarantinedForRun, type RunSummary } from '../pipeline/run-summary.js';
import { followRun } from '../cli/follow-run.js';
import type { ProgressDisplay } from '../cli/progress-display.js';
import { buildDemoSystems, toCsv, type DemoSystems } from './demo-systems.js';
import { demoSettings } from './demo-settings.js';
import { startShopApi } from './shop-api.js';

export interface DemoOptions {
  customers: number;
  seed: number;
  env: Environment;
  log: Logger;
  /** Folder for the generated CRM file and settings. */
  dir: string;
  display?: ProgressDisplay;
}

export interface DemoResult {
  summary: RunSummary;
  quarantined: Awaited<ReturnType<typeof quarantinedForRun>>;
  example: GoldenExample | null;
  systems: { crm: number; billing: number; shop: number };
  settingsFile: string;
  database: string;
  queues: string;
}

export interface GoldenExample {
  goldenId: string;
  attrs: Record<string, string | null>;
  lineage: Record<string, { source: string; sourceId: string; rule: string }>;
  members: Array<{ source: string; sourceId: string; raw: Record<string, unknown> }>;
}

const SHOP_TOKEN = 'demo-shop-token';

/**
 * The whole product in one command: generate customers spread over three systems (a CRM
 * CSV export, a billing table in Postgres, a web shop API served here), run the real
 * pipeline through BullMQ, and return what happened. Without DATABASE_URL it runs on an
 * in-memory embedded Postgres, without REDIS_URL on BullMQ's Postgres backend.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const rand = new Rand(options.seed);
  const people = generatePeople(options.customers, rand);
  const systems = buildDemoSystems(people, rand, loadNicknames());
  await mkdir(options.dir, { recursive: true });
  const crmPath = resolve(options.dir, 'crm.csv');
  await writeFile(crmPath, toCsv(systems.crm.header, systems.crm.rows));
  const shop = await startShopApi(systems.shop, { token: SHOP_TOKEN });
  const dataDir = options.env.databaseUrl ? options.env.dataDir : 'memory';
  const bootstrap = await openDatabase({ url: options.env.databaseUrl, dataDir });
  try {
    const settingsInput = demoSettings({ crmPath, shopUrl: shop.url });
    const settingsFile = join(options.dir, 'demo.yaml');
    await writeFile(settingsFile, stringify(settingsInput));
    const settings = validateSettings(settingsInput, { label: settingsFile });
    await runMigrations(bootstrap);
    // The embedded database lives in this process: the services below connect to it rather than start another.
    const env: Environment = bootstrap.embedded ? { ...options.env, databaseUrl: bootstrap.url } : options.env;
    await loadBilling(bootstrap.sql, systems.billing);
    const secrets = (name: string) =>
      name === 'DEMO_BILLING_URL' ? bootstrap.url : name === 'DEMO_SHOP_TOKEN' ? SHOP_TOKEN : secretFromEnvironment(name);
    const services = await openServices({ env, log: options.log, secrets });
    await services.queues.migrate();
    const workers = startWorkers(services.queues, services.ctx, stageHandlers);
    try {
      const runId = await enqueueRun(services.queues, services.database, settings, { trigger: 'demo' });
      const summary = await followRun(services.database, runId, { onUpdate: (s) => options.display?.update(s), timeoutMs: 10 * 60_000 });
      options.display?.stop();
      return {
        summary: (await runSummary(services.database, runId)) ?? summary,
        quarantined: await quarantinedForRun(services.database, runId),
        example: summary.status === 'completed' ? await goldenExample(services.database.sql, settings.name) : null,
        systems: { crm: systems.crm.rows.length, billing: systems.billing.length, shop: systems.shop.length },
        settingsFile,
        database: bootstrap.embedded ? 'embedded PGlite (in memory)' : bootstrap.location,
        queues: services.queues.description,
      };
    } finally {
      await workers.close();
      await services.close();
    }
  } finally {
    await shop.close();
    await bootstrap.close();
  }
}

async function loadBilling(sql: Sql, rows: DemoSystems['billing']): Promise<void> {
  await sql`create schema if not exists demo_billing`;
  await sql`drop table if exists demo_billing.accounts`;
  await sql`
    create table demo_billing.accounts (
      account_no text primary key, given_name text, family_name text, phone_number text, email_address text,
      address_line1 text, town text, postal_code text, birth_date date, last_modified timestamptz)`;
  const col = (k: string) => rows.map((r) => r[k] ?? null);
  await sql`
    insert into demo_billing.accounts
    select * from unnest(${col('account_no')}::text[], ${col('given_name')}::text[], ${col('family_name')}::text[],
      ${col('phone_number')}::text[], ${col('email_address')}::text[], ${col('address_line1')}::text[], ${col('town')}::text[],
      ${col('postal_code')}::text[], ${col('birth_date')}::text[]::date[], ${col('last_modified')}::text[]::timestamptz[])`;
}

/** The golden record with the most source records behind it, with those records. */
async function goldenExample(sql: Sql, deployment: string): Promise<GoldenExample | null> {
  const [golden] = await sql<{ golden_id: string; attrs: Record<string, string | null>; lineage: unknown }[]>`
    select golden_id, attrs, lineage from golden_records
    where deployment = ${deployment} and status = 'active'
    order by member_count desc, golden_id limit 1`;
  if (!golden) return null;
  const members = await sql<{ source: string; source_id: string; raw: Record<string, unknown> }[]>`
    select r.source, r.source_id, r.raw from xref x join source_records r on r.id = x.source_record_id
    where x.deployment = ${deployment} and x.golden_id = ${golden.golden_id} order by r.source, r.source_id`;
  return {
    goldenId: golden.golden_id,
    attrs: golden.attrs,
    lineage: unpackLineage(golden.lineage),
    members: members.map((m) => ({ source: m.source, sourceId: m.source_id, raw: m.raw })),
  };
}
