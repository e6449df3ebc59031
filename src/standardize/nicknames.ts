import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

/** Given name → its nicknames, and nickname → the given names it is short for. */
export interface NicknameTable {
  nicknamesOf: Map<string, string[]>;
  namesFor: Map<string, string[]>;
}

/** Parses the carltonnorthern/nicknames CSV (`name1,relationship,name2`). */
export function parseNicknames(csv: string): NicknameTable {
  const nicknamesOf = new Map<string, string[]>();
  const namesFor = new Map<string, string[]>();
  for (const line of csv.split(/\r?\n/).slice(1)) {
    const [name, relation, nickname] = line.split(',');
    if (!name || !nickname || relation !== 'has_nickname') continue;
    const a = name.trim().toLowerCase();
    const b = nickname.trim().toLowerCase();
    (nicknamesOf.get(a) ?? nicknamesOf.set(a, []).get(a)!).push(b);
    (namesFor.get(b) ?? namesFor.set(b, []).get(b)!).push(a);
  }
  return { nicknamesOf, namesFor };
}

let cached: NicknameTable | undefined;

/** The nickname list shipped in data/nicknames (Apache-2.0, see its NOTICE). */
export function loadNicknames(): NicknameTable {
  cached ??= parseNicknames(readFileSync(join(packageRoot(), 'data', 'nicknames', 'names.csv'), 'utf8'));
  return cached;
}

/**
 * A given name's canonical forms: itself when it has nicknames, and every name it is a
 * nickname of. "bob" → [robert]; "rob" → [robert, robin, ...]; "robert" → [robert].
 * Two names are nickname-equivalent when their canonical forms meet.
 */
export function canonicalForms(table: NicknameTable, name: string): string[] {
  const forms = new Set<string>(table.namesFor.get(name) ?? []);
  if (table.nicknamesOf.has(name)) forms.add(name);
  return [...forms].sort();
}
