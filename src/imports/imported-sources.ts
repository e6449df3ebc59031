import { validateSettings } from '../config/load-settings.js';
import type { Settings } from '../config/settings-schema.js';
import type { Sql } from '../db/client.js';
import { importedSource, validateImportConfig } from '../config/import-config.js';

/**
 * A deployment's settings as a run needs them: the sources its settings name, plus each
 * source a committed import brought in (their records live in goldrun and would otherwise
 * be missing from every later run's clusters), minus imported sources rolled back since.
 */
export async function withImportedSources(sql: Sql, settings: Settings): Promise<Settings> {
  const committed = await sql<{ id: string; config: unknown }[]>`
    select id, config from reconciliations where deployment = ${settings.name} and status = 'committed' order by committed_at`;
  const live = new Set(committed.map((c) => c.id));
  const kept = settings.sources.filter((s) => s.kind !== 'imported' || live.has(s.reconciliation));
  const names = new Set(kept.map((s) => s.name));
  const added = committed
    .map((c) => importedSource(validateImportConfig(c.config, `import ${c.id}`), c.id))
    .filter((s) => !names.has(s.name));
  if (added.length === 0 && kept.length === settings.sources.length) return settings;
  return validateSettings({ ...settings, sources: [...kept, ...added] }, { label: `${settings.name} with its imported sources` });
}
