import { openDatabase } from '../../src/db/client.js';
import { loadSettings } from '../../src/config/load-settings.js';
import { readPageText } from '../../src/pipeline/survive-clusters.js';
import { survivorshipPolicy } from '../../src/pipeline/survivorship-policy.js';
import * as current from '../../src/pipeline/survive-page-task.js';
import { benchArgs, reportBenchFailure, UsageError } from '../args.js';

const USAGE = `usage: node dist/bench/probes/survive-ab.js --database URL --data DIR --other DIST [--rounds N]

Survives every golden record of a committed run again, a page at a time as the survive stage
reads them, with this build and with another build's dist/ (another checkout, built), in turn,
in one process, and prints each round's milliseconds and whether both wrote the same COPY bytes.
The clusters are the committed golden records' members (xref), as the database holds them after
\`npm run bench -- --keep\`, staged for the reading under a run of the probe's own and removed
after; --data is the bench data folder (its settings.yaml).`;

type PageTask = typeof current.runSurvivePageTask;

const PROBE_RUN = 'probe-run';

async function main(): Promise<void> {
  const values = benchArgs(USAGE, { database: { type: 'string' }, data: { type: 'string' }, other: { type: 'string' }, rounds: { type: 'string', default: '6' } }, ['rounds']);
  if (values === null) return;
  if (!values.database || !values.data || !values.other) throw new UsageError('--database, --data and --other are all needed');
  const other = (await import(`${values.other}/src/pipeline/survive-page-task.js`)) as { runSurvivePageTask: PageTask };
  const settings = await loadSettings(`${values.data}/settings.yaml`);
  const policy = survivorshipPolicy(settings);
  const pages = await readPages(values.database, policy.attributes);
  const builds: Record<string, PageTask> = { this: current.runSurvivePageTask, other: other.runSurvivePageTask };
  const times: Record<string, number[]> = { this: [], other: [] };
  const run = (name: string, text: string, members: number) => builds[name]!({ runId: PROBE_RUN, policy, format: 'copy', text, members }).copy!;
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const name of round % 2 === 0 ? ['other', 'this'] : ['this', 'other']) {
      const start = performance.now();
      for (const p of pages) run(name, p.text, p.members);
      times[name]!.push(Math.round(performance.now() - start));
    }
  }
  const sameBytes = pages.every((p) => Buffer.from(run('this', p.text, p.members)).equals(Buffer.from(run('other', p.text, p.members))));
  process.stdout.write(`${JSON.stringify({ pages: pages.length, members: pages.reduce((n, p) => n + p.members, 0), ms: times, sameBytes })}\n`);
}

/**
 * Every golden record's members, 5,000 golden records a page, as survive reads them
 * (readPageText): staged in run_clusters under a run id of the probe's own, removed after.
 */
async function readPages(url: string, attributes: ReadonlyArray<string>): Promise<Array<{ members: number; text: string }>> {
  const database = await openDatabase({ url, max: 1 });
  const { sql } = database;
  try {
    await sql`delete from run_clusters where run_id = ${PROBE_RUN}`;
    await sql`insert into run_clusters (run_id, record_id, cluster_key)
      select ${PROBE_RUN}, source_record_id, dense_rank() over (order by golden_id) from xref`;
    await sql`analyze run_clusters`;
    const [last] = await sql<{ n: number }[]>`select coalesce(max(cluster_key), 0)::int as n from run_clusters where run_id = ${PROBE_RUN}`;
    const pages: Array<{ members: number; text: string }> = [];
    for (let lo = 1; lo <= last!.n; lo += 5000) pages.push(await readPageText(sql, PROBE_RUN, attributes, lo, lo + 4999));
    return pages;
  } finally {
    await sql`delete from run_clusters where run_id = ${PROBE_RUN}`.catch(() => {});
    await database.close();
  }
}

main().catch((err) => reportBenchFailure('survive-ab', USAGE, err));
