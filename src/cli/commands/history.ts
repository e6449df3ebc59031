import { asc, eq } from 'drizzle-orm';
import { goldenEvents } from '../../db/schema.js';
import { GoldrunError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { goldenHistory, type GoldenHistory } from '../../lookup/golden-history.js';
import { openServices } from '../../services.js';
import { writeLine, type CommandIo } from '../io.js';

/** `goldrun history --golden ID`: how a golden record changed and why; `--run ID`: what a run did to golden ids. */
export async function historyCommand(options: { golden?: string; run?: string; json?: boolean }, io: CommandIo): Promise<number> {
  if ((options.golden === undefined) === (options.run === undefined)) throw new GoldrunError('give --golden ID or --run ID', { retryable: false });
  const services = await openServices({ env: io.env, log: createLogger({ level: io.env.logLevelExplicit ? io.env.logLevel : 'warn' }) });
  try {
    if (options.run !== undefined) {
      const events = await services.database.db.select().from(goldenEvents).where(eq(goldenEvents.runId, options.run)).orderBy(asc(goldenEvents.id));
      if (options.json) for (const e of events) writeLine(io.stdout, JSON.stringify(e));
      else if (events.length === 0) writeLine(io.stdout, `run ${options.run} minted, split, merged and retired no golden id`);
      else for (const e of events) writeLine(io.stdout, `${e.event.padEnd(6)} ${e.goldenId}  ${e.reason}`);
      return 0;
    }
    const history = await goldenHistory(services.database, options.golden!);
    if (!history) throw new GoldrunError(`no golden record ${options.golden}`, { retryable: false });
    writeLine(io.stdout, options.json ? JSON.stringify(history) : formatHistory(history));
    return 0;
  } finally {
    await services.close();
  }
}

export function formatHistory(h: GoldenHistory): string {
  const lines = [`${h.goldenId}: ${h.current.status}, version ${h.current.version}`];
  if (h.current.status === 'retired') lines.push(h.successor ? `  now lives on as ${h.successor}` : '  retired for good: no successor');
  for (const v of h.versions) {
    const until = v.validTo ? ` until ${v.validTo}` : ' (current)';
    lines.push(`v${v.version} ${v.change} by run ${v.runId}, ${v.validFrom}${until}: ${v.memberCount} source records${v.mergedInto ? `, merged into ${v.mergedInto}` : ''}`);
    for (const c of v.changes) {
      const from = c.from === null ? '' : `${c.from} → `;
      const why = c.source ? `  (${c.source}:${c.sourceId}, ${c.rule})` : '';
      lines.push(`    ${c.attribute}: ${from}${c.to ?? '(none)'}${why}`);
    }
    for (const e of h.events.filter((x) => x.runId === v.runId)) lines.push(`    ${e.event}${e.goldenId === h.goldenId ? '' : ` of ${e.goldenId}`}: ${e.reason}`);
  }
  return lines.join('\n');
}
