import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Settings, SourceSettings } from '../src/config/settings-schema.js';

/** When the changed records say they changed: after anything the generator writes. */
const CHANGED_AT = '2031-01-01T00:00:00Z';
const NEW_STREET = '42 Harbour View Rd';

/**
 * Moves every n-th record of each file source to a new street, stamped as changed now, as a
 * nightly delta would; the originals are kept beside the files (`.orig`) for `restoreFiles`.
 * Returns how many records changed.
 */
export async function changeRecords(settings: Settings, share: number): Promise<number> {
  const every = Math.max(1, Math.round(1 / share));
  let changed = 0;
  for (const source of settings.sources) {
    if (source.kind !== 'csv' && source.kind !== 'jsonl') continue;
    const path = source.path;
    await restoreFile(path);
    const text = await readFile(path, 'utf8');
    const next = source.kind === 'csv' ? changeCsv(text, source, every) : changeJsonl(text, source, every);
    changed += next.changed;
    await rename(path, `${path}.orig`);
    await writeFile(path, next.text);
  }
  return changed;
}

/** Puts the original files back; returns how many it put back. */
export async function restoreFiles(settings: Settings): Promise<number> {
  let restored = 0;
  for (const source of settings.sources) {
    if ((source.kind === 'csv' || source.kind === 'jsonl') && await restoreFile(source.path)) restored++;
  }
  return restored;
}

async function restoreFile(path: string): Promise<boolean> {
  if (!existsSync(`${path}.orig`)) return false;
  await rename(`${path}.orig`, path);
  return true;
}

function column(source: SourceSettings, attribute: string): string | undefined {
  const field = source.fields[attribute];
  return typeof field === 'string' ? field : field?.column;
}

function changeCsv(text: string, source: SourceSettings & { kind: 'csv' }, every: number): { text: string; changed: number } {
  const delimiter = source.delimiter ?? ',';
  const rows = parse(text, { delimiter, relax_column_count: true }) as string[][];
  const header = rows[0]!;
  const street = header.indexOf(column(source, 'street') ?? '');
  const updated = header.indexOf(source.updatedAt ?? '');
  let changed = 0;
  for (let i = 1; i < rows.length; i += every) {
    if (street >= 0) rows[i]![street] = NEW_STREET;
    if (updated >= 0) rows[i]![updated] = CHANGED_AT;
    changed++;
  }
  return { text: stringify(rows, { delimiter }), changed };
}

function changeJsonl(text: string, source: SourceSettings & { kind: 'jsonl' }, every: number): { text: string; changed: number } {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const streetPath = column(source, 'street')?.split('.');
  let changed = 0;
  for (let i = 0; i < lines.length; i += every) {
    const row = JSON.parse(lines[i]!) as Record<string, unknown>;
    if (streetPath) setPath(row, streetPath, NEW_STREET);
    if (source.updatedAt) setPath(row, source.updatedAt.split('.'), CHANGED_AT);
    lines[i] = JSON.stringify(row);
    changed++;
  }
  return { text: `${lines.join('\n')}\n`, changed };
}

function setPath(row: Record<string, unknown>, path: string[], value: string): void {
  let at: Record<string, unknown> = row;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
}
