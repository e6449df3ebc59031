import { createHash } from 'node:crypto';

/** One cluster's claim on an existing golden id: how many of its records the id holds today. */
export interface Vote {
  clusterKey: number;
  goldenId: string;
  records: number;
}

/**
 * Decides which golden id each cluster keeps. Strongest claims first: an id stays with the
 * cluster that holds most of its records (a split keeps it on the larger part), and a
 * cluster holding several ids keeps the one with most records (a merge retires the others).
 * Clusters left without an id get a new one. Ties break on id and key, so the result never
 * depends on input order.
 */
export function assignGoldenIds(clusterKeys: ReadonlyArray<number>, votes: ReadonlyArray<Vote>, mint: (clusterKey: number) => string): Map<number, string> {
  const sorted = [...votes].sort((a, b) =>
    b.records - a.records || (a.goldenId < b.goldenId ? -1 : a.goldenId > b.goldenId ? 1 : 0) || a.clusterKey - b.clusterKey);
  const byCluster = new Map<number, string>();
  const taken = new Set<string>();
  for (const v of sorted) {
    if (byCluster.has(v.clusterKey) || taken.has(v.goldenId)) continue;
    byCluster.set(v.clusterKey, v.goldenId);
    taken.add(v.goldenId);
  }
  for (const key of clusterKeys) if (!byCluster.has(key)) byCluster.set(key, mint(key));
  return byCluster;
}

const BASE32 = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';

/** A new golden id, derived from the run and cluster so that a retried commit mints the same ids. */
export function mintGoldenId(runId: string, clusterKey: number): string {
  const digest = createHash('sha256').update(`${runId}:${clusterKey}`).digest();
  let out = 'GR';
  for (let i = 0; i < 16; i++) out += BASE32[digest[i]! % BASE32.length];
  return out;
}
