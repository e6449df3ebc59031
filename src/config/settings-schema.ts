import { z } from 'zod';
import { ATTRIBUTE_TYPES } from '../model/attributes.js';
import { comparisonSchema } from './comparison-schema.js';

export { comparisonSchema, type ComparisonSettings, type Level } from './comparison-schema.js';

const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must start with a letter and hold only letters, digits and _');

/** A canonical attribute taken from one source column, or from several joined. */
const fieldMapping = z.union([
  z.string().min(1),
  z.object({
    column: z.string().min(1).optional(),
    columns: z.array(z.string().min(1)).min(1).optional(),
    join: z.string().default(' '),
    // Declared transforms, applied in this order (split, pattern, map) before the value is standardized.
    /** One part of a full name in one column ("Smith, John A." or "John A. Smith"). */
    split: z.enum(['first', 'middle', 'last']).optional(),
    /** A regular expression: its first capture group is the value (no match: no value). */
    pattern: z.string().min(1).refine(validRegex, 'must be a valid regular expression with a capture group').optional(),
    /** Codes to values (status codes, titles): a code not listed keeps its value unless `default` is given. */
    map: z.record(z.string(), z.string().nullable()).optional(),
    default: z.string().nullable().optional(),
    /** A record whose value is missing or invalid here is quarantined instead of matched. */
    required: z.boolean().default(false),
  }).strict().refine((f) => (f.column === undefined) !== (f.columns === undefined), 'give either column or columns'),
]);

function validRegex(pattern: string): boolean {
  try {
    return new RegExp(`${pattern}|`).exec('')!.length > 1;
  } catch {
    return false;
  }
}

/**
 * One account row holding several people (contact1_name, contact2_name, …) read as one
 * record per contact: each entry names, for its contact, the account columns to read under
 * the names `fields` use. The record's id is the account's id, "#" and the suffix; a contact
 * whose columns are all empty is no record.
 */
const contactsMapping = z.array(z.object({
  suffix: z.string().min(1).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  columns: z.record(z.string().min(1), z.string().min(1)).refine((c) => Object.keys(c).length > 0, 'map at least one column'),
}).strict()).min(1);

const sourceCommon = {
  name: identifier,
  /** Column holding the record's id in this system. */
  id: z.string().min(1),
  /** Column holding the record's last-change time; makes pulls incremental. */
  updatedAt: z.string().min(1).optional(),
  fields: z.record(z.string(), fieldMapping).refine((f) => Object.keys(f).length > 0, 'map at least one attribute'),
  /** How far this source is trusted by `sourcePriority` survivorship when no order is given (higher wins). */
  trust: z.number().min(0).max(1).default(0.5),
  /** Trust for single attributes where it differs from `trust` (a billing system's address, a web shop's email). */
  attributeTrust: z.record(identifier, z.number().min(0).max(1)).default({}),
  /** This source's way of writing ambiguous dates and local phone numbers, when it differs from `defaults`. */
  dateOrder: z.enum(['DMY', 'MDY', 'YMD']).optional(),
  phoneRegion: z.string().length(2).optional(),
  /** Only rows whose column matches the pattern (with `exclude: true`, only those that do not). */
  where: z.object({
    column: z.string().min(1),
    matches: z.string().min(1),
    exclude: z.boolean().default(false),
  }).strict().optional(),
  contacts: contactsMapping.optional(),
};

const csvSource = z.object({
  ...sourceCommon,
  kind: z.literal('csv'),
  path: z.string().min(1),
  delimiter: z.string().min(1).max(2).default(','),
  quote: z.string().length(1).default('"'),
  encoding: z.enum(['utf8', 'latin1', 'utf16le']).default('utf8'),
  trim: z.boolean().default(true),
}).strict();

const jsonlSource = z.object({
  ...sourceCommon,
  kind: z.literal('jsonl'),
  path: z.string().min(1),
}).strict();

const postgresSource = z.object({
  ...sourceCommon,
  kind: z.literal('postgres'),
  /** Environment variable holding the connection string: secrets never live in settings. */
  urlEnv: z.string().min(1),
  query: z.string().min(1),
  batchSize: z.number().int().positive().default(1000),
}).strict();

const pagination = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z.object({
    type: z.literal('page'),
    pageParam: z.string().default('page'),
    sizeParam: z.string().default('per_page'),
    size: z.number().int().positive().default(100),
    firstPage: z.number().int().min(0).default(1),
  }).strict(),
  z.object({
    type: z.literal('cursor'),
    cursorParam: z.string().default('cursor'),
    /** Dot path of the next cursor in each response; a missing or null cursor ends the pull. */
    nextCursorPath: z.string().default('next_cursor'),
    sizeParam: z.string().optional(),
    size: z.number().int().positive().optional(),
  }).strict(),
]);

const httpSource = z.object({
  ...sourceCommon,
  kind: z.literal('http'),
  url: z.string().url(),
  /** Environment variable holding a bearer token. */
  tokenEnv: z.string().min(1).optional(),
  /** Dot path of the array of records in each response ("" when the body is the array). */
  recordsPath: z.string().default('data'),
  pagination: pagination.default({ type: 'none' }),
  /** Query parameter carrying the watermark on incremental pulls. */
  updatedSinceParam: z.string().optional(),
  retries: z.number().int().min(0).max(10).default(4),
  retryDelayMs: z.number().int().min(0).default(250),
  timeoutMs: z.number().int().positive().default(30_000),
}).strict();

/**
 * A source whose records came in once, by an acquisition import (`goldrun import --commit`),
 * and live in goldrun since: runs keep its records as they are and never pull it.
 */
const importedSource = z.object({
  ...sourceCommon,
  kind: z.literal('imported'),
  /** The reconciliation that brought the records in. */
  reconciliation: z.string().min(1),
}).strict();

export const sourceSchema = z.discriminatedUnion('kind', [csvSource, jsonlSource, postgresSource, httpSource, importedSource]);

/** "postcode", "lastName:soundex", "firstName:prefix(3)", "birthDate:year". */
export const BLOCKING_TRANSFORMS = ['exact', 'soundex', 'metaphone', 'prefix', 'year', 'initial', 'sortedTokens', 'localPart', 'domain', 'dayMonthAnyOrder'] as const;
const blockingPart = z.string().regex(
  /^[A-Za-z][A-Za-z0-9_]*(:(exact|soundex|metaphone|initial|year|sortedTokens|localPart|domain|dayMonthAnyOrder|prefix\([1-9][0-9]?\)))?$/,
  'use attribute or attribute:transform (exact, soundex, metaphone, initial, year, sortedTokens, localPart, domain, dayMonthAnyOrder, prefix(n))',
);

const survivorshipRule = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('sourcePriority'), order: z.array(identifier).min(1).optional() }).strict(),
  z.object({ rule: z.literal('mostRecent') }).strict(),
  z.object({ rule: z.literal('mostFrequent') }).strict(),
  z.object({ rule: z.literal('longest') }).strict(),
  z.object({ rule: z.literal('aggregate') }).strict(),
  z.object({ rule: z.literal('min') }).strict(),
  z.object({ rule: z.literal('max') }).strict(),
  z.object({ rule: z.literal('trustDecay'), halfLifeDays: z.number().positive() }).strict(),
]);

const probability = z.number().gt(0).lt(1);

export const settingsSchema = z.object({
  version: z.literal(1).default(1),
  name: identifier,
  /** What a golden record is. Persons only for now; organizations and households come later. */
  entity: z.object({ type: z.enum(['person']).default('person') }).strict().prefault({}),
  linkType: z.enum(['dedupe_only', 'link_only', 'link_and_dedupe']).default('link_and_dedupe'),
  defaults: z.object({
    phoneRegion: z.string().length(2).default('US'),
    /** How to read dates like 03/04/1980 when a source does not say. */
    dateOrder: z.enum(['DMY', 'MDY', 'YMD']).default('DMY'),
  }).strict().prefault({}),
  attributes: z.record(identifier, z.enum(ATTRIBUTE_TYPES)).default({}),
  sources: z.array(sourceSchema).min(1),
  /** Records that are not customers at all (meters, test accounts): kept, classified, never matched. */
  exclude: z.array(z.object({
    attribute: identifier,
    pattern: z.string().min(1),
    reason: z.string().min(1),
  }).strict()).default([]),
  blocking: z.object({
    rules: z.array(z.array(blockingPart).min(1)).min(1),
    /** Blocks with more records than this are skipped and reported (a shared "N/A", a switchboard phone). */
    maxBlockSize: z.number().int().min(2).default(1000),
  }).strict(),
  comparisons: z.array(comparisonSchema).min(1).max(12),
  model: z.object({
    /** Random record pairs sampled to estimate u-probabilities. */
    randomPairs: z.number().int().positive().default(300_000),
    maxIterations: z.number().int().positive().default(50),
    seed: z.number().int().default(42),
    /** Prior probability that a candidate pair matches, when you would rather pin it than estimate it. */
    prior: probability.optional(),
    /**
     * `sessions` (as Splink): u from random pairs; m by expectation–maximisation on the pairs of
     * each blocking rule in turn, leaving out the comparisons that rule blocks on; then the prior.
     * `candidates`: one EM over all candidate pairs that estimates m, u and the prior together.
     */
    training: z.enum(['sessions', 'candidates']).default('sessions'),
    /** A model file saved by `goldrun evaluate --save-model` or `goldrun model`: used as is, no training. */
    file: z.string().min(1).optional(),
    /**
     * A run with the same settings as the last completed one scores with that run's model
     * while it is younger than this many days, so unchanged records keep their links from run
     * to run; 0 trains on every run.
     */
    reuseForDays: z.number().int().min(0).default(30),
  }).strict().prefault({}),
  thresholds: z.object({
    /** Pairs at or above this match probability are linked. */
    match: probability.default(0.9),
    /** Pairs between review and match are kept as possible matches for a person to decide. */
    review: probability.default(0.5),
    /** The same thresholds as match weights (log2 of the odds); they win over the probabilities when given. */
    matchWeight: z.number().optional(),
    reviewWeight: z.number().optional(),
  }).strict().prefault({}),
  survivorship: z.object({
    default: survivorshipRule.default({ rule: 'mostFrequent' }),
    attributes: z.record(identifier, survivorshipRule).default({}),
  }).strict().prefault({}),
  run: z.object({
    /** Attempts per stage job before the run fails. */
    attempts: z.number().int().min(1).max(20).default(3),
    backoffMs: z.number().int().min(0).default(1000),
    /** Score shards; more shards spread work more evenly across threads and workers. */
    shards: z.number().int().min(1).max(4096).default(16),
    /**
     * Score jobs a run fans out to (each takes every n-th shard); workers on several
     * machines share them. A worker keeps the run's records in memory between its parts.
     */
    scoreParts: z.number().int().min(1).max(64).default(4),
    /** Scoring threads per worker process; 0 means one per core. */
    threads: z.number().int().min(0).max(64).default(0),
    batchSize: z.number().int().min(1).max(100_000).default(2000),
  }).strict().prefault({}),
}).strict();

export type SettingsInput = z.input<typeof settingsSchema>;
export type Settings = z.output<typeof settingsSchema>;
export type SourceSettings = z.output<typeof sourceSchema>;
export type SurvivorshipRule = z.output<typeof survivorshipRule>;
export type FieldMapping = z.output<typeof fieldMapping>;
