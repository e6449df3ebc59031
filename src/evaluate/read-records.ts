import type { SecretLookup } from '../config/env.js';
import type { Settings } from '../config/settings-schema.js';
import { createConnector } from '../connectors/create-connector.js';
import { SettingsError } from '../errors.js';
import type { Attributes } from '../model/attributes.js';
import { lookup, sourceContexts, standardizeRecord } from '../standardize/record.js';

export interface InMemoryRecord {
  source: string;
  /** The record's id in its source system. */
  id: string;
  attrs: Attributes;
}

export interface InMemoryRecords {
  records: InMemoryRecord[];
  /** Per record, the true entity when a truth column was asked for. */
  truth: Array<string | null>;
  /** Rows not matched: unreadable, quarantined or not customers. */
  skipped: number;
}

/**
 * Reads and standardizes every source straight from its connector, without Postgres, for
 * commands that match in memory (evaluate, explain). Records that a run would quarantine or
 * exclude are skipped the same way.
 */
export async function readRecordsInMemory(
  settings: Settings,
  secrets: SecretLookup,
  truth?: { column: string; regex?: string },
): Promise<InMemoryRecords> {
  const regex = truth?.regex ? new RegExp(truth.regex) : null;
  const contexts = sourceContexts(settings);
  const out: InMemoryRecords = { records: [], truth: [], skipped: 0 };
  for (const source of settings.sources) {
    let sawTruth = false;
    for await (const row of createConnector(source, secrets).rows({ watermark: null })) {
      if (row.kind === 'error') {
        out.skipped++;
        continue;
      }
      const result = standardizeRecord(row.values, source.fields, contexts.get(source.name)!);
      if (result.rejection || result.excludedBecause) {
        out.skipped++;
        continue;
      }
      if (truth) {
        const raw = lookup(row.values, truth.column);
        if (raw !== undefined) sawTruth = true;
        const text = raw === null || raw === undefined ? null : String(raw);
        out.truth.push(text === null ? null : regex ? (text.match(regex)?.[1] ?? null) : text);
      }
      out.records.push({ source: source.name, id: String(lookup(row.values, source.id) ?? ''), attrs: result.attrs });
    }
    if (truth && !sawTruth) throw new SettingsError('evaluate', [`--truth-column: source ${source.name} has no column "${truth.column}"`]);
  }
  return out;
}
