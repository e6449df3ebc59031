import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder holding goldrun's package.json. Code runs both from src/ (tests) and from
 * dist/src/ (the CLI), so files shipped beside the code (migrations, data, workers) are
 * found from here rather than by relative hops.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'drizzle'))) return (cached = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the goldrun package root');
    dir = parent;
  }
}
