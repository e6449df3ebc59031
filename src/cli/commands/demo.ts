import { join } from 'node:path';
import { createLogger } from '../../logger.js';
import { runDemo } from '../../demo/run-demo.js';
import { writeLine, type CommandIo } from '../io.js';
import { formatSummary } from '../print-summary.js';
import { progressDisplay } from '../progress-display.js';

/** `npm run demo`: the pipeline end to end on generated data, and what came out of it. */
export async function demoCommand(options: { customers: number; seed: number }, io: CommandIo): Promise<number> {
  const quiet = !io.env.logLevelExplicit;
  const log = createLogger({ level: quiet ? 'warn' : io.env.logLevel });
  const dir = join(io.env.dataDir, 'demo');
  writeLine(io.stderr, `generating ${options.customers} customers over three systems (CRM file, billing table, web shop API) in ${dir}`);
  const result = await runDemo({ customers: options.customers, seed: options.seed, env: io.env, log, dir, display: progressDisplay(io.stderr) });
  const out = (text = '') => writeLine(io.stdout, text);
  out();
  out(`database: ${result.database}; queues: ${result.queues}`);
  out(`connected systems: crm.csv ${result.systems.crm} rows, billing table ${result.systems.billing} rows, shop API ${result.systems.shop} records`);
  out(`settings written to ${result.settingsFile}`);
  out();
  out(formatSummary(result.summary, result.quarantined));
  if (result.example) {
    const e = result.example;
    out();
    out(`golden record ${e.goldenId} (${e.members.length} source records):`);
    for (const [attribute, value] of Object.entries(e.attrs)) {
      if (value === null) continue;
      const from = e.lineage[attribute];
      out(`  ${attribute.padEnd(12)} ${value.padEnd(32)} ${from ? `from ${from.source} ${from.sourceId} (${from.rule})` : ''}`);
    }
    out('  behind it:');
    for (const m of e.members) out(`    ${m.source.padEnd(8)} ${m.sourceId.padEnd(12)} ${JSON.stringify(m.raw)}`);
  }
  return result.summary.status === 'completed' ? 0 : 1;
}
