/** Postcodes and ZIP codes: upper case, no spaces or dashes; ZIP+4 keeps its five-digit part. */
export function standardizePostcode(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  let out = raw.toUpperCase().replace(/[\s-]+/g, '');
  if (/^\d{9}$/.test(out) && raw.includes('-')) out = out.slice(0, 5);
  if (!/^[A-Z0-9]+$/.test(out)) return null;
  return out;
}
