import { isoInstant } from '../model/iso-time.js';

/**
 * Watermarks are kept as text. Timestamps are compared as instants; anything else (an
 * opaque cursor, a sequence number) by number when both are numeric, else as text.
 */
export function compareWatermarks(a: string, b: string): number {
  const ta = asInstant(a);
  const tb = asInstant(b);
  if (ta !== null && tb !== null) return ta - tb;
  // Sequence numbers and snowflake ids pass 2^53: whole numbers compare exactly as BigInts.
  if (/^-?\d+$/.test(a.trim()) && /^-?\d+$/.test(b.trim())) {
    const d = BigInt(a.trim()) - BigInt(b.trim());
    return d > 0n ? 1 : d < 0n ? -1 : 0;
  }
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function asInstant(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** Normalises an updated-at value for storage: ISO instants stay comparable as text. */
export function normaliseWatermark(value: unknown): string | null {
  return watermarkOf(value)?.text ?? null;
}

/**
 * `normaliseWatermark`'s text and, when that is an ISO instant, the instant (`asInstant` of
 * the text), from one parse: a pull asks both of every row, and parsed the date twice.
 */
export function watermarkOf(value: unknown): { text: string; instant: number | null } | null {
  if (value === null || value === undefined || value === '') return null;
  // An invalid Date throws here, in toISOString, as it always did.
  if (value instanceof Date) return instantText(value.getTime());
  const text = String(value).trim();
  const t = asInstant(text);
  return t === null ? { text, instant: null } : instantText(t);
}

function instantText(t: number): { text: string; instant: number | null } {
  const text = isoInstant(t);
  // Past year 9999 the ISO text starts "+010000-", which asInstant does not read as an instant.
  return { text, instant: text.charCodeAt(4) === 45 ? t : null };
}

/** Keeps the larger of two watermarks. */
export function maxWatermark(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareWatermarks(a, b) >= 0 ? a : b;
}
