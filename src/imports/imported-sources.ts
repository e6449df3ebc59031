import type { TransactionSql } from 'postgres';
import { attributeTypes, validateSettings } from '../config/load-settings.js';
import type { Settings, SourceSettings } from '../config/settings-schema.js';
import type { Sql } from '../db/client.js';
import { importedSource, validateImportConfig } from '../config/import-config.js';

type Queryable = Sql | TransactionSql;

/** The deployment's committed imports, oldest first: with its latest run, what the master is made of. */
export async function committedImports(sql: Queryable, deployment: string): Promise<Array<{ id: string; config: unknown }>> {
  return sql<{ id: string; config: unknown }[]>`
    select id, config from reconciliations where deployment = ${deployment} and status = 'committed' order by committed_at, id`;
}

/**
 * A deployment's settings as a run needs them: the sources its settings name, plus each
 * source a committed import brought in (their records live in goldrun and would otherwise
 * be missing from every later run's clusters), minus imported sources rolled back since.
 * An imported source keeps only the attributes the settings still know: a later edit of the
 * settings must not stop every run.
 */
export async function withImportedSources(sql: Queryable, settings: Settings): Promise<Settings> {
  const committed = await committedImports(sql, settings.name);
  const live = new Set(committed.map((c) => c.id));
  const kept = settings.sources.filter((s) => s.kind !== 'imported' || live.has(s.reconciliation));
  const names = new Set(kept.map((s) => s.name));
  const known = attributeTypes(settings);
  const added: SourceSettings[] = [];
  for (const c of committed) {
    const source = importedSource(validateImportConfig(c.config, `import ${c.id}`), c.id);
    if (names.has(source.name)) continue;
    names.add(source.name);
    const fields = Object.fromEntries(Object.entries(source.fields).filter(([a]) => a in known));
    const attributeTrust = Object.fromEntries(Object.entries(source.attributeTrust).filter(([a]) => a in fields));
    added.push({ ...source, fields, attributeTrust });
  }
  if (added.length === 0 && kept.length === settings.sources.length) return settings;
  return validateSettings({ ...settings, sources: [...kept, ...added] }, { label: `${settings.name} with the sources of its committed imports` });
}

/** The committed imports a run's settings include. */
export function importsIn(settings: Settings): string[] {
  return settings.sources.flatMap((s) => (s.kind === 'imported' ? [s.reconciliation] : [])).sort();
}
