import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Thrown for a command line the benchmark cannot run: printed with the usage, no stack. */
export class UsageError extends Error {}

/**
 * The benchmark's options, with `--help`; an unknown option, or a number option that is not a
 * number (`--records 1e6` is one, `--records lots` is not), is a UsageError naming it.
 */
export function benchArgs<O extends Options>(usage: string, options: O, numbers: ReadonlyArray<keyof O & string>, args = process.argv.slice(2)) {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } } }) as { values: Record<string, string | boolean | undefined> });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return null;
  }
  for (const name of numbers) {
    const text = values[name];
    if (typeof text === 'string' && (text.trim() === '' || !Number.isFinite(Number(text)) || Number(text) < 0)) {
      throw new UsageError(`--${name} must be a number of 0 or more, not "${text}"`);
    }
  }
  return values as { [K in keyof O]: O[K] extends { type: 'boolean' } ? boolean : string | undefined };
}

/** The benchmarks' exit: a usage error in one line and the usage, anything else with its stack. */
export function reportBenchFailure(name: string, usage: string, err: unknown): void {
  if (err instanceof UsageError) process.stderr.write(`${name}: ${err.message}\n${usage}\n`);
  else process.stderr.write(`${name} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
}
