import type { Database } from '../db/client.js';
import { GoldrunError } from '../errors.js';

/** The deployment a command means: the one asked for, or the only one with committed records. */
export async function pickDeployment(database: Database, wanted: string | undefined): Promise<string> {
  const names = (await database.sql<{ deployment: string }[]>`select distinct deployment from xref order by deployment`).map((r) => r.deployment);
  if (wanted !== undefined) {
    if (!names.includes(wanted)) throw new GoldrunError(`deployment ${wanted} has no committed run${names.length ? ` (there are: ${names.join(', ')})` : ''}`, { retryable: false });
    return wanted;
  }
  if (names.length === 1) return names[0]!;
  throw new GoldrunError(names.length === 0 ? 'nothing committed yet: run goldrun run first' : `several deployments: pick one with --deployment (${names.join(', ')})`, { retryable: false });
}
