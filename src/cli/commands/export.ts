import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { Database } from '../../db/client.js';
import { createLogger } from '../../logger.js';
import { pickDeployment } from '../../lookup/deployments.js';
import { unpackLineage } from '../../survive/packed-lineage.js';
import { openServices } from '../../services.js';
import type { CommandIo } from '../io.js';

export interface ExportOptions {
  what: 'golden' | 'xref';
  format: 'csv' | 'jsonl';
  deployment?: string;
  /** golden: retired records too (with merged_into), not only the current ones. */
  all?: boolean;
}

const PAGE = 5_000;

/**
 * Writes the golden records or the cross-reference to standard output, a page at a time
 * in key order so that a million rows never sit in memory.
 */
export async function exportCommand(options: ExportOptions, io: CommandIo): Promise<number> {
  const services = await openServices({ env: io.env, log: createLogger({ level: io.env.logLevelExplicit ? io.env.logLevel : 'warn' }) });
  try {
    const deployment = await pickDeployment(services.database, options.deployment);
    const write = async (text: string) => {
      if (!io.stdout.write(text)) await once(io.stdout, 'drain');
    };
    if (options.what === 'golden') await exportGolden(services.database, deployment, options, write);
    else await exportXref(services.database, deployment, options, write);
    return 0;
  } finally {
    await services.close();
  }
}

type Write = (text: string) => Promise<void>;

async function exportGolden(database: Database, deployment: string, options: ExportOptions, write: Write): Promise<void> {
  const { sql } = database;
  const statuses = options.all ? ['active', 'retired'] : ['active'];
  const attributes = (await sql<{ key: string }[]>`
    select distinct jsonb_object_keys(attrs) as key from golden_records where deployment = ${deployment} order by 1`).map((r) => r.key);
  const fixed = ['golden_id', 'status', 'version', 'member_count', 'merged_into', 'updated_at'];
  if (options.format === 'csv') await write(stringify([[...fixed, ...attributes]]));
  let after = '';
  for (;;) {
    const rows = await sql<{ golden_id: string; status: string; version: number; member_count: number; merged_into: string | null; updated_at: string;
      attrs: Record<string, string | null>; lineage: unknown }[]>`
      select golden_id, status, version, member_count, merged_into, updated_at::text, attrs, lineage from golden_records
      where deployment = ${deployment} and status = any(${statuses}) and golden_id > ${after} order by golden_id limit ${PAGE}`;
    if (rows.length === 0) return;
    if (options.format === 'csv') {
      await write(stringify(rows.map((r) => [r.golden_id, r.status, r.version, r.member_count, r.merged_into, r.updated_at, ...attributes.map((a) => r.attrs[a] ?? null)])));
    } else {
      await write(rows.map((r) => `${JSON.stringify({
        goldenId: r.golden_id, status: r.status, version: r.version, memberCount: r.member_count, mergedInto: r.merged_into,
        updatedAt: r.updated_at, attrs: r.attrs, lineage: unpackLineage(r.lineage),
      })}\n`).join(''));
    }
    after = rows[rows.length - 1]!.golden_id;
  }
}

async function exportXref(database: Database, deployment: string, options: ExportOptions, write: Write): Promise<void> {
  const { sql } = database;
  if (options.format === 'csv') await write(stringify([['source_system', 'source_id', 'golden_id', 'status']]));
  let after = { source: '', sourceId: '' };
  for (;;) {
    const rows = await sql<{ source: string; source_id: string; golden_id: string | null; status: string }[]>`
      select source, source_id, golden_id, status from xref
      where deployment = ${deployment} and (source, source_id) > (${after.source}, ${after.sourceId})
      order by source, source_id limit ${PAGE}`;
    if (rows.length === 0) return;
    if (options.format === 'csv') await write(stringify(rows.map((r) => [r.source, r.source_id, r.golden_id, r.status])));
    else await write(rows.map((r) => `${JSON.stringify({ sourceSystem: r.source, sourceId: r.source_id, goldenId: r.golden_id, status: r.status })}\n`).join(''));
    const last = rows[rows.length - 1]!;
    after = { source: last.source, sourceId: last.source_id };
  }
}
