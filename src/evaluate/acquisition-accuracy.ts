import type { ReconciliationItem } from '../reconcile/types.js';

/** What the generator knows of one acquired customer record (a subset of its manifest item). */
export interface AcquiredTruth {
  sourceId: string;
  trueCustomerId: string;
  inMaster: boolean;
  expected: string;
}

export interface AcquisitionAccuracy {
  /** Acquired customer records scored (not the non-customers and broken rows). */
  customers: number;
  /** Called ours and linked to the golden record holding that customer, or called new and truly new. */
  right: number;
  /** Left for a person: neither right nor wrong, but counted against accuracy. */
  ambiguous: number;
  /** right / customers. */
  accuracy: number;
  ours: { linkedRight: number; linkedWrong: number; calledNew: number };
  theirs: { calledNew: number; calledOurs: number };
  /** A few of the records gone wrong, for a look. */
  wrong: string[];
}

/**
 * Scores a reconciliation's matched-vs-new calls against the generator's truth: a record of
 * a master customer must carry the golden id holding that customer (a duplicate carries its
 * group's), a new customer's record none. Ambiguous records count as not right.
 */
export function acquisitionAccuracy(
  truth: ReadonlyArray<AcquiredTruth>,
  items: ReadonlyArray<ReconciliationItem>,
  goldenOfCustomer: ReadonlyMap<string, ReadonlySet<string>>,
): AcquisitionAccuracy {
  const bySource = new Map(items.filter((i) => i.sourceId !== null).map((i) => [i.sourceId!, i]));
  const out: AcquisitionAccuracy = {
    customers: 0, right: 0, ambiguous: 0, accuracy: 0, ours: { linkedRight: 0, linkedWrong: 0, calledNew: 0 }, theirs: { calledNew: 0, calledOurs: 0 }, wrong: [],
  };
  for (const t of truth) {
    if (t.expected === 'not_customer' || t.expected === 'quarantined') continue;
    out.customers++;
    const item = bySource.get(t.sourceId);
    if (item?.status === 'ambiguous') {
      out.ambiguous++;
      continue;
    }
    const golden = item?.goldenId ?? null;
    let ok: boolean;
    if (t.inMaster) {
      ok = golden !== null && (goldenOfCustomer.get(t.trueCustomerId)?.has(golden) ?? false);
      if (golden === null) out.ours.calledNew++;
      else if (ok) out.ours.linkedRight++;
      else out.ours.linkedWrong++;
    } else {
      ok = golden === null;
      if (ok) out.theirs.calledNew++;
      else out.theirs.calledOurs++;
    }
    if (ok) out.right++;
    else if (out.wrong.length < 20) out.wrong.push(`${t.sourceId} (${t.inMaster ? 'ours' : 'new'}): ${item?.status ?? 'missing'} ${golden ?? ''}`.trim());
  }
  out.accuracy = out.customers === 0 ? 0 : out.right / out.customers;
  return out;
}
