import { createHash } from 'node:crypto';
import * as currentScan from '../../src/pipeline/scan-rows.js';
import * as currentConnectors from '../../src/connectors/create-connector.js';
import { loadSettings } from '../../src/config/load-settings.js';
import { benchArgs, reportBenchFailure, UsageError } from '../args.js';

const USAGE = `usage: node dist/bench/probes/scan-ab.js --data DIR --source NAME --other DIST [--rounds N]

Scans one source of the bench data as a first pull's thread does (read, standardize, key, write
COPY text), with this build and with another build's dist/ (another checkout, built), in turn,
in one process, and prints each round's milliseconds and whether both wrote the same bytes and
watermark.`;

interface Build {
  scanRows: typeof currentScan.scanRows;
  createConnector: typeof currentConnectors.createConnector;
}

async function main(): Promise<void> {
  const values = benchArgs(USAGE, { data: { type: 'string' }, source: { type: 'string' }, other: { type: 'string' }, rounds: { type: 'string', default: '4' } }, ['rounds']);
  if (values === null) return;
  if (!values.data || !values.source || !values.other) throw new UsageError('--data, --source and --other are all needed');
  const builds: Record<string, Build> = {
    this: { scanRows: currentScan.scanRows, createConnector: currentConnectors.createConnector },
    other: {
      ...((await import(`${values.other}/src/pipeline/scan-rows.js`)) as Pick<Build, 'scanRows'>),
      ...((await import(`${values.other}/src/connectors/create-connector.js`)) as Pick<Build, 'createConnector'>),
    },
  };
  // Source paths in the bench's settings are relative to its data folder.
  process.chdir(values.data);
  const settings = await loadSettings('settings.yaml');
  const source = settings.sources.find((s) => s.name === values.source);
  if (!source) throw new UsageError(`the bench data has no source "${values.source}" (${settings.sources.map((s) => s.name).join(', ')})`);
  const times: Record<string, number[]> = { this: [], other: [] };
  const outputs: Record<string, string> = {};
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const name of round % 2 === 0 ? ['other', 'this'] : ['this', 'other']) {
      const { scanRows, createConnector } = builds[name]!;
      const digest = createHash('sha1');
      const start = performance.now();
      const rows = scanRows(
        { settings, source: source.name, known: new Map(), since: null, batchSize: settings.run.batchSize, asCopy: { runId: 'probe-run' } },
        createConnector(source, () => undefined),
      );
      for (;;) {
        const next = await rows.next();
        if (next.done) {
          outputs[name] = `${digest.digest('hex')} ${next.value.pulled} ${next.value.watermark}`;
          break;
        }
        if (next.value.copy) digest.update(next.value.copy);
      }
      times[name]!.push(Math.round(performance.now() - start));
    }
  }
  process.stdout.write(`${JSON.stringify({ source: source.name, ms: times, same: outputs.this === outputs.other, output: outputs.this })}\n`);
}

main().catch((err) => reportBenchFailure('scan-ab', USAGE, err));
