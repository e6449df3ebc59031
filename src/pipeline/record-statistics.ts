import type { Sql } from '../db/client.js';

/**
 * Analyzes source_records when it has no statistics yet, or when more of it changed since
 * they were taken than autovacuum would let pass (50 records and a tenth of the table), and
 * says whether it did. Servers run with autovacuum off (this one's CI does), and the stages
 * after the pulls plan their scans and joins on these statistics: with none, a count of a
 * million fresh records was planned as a bitmap scan of a few hundred rows (1.6 s) instead of
 * a scan on both cores (0.6 s).
 *
 * Changes are told by `updated_at`, which every write that changes a record moves, counted
 * only up to the threshold through its index: a nightly run's few changes cost a lookup.
 */
export async function refreshRecordStatistics(sql: Sql): Promise<boolean> {
  const [table] = await sql<{ estimate: number; analyzed: string | null }[]>`
    select c.reltuples::float8 as estimate, greatest(s.last_analyze, s.last_autoanalyze)::text as analyzed
    from pg_class c left join pg_stat_user_tables s on s.relid = c.oid
    where c.oid = 'source_records'::regclass`;
  // reltuples is -1 until the table's first analyze; statistics lost with a crash leave no time.
  if (table && table.estimate >= 0 && table.analyzed !== null) {
    const threshold = Math.ceil(50 + 0.1 * table.estimate);
    const [{ changed } = { changed: 0 }] = await sql<{ changed: number }[]>`
      select count(*)::int as changed from (
        select 1 from source_records where updated_at > ${table.analyzed}::timestamptz limit ${threshold}) as since`;
    if (changed < threshold) return false;
  }
  await sql`analyze source_records`;
  return true;
}
