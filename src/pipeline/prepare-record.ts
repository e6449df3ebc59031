import { parseBlockingRule, recordKeyer } from '../block/blocking-rules.js';
import { settingsFingerprint } from '../config/load-settings.js';
import type { Settings } from '../config/settings-schema.js';
import { sourceContexts, standardizeRecord, type FieldIssue } from '../standardize/record.js';
import { toJson } from './row-hash.js';
import { blockingFingerprint } from './scope.js';

export type RecordClass = 'customer' | 'excluded' | 'quarantined';

/** A source record as the standardize and block stages leave it. */
export interface PreparedRecord {
  attrs: string;
  issues: string | null;
  recordClass: RecordClass;
  classReason: string | null;
  stdKey: string;
  /** "rule:key" per rule that keys the record; null unless a customer. */
  blockKeys: string[] | null;
  blockStamp: string | null;
  rejection: FieldIssue | null;
}

/**
 * Standardizes, classifies and keys one record under a run's settings. The pull stage does
 * this as rows arrive, so a first run writes each record once; the standardize and block
 * stages redo it only for records whose content or settings changed since (their stamps
 * differ), which makes them cheap on an unchanged source and exact after a settings change.
 */
export class RecordPreparer {
  /** Of the settings: a record's std_key is its content hash and this. */
  readonly fingerprint: string;
  /** Of the blocking rules: a record's block_stamp is this and its std_key. */
  readonly blockStamp: string;
  private readonly contexts;
  private readonly fields;
  private readonly keyer;

  constructor(settings: Settings) {
    this.fingerprint = settingsFingerprint(settings);
    this.blockStamp = blockingFingerprint(settings);
    this.contexts = sourceContexts(settings);
    this.fields = new Map(settings.sources.map((s) => [s.name, s.fields]));
    this.keyer = recordKeyer(settings.blocking.rules.map(parseBlockingRule));
  }

  prepare(source: string, raw: Readonly<Record<string, unknown>>, contentHash: string): PreparedRecord {
    const result = standardizeRecord(raw, this.fields.get(source) ?? {}, this.contexts.get(source)!);
    const stdKey = `${contentHash}:${this.fingerprint}`;
    const attrs = toJson(result.attrs);
    const issues = result.issues.length > 0 ? toJson(result.issues) : null;
    const r = result.rejection;
    // One literal of one shape for every class: no intermediate object spread into the result.
    if (r) {
      return { attrs, issues, recordClass: 'quarantined', classReason: `${r.field} (${r.column}): ${r.reason}`, stdKey, blockKeys: null, blockStamp: null, rejection: r };
    }
    if (result.excludedBecause) {
      return { attrs, issues, recordClass: 'excluded', classReason: result.excludedBecause, stdKey, blockKeys: null, blockStamp: null, rejection: null };
    }
    return { attrs, issues, recordClass: 'customer', classReason: null, stdKey, blockKeys: this.keyer(result.attrs), blockStamp: `${this.blockStamp}:${stdKey}`, rejection: null };
  }

  blockKeys(attrs: Readonly<Record<string, string | null>>): string[] {
    return this.keyer(attrs);
  }
}
