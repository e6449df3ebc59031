import type { SourceSettings } from '../config/settings-schema.js';
import type { SecretLookup } from '../config/env.js';
import { SourceError } from '../errors.js';
import { csvConnector } from './csv-connector.js';
import { httpConnector } from './http-connector.js';
import { jsonlConnector } from './jsonl-connector.js';
import { postgresConnector } from './postgres-connector.js';
import type { Connector } from './types.js';

/** Builds the connector a source's settings describe; secrets are read only now. */
export function createConnector(source: SourceSettings, secrets: SecretLookup): Connector {
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
