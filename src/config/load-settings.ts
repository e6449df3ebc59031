import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { parse as parseYaml, stringify as stringifyYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { SettingsError } from '../errors.js';
import { DEFAULT_ATTRIBUTES, type AttributeType } from '../model/attributes.js';
import { levelLabel, type Level } from './comparison-schema.js';
import { settingsSchema, type Settings } from './settings-schema.js';

/** Reads a YAML or JSON settings file; relative source paths are taken from the file's folder. */
export async function loadSettings(file: string): Promise<Settings> {
  return validateSettings(await readYamlFile(file), { label: file, baseDir: dirname(resolve(file)) });
}

/** A YAML (or JSON) file's content, or a SettingsError naming the file and, for bad YAML, the line. */
export async function readYamlFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SettingsError(file, [`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? `line ${err.linePos[0].line}, column ${err.linePos[0].col}: ` : '';
    throw new SettingsError(file, [`${where}not valid YAML or JSON (${(err as Error).message.split('\n')[0]})`]);
  }
}

export interface ValidateOptions {
  /** Names the settings in error messages (usually the file path). */
  label?: string;
  /** Folder that relative source paths are resolved against. */
  baseDir?: string;
}

/** Validates settings given as data and reports every problem at once, each with its path. */
export function validateSettings(raw: unknown, options: ValidateOptions = {}): Settings {
  const label = options.label ?? 'settings';
  const parsed = settingsSchema.safeParse(raw, {
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined),
  });
  if (!parsed.success) {
    throw new SettingsError(label, parsed.error.issues.map(formatIssue));
  }
  const settings = parsed.data;
  const problems = crossCheck(settings);
  if (problems.length > 0) throw new SettingsError(label, problems);
  if (options.baseDir) {
    for (const source of settings.sources) {
      if ((source.kind === 'csv' || source.kind === 'jsonl') && !isAbsolute(source.path)) {
        source.path = resolve(options.baseDir, source.path);
      }
    }
    if (settings.model.file && !isAbsolute(settings.model.file)) settings.model.file = resolve(options.baseDir, settings.model.file);
  }
  return settings;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/** Every attribute a deployment knows: the canonical ones plus its own. */
export function attributeTypes(settings: Settings): Record<string, AttributeType> {
  return { ...DEFAULT_ATTRIBUTES, ...settings.attributes };
}

/** References between parts of the settings, which a schema alone cannot check. */
function crossCheck(settings: Settings): string[] {
  const problems: string[] = [];
  const known = attributeTypes(settings);
  const mapped = new Set<string>();
  const names = new Set<string>();
  settings.sources.forEach((source, i) => {
    if (names.has(source.name)) problems.push(`sources[${i}].name: "${source.name}" is used by another source`);
    names.add(source.name);
    if (source.where) {
      try {
        new RegExp(source.where.matches);
      } catch (err) {
        problems.push(`sources[${i}].where.matches: ${(err as Error).message}`);
      }
    }
    for (const attribute of Object.keys(source.fields)) {
      if (!(attribute in known)) problems.push(`sources[${i}].fields.${attribute}: unknown attribute (declare it under attributes)`);
      mapped.add(attribute);
    }
    for (const attribute of Object.keys(source.attributeTrust)) {
      if (!(attribute in source.fields)) problems.push(`sources[${i}].attributeTrust.${attribute}: this source does not map attribute "${attribute}"`);
    }
  });
  const checkAttribute = (path: string, attribute: string) => {
    if (!(attribute in known)) problems.push(`${path}: unknown attribute "${attribute}"`);
    else if (!mapped.has(attribute)) problems.push(`${path}: no source maps attribute "${attribute}"`);
  };
  settings.blocking.rules.forEach((rule, i) =>
    rule.forEach((part, j) => checkAttribute(`blocking.rules[${i}][${j}]`, part.split(':')[0]!)));
  const compared = new Set<string>();
  settings.comparisons.forEach((c, i) => {
    checkAttribute(`comparisons[${i}].attribute`, c.attribute);
    if (compared.has(c.attribute)) problems.push(`comparisons[${i}].attribute: "${c.attribute}" is compared twice`);
    compared.add(c.attribute);
    c.levels.forEach((level, k) => {
      if (level.kind === 'reversed') checkAttribute(`comparisons[${i}].levels[${k}].reversed`, level.other);
      const shadow = c.levels.slice(0, k).find((earlier) => covers(earlier, level));
      if (shadow) problems.push(`comparisons[${i}].levels[${k}]: never reached, an earlier level (${levelLabel(shadow)}) takes every pair it would`);
    });
  });
  settings.exclude.forEach((rule, i) => {
    checkAttribute(`exclude[${i}].attribute`, rule.attribute);
    try {
      new RegExp(rule.pattern, 'i');
    } catch (err) {
      problems.push(`exclude[${i}].pattern: ${(err as Error).message}`);
    }
  });
  if (settings.thresholds.review > settings.thresholds.match) {
    problems.push('thresholds.review: must not be above thresholds.match');
  }
  const { matchWeight, reviewWeight } = settings.thresholds;
  if ((matchWeight === undefined) !== (reviewWeight === undefined)) {
    problems.push('thresholds: give both matchWeight and reviewWeight, or neither');
  } else if (matchWeight !== undefined && reviewWeight! > matchWeight) {
    problems.push('thresholds.reviewWeight: must not be above thresholds.matchWeight');
  }
  const checkRule = (path: string, rule: Settings['survivorship']['default']) => {
    if (rule.rule === 'sourcePriority' && rule.order) {
      rule.order.forEach((name, k) => {
        if (!names.has(name)) problems.push(`${path}.order[${k}]: unknown source "${name}"`);
      });
    }
  };
  checkRule('survivorship.default', settings.survivorship.default);
  for (const [attribute, rule] of Object.entries(settings.survivorship.attributes)) {
    if (!(attribute in known)) problems.push(`survivorship.attributes.${attribute}: unknown attribute`);
    checkRule(`survivorship.attributes.${attribute}`, rule);
  }
  if (settings.linkType === 'link_only' && settings.sources.length < 2) {
    problems.push('linkType: link_only needs at least two sources');
  }
  return problems;
}

/** A stable fingerprint of what the settings mean, to tell when standardized data is stale. */
export function settingsFingerprint(settings: Settings): string {
  return createHash('sha256').update(canonicalJson(settings)).digest('hex').slice(0, 16);
}

export function settingsToYaml(settings: Settings): string {
  return stringifyYaml(settings);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether level `a`, listed first, takes every pair that level `b` would take. */
function covers(a: Level, b: Level): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'jaroWinkler':
    case 'jaccard':
      return a.threshold <= (b as typeof a).threshold;
    case 'levenshtein':
    case 'damerauLevenshtein':
      return a.max >= (b as typeof a).max;
    case 'withinDays':
      return a.days >= (b as typeof a).days;
    case 'within':
      return a.distance >= (b as typeof a).distance;
    case 'sharedTokens':
      return a.min <= (b as typeof a).min;
    case 'reversed':
      return a.other === (b as typeof a).other && a.threshold <= (b as typeof a).threshold;
    default:
      return true;
  }
}
