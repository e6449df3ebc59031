import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { formatPath, readYamlFile, validateSettings } from './load-settings.js';
import { sourceSchema, type Settings, type SourceSettings } from './settings-schema.js';
import { SettingsError } from '../errors.js';

const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must start with a letter and hold only letters, digits and _');
const probability = z.number().gt(0).lt(1);

/**
 * An acquisition import (`goldrun import --config acquisition.yaml`): which deployment's
 * golden records to reconcile against, and the acquired source with its own connector,
 * field mapping, declared transforms and survivorship trust.
 */
export const importConfigSchema = z.object({
  version: z.literal(1).default(1),
  /** The import's name, for reports and the board. */
  name: identifier,
  /** The deployment (settings `name`) whose golden records the acquired records are linked to. */
  master: identifier,
  source: sourceSchema.refine((s) => s.kind !== 'imported', 'an import reads its source through a connector (csv, jsonl, postgres, http)'),
  /** Probabilities to call a record matched (or ambiguous); the master's thresholds when not given. */
  thresholds: z.object({ match: probability, review: probability }).strict()
    .refine((t) => t.review <= t.match, 'review must not be above match').optional(),
}).strict();

export type ImportConfig = z.output<typeof importConfigSchema>;

/** Reads and validates an import config; a relative file path is taken from the config's folder. */
export async function loadImportConfig(file: string): Promise<ImportConfig> {
  const raw = await readYamlFile(file);
  const config = validateImportConfig(raw, file);
  const source = config.source;
  if ((source.kind === 'csv' || source.kind === 'jsonl') && !isAbsolute(source.path)) source.path = resolve(dirname(resolve(file)), source.path);
  return config;
}

export function validateImportConfig(raw: unknown, label = 'import config'): ImportConfig {
  const parsed = importConfigSchema.safeParse(raw, {
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined),
  });
  if (!parsed.success) throw new SettingsError(label, parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
  return parsed.data;
}

/**
 * The settings an import matches with: the master's, with the acquired source beside its
 * sources, comparing across them and inside the acquired source. Validating them checks the
 * acquired mapping against the master's attributes (unknown attribute, a name already taken).
 */
export function importSettings(master: Settings, config: ImportConfig, label = 'import config'): Settings {
  return validateSettings({
    ...master,
    sources: [...master.sources, config.source],
    linkType: 'link_and_dedupe',
    thresholds: config.thresholds ? { ...master.thresholds, ...config.thresholds, matchWeight: undefined, reviewWeight: undefined } : master.thresholds,
  }, { label });
}

/** The acquired source as the master keeps it once committed: its records stay, nothing pulls it again. */
export function importedSource(config: ImportConfig, reconciliationId: string): SourceSettings {
  const { name, id, updatedAt, fields, trust, attributeTrust, dateOrder, phoneRegion } = config.source;
  return {
    name, kind: 'imported', reconciliation: reconciliationId, id, fields, trust, attributeTrust,
    ...(updatedAt !== undefined ? { updatedAt } : {}), ...(dateOrder ? { dateOrder } : {}), ...(phoneRegion ? { phoneRegion } : {}),
  };
}
