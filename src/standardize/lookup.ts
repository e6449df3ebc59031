/** A column name, or a dot path into nested JSON ("address.city") when no column has that exact name. */
export function lookup(row: Readonly<Record<string, unknown>>, column: string): unknown {
  if (column in row) return row[column];
  if (!column.includes('.')) return undefined;
  let current: unknown = row;
  for (const part of column.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
