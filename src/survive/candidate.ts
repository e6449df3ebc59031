/** One source record's value for one attribute, as survivorship rules see it. */
export interface Candidate {
  value: string;
  source: string;
  sourceId: string;
  recordId: number;
  /** The source's last-change time (ms since epoch), when it has one. */
  updatedAt: number | null;
  /** The source's trust (0..1) from settings. */
  trust: number;
}

/** Final tie-break: more trusted source, then source name, then source id, so results never depend on load order. */
export function tieBreak(a: Candidate, b: Candidate): number {
  if (a.trust !== b.trust) return b.trust - a.trust;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  if (a.sourceId !== b.sourceId) return a.sourceId < b.sourceId ? -1 : 1;
  return a.recordId - b.recordId;
}

export function best(candidates: ReadonlyArray<Candidate>, compare: (a: Candidate, b: Candidate) => number): Candidate | null {
  let winner: Candidate | null = null;
  for (const c of candidates) {
    if (winner === null) {
      winner = c;
      continue;
    }
    const order = compare(c, winner) || tieBreak(c, winner);
    if (order < 0) winner = c;
  }
  return winner;
}
