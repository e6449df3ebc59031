import type { Queue } from 'bullmq';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Database } from '../db/client.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'waiting-children', 'prioritized', 'completed', 'failed'] as const;

/**
 * Prometheus metrics, read at scrape time from BullMQ and Postgres, so one board shows
 * what every worker process did (workers come and go; the database and queues stay).
 */
export function createMetrics(database: Database, queues: Queue[]): Registry {
  const registry = new Registry();
  const sql = database.sql;

  new Gauge({
    name: 'goldrun_jobs',
    help: 'BullMQ jobs by queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of queues) {
        const counts = await queue.getJobCounts(...JOB_STATES);
        for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });

  new Gauge({
    name: 'goldrun_runs',
    help: 'Runs by deployment and status',
    labelNames: ['deployment', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<{ deployment: string; status: string; n: number }[]>`
        select deployment, status, count(*)::int as n from runs group by deployment, status`;
      for (const r of rows) this.set({ deployment: r.deployment, status: r.status }, r.n);
    },
  });

  new Gauge({
    name: 'goldrun_stage_duration_seconds',
    help: 'Duration of each stage in the latest completed run of a deployment',
    labelNames: ['deployment', 'stage'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<{ deployment: string; stage: string; ms: number }[]>`
        with latest as (
          select distinct on (deployment) id, deployment from runs where status = 'completed' order by deployment, finished_at desc)
        select l.deployment, s.stage, s.duration_ms as ms
        from latest l join run_stages s on s.run_id = l.id where s.duration_ms is not null`;
      for (const r of rows) this.set({ deployment: r.deployment, stage: r.stage }, r.ms / 1000);
    },
  });

  new Gauge({
    name: 'goldrun_last_completed_run_timestamp_seconds',
    help: 'When the latest completed run of a deployment finished (alert when a nightly run is missing)',
    labelNames: ['deployment'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<{ deployment: string; at: number }[]>`
        select deployment, extract(epoch from max(finished_at))::float8 as at from runs where status = 'completed' group by deployment`;
      for (const r of rows) this.set({ deployment: r.deployment }, r.at);
    },
  });

  new Counter({
    name: 'goldrun_records_processed_total',
    help: 'Source records pulled by completed pull stages, by deployment and source',
    labelNames: ['deployment', 'source'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<{ deployment: string; source: string; n: number }[]>`
        select r.deployment, substr(s.stage, 6) as source, sum(coalesce((s.metrics->>'pulled')::bigint, 0))::float8 as n
        from run_stages s join runs r on r.id = s.run_id
        where s.stage like 'pull:%' and s.status = 'completed' group by 1, 2`;
      for (const r of rows) this.inc({ deployment: r.deployment, source: r.source }, r.n);
    },
  });

  new Gauge({
    name: 'goldrun_golden_records',
    help: 'Golden records by deployment and status',
    labelNames: ['deployment', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<{ deployment: string; status: string; n: number }[]>`
        select deployment, status, count(*)::int as n from golden_records group by deployment, status`;
      for (const r of rows) this.set({ deployment: r.deployment, status: r.status }, r.n);
    },
  });

  return registry;
}
