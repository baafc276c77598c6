/**
 * A record's number in the history's index (version 5): the key's jsonb hash seeded with the
 * table's name. One bigint per entry instead of (table, schema, key, id): a btree insert compares
 * two integers per level instead of two texts under the collation and two jsonb values, and the
 * index is a third of the size. Equal keys hash equal (jsonb_hash_extended follows jsonb
 * equality); a collision only reads a few more rows, which the equality on table, schema and key
 * beside it drops. Readers must spell it exactly so, or the planner cannot use the index.
 */
export function recordHashSql(rowKey: string, tableName: string): string {
  return `jsonb_hash_extended(${rowKey}, hashtextextended(${tableName}, 0))`;
}
