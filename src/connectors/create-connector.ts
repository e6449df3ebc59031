import type { SourceSettings } from '../config/settings-schema.js';
import type { SecretLookup } from '../config/env.js';
import { SourceError } from '../errors.js';
import { csvConnector } from './csv-connector.js';
import { httpConnector } from './http-connector.js';
import { jsonlConnector } from './jsonl-connector.js';
import { postgresConnector } from './postgres-connector.js';
import type { Connector } from './types.js';
import { lookup } from '../standardize/lookup.js';

/** Builds the connector a source's settings describe; secrets are read only now. */
export function createConnector(source: SourceSettings, secrets: SecretLookup): Connector {
  const connector = baseConnector(source, secrets);
  const kept = source.where ? filtered(source.name, connector, source.where) : connector;
  return source.contacts ? byContact(kept, source.id, source.contacts) : kept;
}

/**
 * One record per contact of an account row: the account's own columns, the contact's columns
 * under the names the field mapping reads, and the id "account#suffix". The other contacts'
 * columns are left out, so a change to one contact is not a change to the others.
 */
function byContact(connector: Connector, idColumn: string, contacts: NonNullable<SourceSettings['contacts']>): Connector {
  const contactColumns = new Set(contacts.flatMap((c) => Object.values(c.columns)));
  return {
    location: connector.location,
    progress: connector.progress?.bind(connector),
    async *rows(options) {
      for await (const row of connector.rows(options)) {
        if (row.kind === 'error') {
          yield row;
          continue;
        }
        const account: Record<string, unknown> = {};
        for (const [column, value] of Object.entries(row.values)) if (!contactColumns.has(column)) account[column] = value;
        const id = lookup(row.values, idColumn);
        for (const contact of contacts) {
          const values: Record<string, unknown> = { ...account };
          let any = false;
          for (const [name, column] of Object.entries(contact.columns)) {
            const value = lookup(row.values, column);
            values[name] = value ?? null;
            if (value !== null && value !== undefined && String(value).trim() !== '') any = true;
          }
          if (!any) continue;
          values[idColumn] = id === null || id === undefined || String(id).trim() === '' ? null : `${String(id)}#${contact.suffix}`;
          yield { kind: 'row', rowNumber: row.rowNumber, values };
        }
      }
    },
  };
}

/**
 * Keeps only the rows whose column matches (or, with `exclude`, does not match) a pattern:
 * one export that holds two systems' records, or rows a system marks as deleted.
 */
function filtered(name: string, connector: Connector, where: NonNullable<SourceSettings['where']>): Connector {
  const pattern = new RegExp(where.matches);
  return {
    location: connector.location,
    progress: connector.progress?.bind(connector),
    async *rows(options) {
      let rows = 0;
      let withColumn = 0;
      for await (const row of connector.rows(options)) {
        if (row.kind === 'row') {
          rows++;
          const value = lookup(row.values, where.column);
          if (value !== undefined) withColumn++;
          const hit = value !== null && value !== undefined && pattern.test(String(value));
          if (hit === where.exclude) continue;
        }
        yield row;
      }
      // A misspelt column would otherwise filter a whole source away without a word.
      if (rows > 0 && withColumn === 0) {
        throw new SourceError(name, `where.column "${where.column}" is in none of the ${rows} rows read from ${connector.location}`, { retryable: false });
      }
    },
  };
}

function baseConnector(source: SourceSettings, secrets: SecretLookup): Connector {
  switch (source.kind) {
    case 'csv':
      return csvConnector({
        name: source.name, path: source.path, delimiter: source.delimiter, quote: source.quote,
        encoding: source.encoding, trim: source.trim, updatedAt: source.updatedAt,
      });
    case 'jsonl':
      return jsonlConnector({ name: source.name, path: source.path, updatedAt: source.updatedAt });
    case 'postgres': {
      const url = secrets(source.urlEnv);
      if (!url) throw new SourceError(source.name, `environment variable ${source.urlEnv} (urlEnv) is not set`, { retryable: false });
      return postgresConnector({ name: source.name, url, query: source.query, idColumn: source.id, batchSize: source.batchSize, updatedAt: source.updatedAt });
    }
    case 'imported':
      throw new SourceError(source.name, `source ${source.name} was imported once (reconciliation ${source.reconciliation}); its records live in goldrun and are not pulled`, { retryable: false });
    case 'http': {
      const token = source.tokenEnv ? secrets(source.tokenEnv) : undefined;
      if (source.tokenEnv && !token) {
        throw new SourceError(source.name, `environment variable ${source.tokenEnv} (tokenEnv) is not set`, { retryable: false });
      }
      return httpConnector({
        name: source.name, url: source.url, token, recordsPath: source.recordsPath, pagination: source.pagination,
        updatedSinceParam: source.updatedSinceParam, retries: source.retries, retryDelayMs: source.retryDelayMs, timeoutMs: source.timeoutMs,
      });
    }
  }
}
