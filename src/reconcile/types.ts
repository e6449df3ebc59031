/**
 * What an acquisition import finds for each record of the acquired source, against the
 * master's golden records. Plain data: the reconcile core computes it, the database keeps
 * it, the CSV and HTML reports render it.
 */
export const ITEM_STATUSES = ['matched', 'new', 'ambiguous', 'duplicate', 'not_customer', 'quarantined'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** A golden record an acquired record may be, with the best pair probability between them. */
export interface GoldenCandidate {
  goldenId: string;
  probability: number;
}

/** One canonical attribute on which a matched customer's record and our golden record disagree. */
export interface AttributeConflict {
  attribute: string;
  /** The golden record's value (standardized). */
  ours: string;
  /** The acquired record's value (standardized). */
  theirs: string;
  /** When each side last changed, ISO 8601, when its source says. */
  oursUpdatedAt: string | null;
  theirsUpdatedAt: string | null;
  /** Which value is more recent; `unknown` when either side has no date. */
  newer: 'ours' | 'theirs' | 'same' | 'unknown';
}

export interface ReconciliationItem {
  /** Position in the acquired source's pull, from 1: rows and contacts in the order read. */
  itemNo: number;
  /** The record's id in the acquired source; null for a row too broken to name one. */
  sourceId: string | null;
  /** Line (CSV), row or position in the acquired source. */
  rowNumber: number;
  status: ItemStatus;
  /** matched: the golden record; duplicate: its group's golden record, when the group matched one. */
  goldenId: string | null;
  /** Probability of the best pair behind goldenId (matched), or behind the duplicate link. */
  probability: number | null;
  /** ambiguous: every plausible golden record, most likely first; matched: the runner-up ones too. */
  candidates: GoldenCandidate[];
  /** duplicate: the acquired record (source id) its group is represented by. */
  duplicateOf: string | null;
  /** not_customer and quarantined: why (the exclude rule's reason, the field and what is wrong). */
  reason: string | null;
  /** The acquired record's standardized attributes (empty when quarantined before mapping). */
  attrs: Record<string, string | null>;
  /** matched (and duplicates of a matched group): where their values differ from ours. */
  conflicts: AttributeConflict[];
}

/** How well the acquired source fills one canonical attribute of the master. */
export interface AttributeCoverage {
  attribute: string;
  /** Whether the import's mapping gives the attribute a column at all. */
  mapped: boolean;
  /** Acquired customer records holding a usable value, of `records`. */
  filled: number;
  records: number;
  /** Values present but unusable (an invalid email, an impossible date). */
  invalid: number;
  /** filled / records, 0 when there are no records. */
  fillRate: number;
  /** Share of the master's active golden records holding a value, for comparison. */
  masterFillRate: number;
  /** missing: not mapped; poor: filled for under half the records, or 25 points below the master; good otherwise. */
  verdict: 'missing' | 'poor' | 'good';
}

export interface ReconciliationCounts {
  /** Every item, of every status. */
  total: number;
  byStatus: Record<ItemStatus, number>;
  /** byStatus as shares of total, 0..1. */
  shares: Record<ItemStatus, number>;
  /** Matched items with at least one conflict, and conflicts per attribute. */
  withConflicts: number;
  conflictsByAttribute: Record<string, number>;
  /** Distinct golden records the acquired source overlaps (customers of both companies). */
  overlapGoldenRecords: number;
}

/** Everything the reports need about one reconciliation. */
export interface ReconciliationReport {
  id: string;
  /** The import's name (from its config) and the master deployment it reconciles against. */
  name: string;
  deployment: string;
  source: string;
  /** dry run, committed, rolled back. */
  state: 'reconciled' | 'committed' | 'rolled_back';
  createdAt: string;
  thresholds: { match: number; review: number };
  counts: ReconciliationCounts;
  coverage: AttributeCoverage[];
  items: ReconciliationItem[];
}
