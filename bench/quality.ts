import type { Sql } from '../src/db/client.js';
import { metricsFromCounts, type PairwiseMetrics } from '../src/evaluate/pairwise-metrics.js';

/**
 * Pairwise precision, recall and F1 of the committed golden records against the generator's
 * truth column, in one query: every two customer records under one golden id are a predicted
 * pair; every two with one true customer id are a true pair.
 */
export async function goldenQuality(sql: Sql, deployment: string, truthColumn: string): Promise<PairwiseMetrics> {
  const [row] = await sql<{ tp: string; predicted: string; actual: string }[]>`
    with r as (
      select x.golden_id as g, s.raw ->> ${truthColumn} as t
      from xref x join source_records s on s.id = x.source_record_id
      where x.deployment = ${deployment} and s.record_class = 'customer' and x.golden_id is not null
    ),
    cells as (select count(*)::numeric as n from r group by g, t),
    golden as (select count(*)::numeric as n from r group by g),
    truth as (select count(*)::numeric as n from r group by t)
    select (select coalesce(sum(n * (n - 1) / 2), 0) from cells)::text as tp,
           (select coalesce(sum(n * (n - 1) / 2), 0) from golden)::text as predicted,
           (select coalesce(sum(n * (n - 1) / 2), 0) from truth)::text as actual`;
  return metricsFromCounts(Number(row!.tp), Number(row!.predicted), Number(row!.actual));
}

/** Per true customer (the generator's truth column), the golden records holding its records. */
export async function goldenIdsByTruth(sql: Sql, truthColumn: string): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const r of await sql<{ truth: string; golden_id: string }[]>`
    select r.raw->>${truthColumn} as truth, x.golden_id from xref x join source_records r on r.id = x.source_record_id where x.golden_id is not null`) {
    (out.get(r.truth) ?? out.set(r.truth, new Set()).get(r.truth)!).add(r.golden_id);
  }
  return out;
}
