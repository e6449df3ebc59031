import type { Sql } from '../db/client.js';
import { PACKED_SEPARATOR } from '../model/packed-values.js';

/** A source record's (alias `r`) values of the attributes, packed in that order (src/model/packed-values.ts). */
export function packedAttributes(sql: Sql, attributes: ReadonlyArray<string>) {
  const values = attributes.map((a) => sql`coalesce(r.attrs->>${a}, '')`).reduce((all, v) => sql`${all}, ${v}`);
  return sql`concat_ws(${PACKED_SEPARATOR}::text, ${values})`;
}

/** A source record's (alias `r`) change time in ms since the epoch, as float8; null when the source gives none. */
export function sourceUpdatedMs(sql: Sql) {
  return sql`(extract(epoch from r.source_updated_at) * 1000)::float8`;
}
