import { createHash } from 'node:crypto';
import { z } from 'zod';

// The live schema as the subject map needs it: user tables with their columns and primary
// keys, and every foreign key with its column pairs, read from pg_catalog in one query. What a
// server prints is untrusted input: it is parsed with bounded schemas, never trusted as text.

const Name = z.string().min(1).max(63);

export const SchemaTable = z.object({
  schema: Name,
  table: Name,
  columns: z.array(z.object({ name: Name, type: z.string().max(200) })).max(1600),
  primaryKey: z.array(Name).max(32),
});
export type SchemaTable = z.infer<typeof SchemaTable>;

export const SchemaForeignKey = z.object({
  name: Name,
  childSchema: Name,
  childTable: Name,
  childColumns: z.array(Name).min(1).max(32),
  parentSchema: Name,
  parentTable: Name,
  parentColumns: z.array(Name).min(1).max(32),
  /** pg_constraint.confdeltype: a no action, r restrict, c cascade, n set null, d set default. */
  onDelete: z.enum(['a', 'r', 'c', 'n', 'd']),
  /** Checked at commit (DEFERRABLE INITIALLY DEFERRED): a delete order may break through it. */
  deferred: z.boolean(),
});
export type SchemaForeignKey = z.infer<typeof SchemaForeignKey>;

export const SchemaGraph = z.object({
  tables: z.array(SchemaTable).max(20_000),
  foreignKeys: z.array(SchemaForeignKey).max(50_000),
});
export type SchemaGraph = z.infer<typeof SchemaGraph>;

/** Column names of a constraint's key, in the constraint's order. */
function keyColumns(rel: string, keys: string): string {
  return (
    `(SELECT coalesce(json_agg(a.attname ORDER BY k.ord), '[]') FROM unnest(${keys}) WITH ORDINALITY k(attnum, ord) ` +
    `JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.attnum)`
  );
}

/**
 * One JSON document describing the database's user tables and foreign keys (no system
 * schemas, no partitions: a partitioned table is mapped as its parent).
 */
export const SCHEMA_GRAPH_SQL =
  `SELECT json_build_object(` +
  `'tables', (SELECT coalesce(json_agg(json_build_object(` +
  `'schema', n.nspname, 'table', c.relname, ` +
  `'columns', (SELECT coalesce(json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum), '[]') ` +
  `FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), ` +
  `'primaryKey', coalesce((SELECT ${keyColumns('p.conrelid', 'p.conkey')} FROM pg_constraint p WHERE p.conrelid = c.oid AND p.contype = 'p'), '[]')` +
  `) ORDER BY n.nspname, c.relname), '[]') ` +
  `FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ` +
  `WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition ` +
  `AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'), ` +
  `'foreignKeys', (SELECT coalesce(json_agg(json_build_object(` +
  `'name', f.conname, ` +
  `'childSchema', cn.nspname, 'childTable', cc.relname, 'childColumns', ${keyColumns('f.conrelid', 'f.conkey')}, ` +
  `'parentSchema', pn.nspname, 'parentTable', pc.relname, 'parentColumns', ${keyColumns('f.confrelid', 'f.confkey')}, ` +
  `'onDelete', f.confdeltype, 'deferred', f.condeferred` +
  `) ORDER BY cn.nspname, cc.relname, f.conname), '[]') ` +
  `FROM pg_constraint f ` +
  `JOIN pg_class cc ON cc.oid = f.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace ` +
  `JOIN pg_class pc ON pc.oid = f.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace ` +
  `WHERE f.contype = 'f' AND NOT cc.relispartition AND f.conparentid = 0 ` +
  `AND cn.nspname NOT IN ('pg_catalog', 'information_schema') AND cn.nspname NOT LIKE 'pg\\_%')` +
  `)::text;`;

/**
 * The schema graph from the output of {@link SCHEMA_GRAPH_SQL}.
 * @throws Error when the text is not such a document.
 */
export function parseSchemaGraph(text: string): SchemaGraph {
  let raw: unknown;
  try {
    raw = JSON.parse(text.trim());
  } catch {
    throw new Error('the schema description from the server is not JSON');
  }
  const parsed = SchemaGraph.safeParse(raw);
  if (!parsed.success)
    throw new Error(`the schema description from the server is malformed: ${parsed.error.message}`);
  return parsed.data;
}

/** `schema.table`, the way the map names tables to people (quoting is for SQL only). */
export function tableName(t: { schema: string; table: string }): string {
  return `${t.schema}.${t.table}`;
}

/** The table of `graph` named `schema.table`, if any. */
export function findTable(
  graph: SchemaGraph,
  t: { schema: string; table: string },
): SchemaTable | undefined {
  return graph.tables.find((x) => x.schema === t.schema && x.table === t.table);
}

/**
 * A fingerprint of the parts of the schema a map depends on (the mapped tables' columns and
 * types, the foreign keys between them): the same schema gives the same text.
 */
export function schemaFingerprint(
  graph: SchemaGraph,
  tables: readonly { schema: string; table: string }[],
): string {
  const names = new Set(tables.map(tableName));
  const relevant = {
    tables: graph.tables
      .filter((t) => names.has(tableName(t)))
      .map((t) => [tableName(t), t.columns.map((c) => `${c.name}:${c.type}`), t.primaryKey])
      .sort(),
    foreignKeys: graph.foreignKeys
      .filter(
        (f) =>
          names.has(tableName({ schema: f.childSchema, table: f.childTable })) ||
          names.has(tableName({ schema: f.parentSchema, table: f.parentTable })),
      )
      .map((f) => JSON.stringify(f))
      .sort(),
  };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex');
}
