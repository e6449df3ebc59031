/**
 * What the last commit knows of a record: the active golden record it is linked to (null
 * when none), how many live records that golden record holds (any number that no cluster
 * size can equal, such as -1, when one of its records changed), and whether the record
 * itself changed since.
 */
export interface CommittedLink {
  goldenId: ReadonlyArray<string | null>;
  memberCount: ArrayLike<number>;
  changed: ArrayLike<boolean | number>;
}

/**
 * Marks the clusters an incremental run must survive and commit again. A cluster is
 * unchanged when none of its records changed and it is exactly one committed golden
 * record: every record is linked to the same active golden record, whose member count is
 * the cluster's size (so no member left it or joined it). Its golden record would come out
 * the same, so it keeps its id, values and version. `labels[i]` is record i's cluster label.
 */
export function changedClusters(labels: ArrayLike<number>, link: CommittedLink): Set<number> {
  const size = new Map<number, number>();
  const golden = new Map<number, string | null>();
  const changed = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    size.set(label, (size.get(label) ?? 0) + 1);
    const id = link.goldenId[i] ?? null;
    if (link.changed[i] || id === null) changed.add(label);
    if (!golden.has(label)) golden.set(label, id);
    else if (golden.get(label) !== id) changed.add(label);
  }
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!changed.has(label) && link.memberCount[i] !== size.get(label)) changed.add(label);
  }
  return changed;
}
