/**
 * A record's values of a list of attributes sent as one text: joined by a control character
 * standardized values do not hold, '' where one is missing. Postgres writes it
 * (`packedAttributes`), the match load and survive read it back. When a value does hold the
 * separator, the text does not split into one part per attribute, and the reader falls back
 * to reading those records another way.
 */
export const PACKED_SEPARATOR = '\u001f';

/** Whether a packed text splits into exactly `count` values. */
export function splitsInto(text: string, count: number): boolean {
  let seps = 0;
  for (let at = text.indexOf(PACKED_SEPARATOR); at >= 0; at = text.indexOf(PACKED_SEPARATOR, at + 1)) seps++;
  return seps === count - 1;
}
