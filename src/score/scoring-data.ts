import type { ComparisonSettings } from '../config/comparison-schema.js';
import type { StringColumn } from '../model/columns.js';
import type { ValueFeatures } from './value-features.js';

export type LinkType = 'dedupe_only' | 'link_only' | 'link_and_dedupe';

/**
 * Everything a worker thread needs to compare records: plain objects and typed arrays on
 * shared memory, so it crosses the thread boundary without copying the records.
 */
export interface ScoringData {
  size: number;
  source: Uint16Array;
  /** Every attribute a comparison reads, by name. */
  columns: Record<string, StringColumn>;
  comparisons: ComparisonSettings[];
  /** Per comparison, what its levels need to know about each distinct value. */
  features: ValueFeatures[];
  ruleCount: number;
  ruleKeys: Int32Array;
  linkType: LinkType;
  /**
   * Set on an incremental run: 1 for records changed since the run it builds on. Only pairs
   * with a changed record are compared; pairs of unchanged records are carried over.
   */
  changed?: Uint8Array;
}

/** Whether the link type allows comparing records from these two sources. */
export function allowedPair(linkType: LinkType, sourceA: number, sourceB: number): boolean {
  if (linkType === 'link_only') return sourceA !== sourceB;
  if (linkType === 'dedupe_only') return sourceA === sourceB;
  return true;
}
