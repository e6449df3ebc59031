import { writeDataset } from '../../generate/dataset.js';
import { writeLine, type CommandIo } from '../io.js';

export interface GenerateOptions {
  records: number;
  systems: number;
  out: string;
  seed?: number;
  dupRate?: number;
  json?: boolean;
}

/** `goldrun generate`: a labelled dataset of connected systems, with settings to match it. */
export async function generateCommand(options: GenerateOptions, io: CommandIo): Promise<number> {
  const started = performance.now();
  const manifest = await writeDataset({ records: options.records, systems: options.systems, out: options.out, seed: options.seed, dupRate: options.dupRate });
  const files = manifest.systems.map((s) => `${s.file} ${s.records}`).join(', ');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  writeLine(io.stdout, `generated ${manifest.records} records of ${manifest.customers} customers in ${manifest.systems.length} systems (${files}) in ${options.out}, with settings.yaml and manifest.json (${seconds} s)`);
  if (options.json) writeLine(io.stdout, JSON.stringify(manifest));
  return 0;
}
