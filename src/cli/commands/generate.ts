import { writeAcquisition } from '../../generate/acquisition.js';
import { writeDataset } from '../../generate/dataset.js';
import { writeLine, type CommandIo } from '../io.js';

export interface GenerateOptions {
  records: number;
  systems: number;
  out: string;
  seed?: number;
  dupRate?: number;
  /** Also write an acquired company's file of this many customers, with its import config (`--acquired`). */
  acquired?: number;
  /** Share of the acquired customers who are master customers too (`--overlap`). */
  overlap?: number;
  json?: boolean;
}

/** `goldrun generate`: a labelled dataset of connected systems, with settings to match it, and optionally an acquired company's file. */
export async function generateCommand(options: GenerateOptions, io: CommandIo): Promise<number> {
  const started = performance.now();
  const master = { records: options.records, systems: options.systems, seed: options.seed, dupRate: options.dupRate };
  const manifest = await writeDataset({ ...master, out: options.out });
  const acquisition = options.acquired === undefined
    ? null
    : await writeAcquisition({ master, out: options.out, records: options.acquired, overlap: options.overlap, seed: options.seed });
  const files = manifest.systems.map((s) => `${s.file} ${s.records}`).join(', ');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const acquired = acquisition === null
    ? ''
    : `; and an acquired company's ${acquisition.file} (${acquisition.accounts} accounts, ${acquisition.customers} customers of which ${acquisition.overlapCustomers} are ours too) with ${acquisition.config} and acquisition-manifest.json`;
  writeLine(io.stdout, `generated ${manifest.records} records of ${manifest.customers} customers in ${manifest.systems.length} systems (${files}) in ${options.out}, with settings.yaml and manifest.json${acquired} (${seconds} s)`);
  if (options.json) writeLine(io.stdout, JSON.stringify(manifest));
  return 0;
}
