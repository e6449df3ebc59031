import type { FieldMapping, Settings } from '../config/settings-schema.js';
import { attributeTypes } from '../config/load-settings.js';
import type { Attributes, AttributeType } from '../model/attributes.js';
import { standardizeAddress } from './address.js';
import { standardizeDate, type DateOrder } from './date.js';
import { standardizeEmail } from './email.js';
import { standardizeName, standardizeOrgName } from './name.js';
import { standardizePhone } from './phone.js';
import { standardizePostcode } from './postcode.js';
import { foldText, standardizeCode } from './text.js';
import { lookup } from './lookup.js';
import { applyTransforms, hasTransforms } from './field-transforms.js';

export { lookup } from './lookup.js';

export interface StandardizeContext {
  types: Record<string, AttributeType>;
  phoneRegion: string;
  dateOrder: DateOrder;
  exclude: ReadonlyArray<{ attribute: string; pattern: RegExp; reason: string }>;
  /** Results of values seen before, per type: names and dates repeat across a million records. */
  memo?: Map<AttributeType, Map<string, ReturnType<typeof standardizeValue>>>;
}

/**
 * Types whose values repeat and cost enough to be worth remembering (measured: a lookup
 * costs about what folding a short code does, so codes, postcodes and text are not kept;
 * emails and phones are mostly unique; street addresses too: 88% of 250,000 were distinct,
 * and remembered they took 1,149 ms against 471 ms standardized every time).
 */
const MEMO_TYPES = new Set<AttributeType>(['name', 'fullName', 'orgName', 'date']);
const MEMO_LIMIT = 200_000;

export interface FieldIssue {
  /** Canonical attribute. */
  field: string;
  /** Source column(s) it came from. */
  column: string;
  reason: string;
}

export interface StandardizedRecord {
  attrs: Attributes;
  /** Values that could not be used (the record is still matched on the rest), and values read one of two ways. */
  issues: FieldIssue[];
  /** Set when a required attribute is missing or invalid: the record is quarantined. */
  rejection: FieldIssue | null;
  /** Set when the record is not a customer at all (a meter, a test account). */
  excludedBecause: string | null;
}

export function buildContext(options: {
  types: Record<string, AttributeType>;
  phoneRegion: string;
  dateOrder: DateOrder;
  exclude: ReadonlyArray<{ attribute: string; pattern: string; reason: string }>;
}): StandardizeContext {
  return {
    types: options.types,
    phoneRegion: options.phoneRegion,
    dateOrder: options.dateOrder,
    exclude: options.exclude.map((e) => ({ attribute: e.attribute, pattern: new RegExp(e.pattern, 'i'), reason: e.reason })),
    memo: new Map(),
  };
}

/** Each source's standardization context: the defaults, with the source's own date order and phone region. */
export function sourceContexts(settings: Settings): Map<string, StandardizeContext> {
  const types = attributeTypes(settings);
  return new Map(settings.sources.map((s) => [s.name, buildContext({
    types,
    phoneRegion: s.phoneRegion ?? settings.defaults.phoneRegion,
    dateOrder: s.dateOrder ?? settings.defaults.dateOrder,
    exclude: settings.exclude,
  })]));
}

/** Maps one source row onto the canonical attributes and standardizes each value. */
export function standardizeRecord(
  row: Readonly<Record<string, unknown>>,
  fields: Readonly<Record<string, FieldMapping>>,
  ctx: StandardizeContext,
): StandardizedRecord {
  const attrs: Attributes = {};
  const issues: FieldIssue[] = [];
  let rejection: FieldIssue | null = null;
  const steps = fieldSteps(fields);
  for (let f = 0; f < steps.length; f++) {
    const { field, column, required } = steps[f]!;
    const raw = extract(row, steps[f]!);
    const type = ctx.types[field] ?? 'text';
    const result = rememberedValue(type, raw, ctx);
    if (typeof result === 'object' && result !== null && 'value' in result) {
      attrs[field] = result.value;
      issues.push({ field, column, reason: result.note });
    } else if (typeof result === 'object' && result !== null) {
      attrs[field] = null;
      const issue = { field, column, reason: result.invalid };
      issues.push(issue);
      if (required && !rejection) rejection = issue;
    } else {
      attrs[field] = result;
      if (result === null && required && !rejection) rejection = { field, column, reason: 'required value is missing' };
    }
  }
  let excludedBecause: string | null = null;
  for (const rule of ctx.exclude) {
    const value = attrs[rule.attribute];
    if (value && rule.pattern.test(value)) {
      excludedBecause = rule.reason;
      break;
    }
  }
  return { attrs, issues, rejection, excludedBecause };
}

function rememberedValue(type: AttributeType, raw: string | null, ctx: StandardizeContext): ReturnType<typeof standardizeValue> {
  if (!ctx.memo || raw === null || !MEMO_TYPES.has(type)) return standardizeValue(type, raw, ctx);
  let memo = ctx.memo.get(type);
  if (!memo) ctx.memo.set(type, (memo = new Map()));
  let result = memo.get(raw);
  if (result === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    result = standardizeValue(type, raw, ctx);
    memo.set(raw, result);
  }
  return result;
}

/**
 * The standardized value, null when missing, or why the value cannot be used; a value with a
 * note when it was read one of two possible ways (an ambiguous day and month).
 */
export function standardizeValue(
  type: AttributeType,
  raw: string | null,
  ctx: Pick<StandardizeContext, 'phoneRegion' | 'dateOrder'>,
): string | null | { invalid: string } | { value: string; note: string } {
  switch (type) {
    case 'name':
    case 'fullName':
      return standardizeName(raw);
    case 'orgName':
      return standardizeOrgName(raw);
    case 'email': {
      const r = standardizeEmail(raw);
      return r === null ? null : 'value' in r ? r.value : r;
    }
    case 'phone': {
      const r = standardizePhone(raw, ctx.phoneRegion);
      return r === null ? null : 'value' in r ? r.value : r;
    }
    case 'date': {
      const r = standardizeDate(raw, ctx.dateOrder);
      if (r === null || !('value' in r)) return r;
      if (r.alternative === undefined) return r.value;
      return { value: r.value, note: `ambiguous day and month in "${raw}": read as ${ctx.dateOrder} (${r.value}), could be ${r.alternative}` };
    }
    case 'postcode':
      return standardizePostcode(raw);
    case 'address':
      return standardizeAddress(raw);
    case 'code':
      return standardizeCode(raw);
    case 'text':
      return foldText(raw);
  }
}

/** A field's mapping read once: the column, whether required, and what reading it takes. */
interface FieldStep {
  field: string;
  mapping: FieldMapping;
  /** The source column(s), as issues name them. */
  column: string;
  required: boolean;
  /** The one column read as it is (no joining, no transforms), or null. */
  plain: string | null;
}

/** Per source's field mappings: every record of the source reads its fields the same way. */
const steps = new WeakMap<Readonly<Record<string, FieldMapping>>, FieldStep[]>();

function fieldSteps(fields: Readonly<Record<string, FieldMapping>>): FieldStep[] {
  let known = steps.get(fields);
  if (known === undefined) {
    known = Object.entries(fields).map(([field, mapping]) => {
      if (typeof mapping === 'string') return { field, mapping, column: mapping, required: false, plain: mapping };
      const column = mapping.column ?? (mapping.columns ?? []).join('+');
      const plain = mapping.column !== undefined && !hasTransforms(mapping) ? mapping.column : null;
      return { field, mapping, column, required: mapping.required, plain };
    });
    steps.set(fields, known);
  }
  return known;
}

function extract(row: Readonly<Record<string, unknown>>, step: FieldStep): string | null {
  if (step.plain !== null) return asText(lookup(row, step.plain));
  const mapping = step.mapping as Exclude<FieldMapping, string>;
  let raw: string | null;
  if (mapping.column !== undefined) {
    raw = asText(lookup(row, mapping.column));
  } else {
    const parts = (mapping.columns ?? []).map((c) => asText(lookup(row, c))).filter((v): v is string => v !== null && v.trim() !== '');
    raw = parts.length === 0 ? null : parts.join(mapping.join);
  }
  return hasTransforms(mapping) ? applyTransforms(raw, mapping) : raw;
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}
