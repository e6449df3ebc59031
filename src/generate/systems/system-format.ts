import type { SettingsInput } from '../../config/settings-schema.js';
import type { Rand } from '../rand.js';
import type { MissingRates, RecordCopy } from '../record-copy.js';

export type SourceInput = NonNullable<SettingsInput['sources']>[number];

/** The column every generated record carries with the true customer: read only to score, never matched on. */
export const TRUTH_COLUMN = 'true_customer_id';

/**
 * One kind of connected system: its file format, columns, habits (date order, phone
 * style, letter case), gaps, and the settings that read it back.
 */
export interface SystemFormat {
  kind: string;
  extension: 'csv' | 'jsonl';
  /** The share of records this kind of system holds, relative to the other kinds. */
  weight: number;
  missing: MissingRates;
  /** The first line of the file (with its newline), or '' when there is none. */
  header: string;
  /** The record id a system gives its n-th record (0-based); unique within the system. */
  recordId(n: number): string;
  /** One record as a line of the file, newline included. */
  line(copy: RecordCopy, id: string, truth: string, rand: Rand): string;
  /** This system as a source in settings: `path` relative to the settings file. */
  source(name: string, path: string): SourceInput;
}
