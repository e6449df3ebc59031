import { createHash } from 'node:crypto';

/** A hash of a row's content that does not depend on key order, to tell changed rows from unchanged ones. */
export function contentHash(values: unknown): string {
  return createHash('sha1').update(canonical(values)).digest('base64url');
}

function canonical(value: unknown): string {
  if (value === undefined) return 'null';
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) return canonicalObject(value as Record<string, unknown>);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value as object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(typeof value === 'bigint' ? value.toString() : value);
}

/** An object's keys in sorted order; flat rows (CSV, most APIs) take the loop, not the recursion. */
function canonicalObject(value: Record<string, unknown>): string {
  const keys = Object.keys(value).sort();
  let out = '{';
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const v = value[key];
    if (k > 0) out += ',';
    out += JSON.stringify(key);
    out += ':';
    out += typeof v === 'string' ? JSON.stringify(v) : canonical(v);
  }
  return `${out}}`;
}

/** JSON for jsonb columns: dates as ISO text, bigints as text. */
export function toJson(value: unknown): string {
  // A replacer is called for every key and made this a tenth of a pull's time; only rows
  // from a database hold bigints, and JSON.stringify throws a TypeError on those.
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
  }
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
