import { ITEM_STATUSES, type ItemStatus, type ReconciliationCounts, type ReconciliationItem } from './types.js';

/** The summary numbers of a reconciliation, from its items alone. */
export function reconciliationCounts(items: ReadonlyArray<ReconciliationItem>): ReconciliationCounts {
  const byStatus = Object.fromEntries(ITEM_STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;
  const perAttribute = new Map<string, number>();
  const overlap = new Set<string>();
  let withConflicts = 0;
  for (const item of items) {
    byStatus[item.status]++;
    // A duplicate whose group matched one of our customers is the same overlap as the match itself.
    if (item.goldenId !== null && (item.status === 'matched' || item.status === 'duplicate')) overlap.add(item.goldenId);
    if (item.conflicts.length > 0) withConflicts++;
    for (const conflict of item.conflicts) perAttribute.set(conflict.attribute, (perAttribute.get(conflict.attribute) ?? 0) + 1);
  }
  const total = items.length;
  const shares = Object.fromEntries(ITEM_STATUSES.map((s) => [s, total === 0 ? 0 : byStatus[s] / total])) as Record<ItemStatus, number>;
  // Sorted so that the same items always serialise to the same JSON.
  const conflictsByAttribute = Object.fromEntries([...perAttribute].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { total, byStatus, shares, withConflicts, conflictsByAttribute, overlapGoldenRecords: overlap.size };
}
