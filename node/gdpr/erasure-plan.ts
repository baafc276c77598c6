import { z } from 'zod';
import { tableName } from './schema-graph';
import type { SubjectMap } from './subject-map';

// What an erasure would do, from the dry run's lines (untrusted server output, parsed and
// bounded): rows per table, the column and values that name them for the ledger, and the
// references from outside the subject that block it (or that the database would follow).

const Line = z.discriminatedUnion('k', [
  z.object({
    k: z.literal('rows'),
    t: z.number().int().nonnegative(),
    rows: z.number().int().nonnegative(),
  }),
  z.object({
    k: z.literal('key'),
    t: z.number().int().nonnegative(),
    column: z.string().min(1).max(63),
    values: z.array(z.string()).max(1_000_000),
    exact: z.boolean(),
  }),
  z.object({
    k: z.literal('files'),
    t: z.number().int().nonnegative(),
    values: z.array(z.string().max(4096)).max(100_000),
  }),
  z.object({
    k: z.literal('ref'),
    id: z.string().min(1).max(200),
    onDelete: z.enum(['a', 'r', 'c', 'n', 'd']),
    rows: z.number().int().nonnegative(),
  }),
]);

export interface PlannedTable {
  table: string;
  schema: string;
  name: string;
  rows: number;
  /** The column whose values name exactly these rows, or null when none does. */
  column: string | null;
  values: string[];
}

export interface OutsideReference {
  /** The foreign key's link id (`schema.table.constraint`). */
  id: string;
  rows: number;
  /** blocks: the delete would fail; cascade: rows outside the subject would be deleted; clears: set to NULL/default. */
  effect: 'blocks' | 'cascade' | 'clears';
}

export interface ErasurePlan {
  tables: PlannedTable[];
  /** Attached files the subject's rows name in the map's file columns (removed by the erasure). */
  files: string[];
  references: OutsideReference[];
  /** Why the erasure cannot run as mapped (empty: it can). */
  refusals: string[];
}

const EFFECT = { a: 'blocks', r: 'blocks', c: 'cascade', n: 'clears', d: 'clears' } as const;

/** The plan from the dry run's output lines. @throws Error on lines that are not the dry run's. */
export function erasurePlan(map: SubjectMap, lines: readonly string[]): ErasurePlan {
  const tables: PlannedTable[] = map.tables.map((t) => ({
    table: tableName(t),
    schema: t.schema,
    name: t.table,
    rows: 0,
    column: null,
    values: [],
  }));
  const references: OutsideReference[] = [];
  const files = new Set<string>();
  for (const text of lines) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new Error('the server printed a line that is not JSON');
    }
    const line = Line.parse(raw);
    if (line.k === 'ref') {
      if (line.rows > 0)
        references.push({ id: line.id, rows: line.rows, effect: EFFECT[line.onDelete] });
      continue;
    }
    const planned = tables[line.t];
    if (!planned) throw new Error('the server printed a table the map does not name');
    if (line.k === 'files') {
      for (const value of line.values) if (value !== '') files.add(value);
      continue;
    }
    if (line.k === 'rows') planned.rows = line.rows;
    else if (line.exact && planned.column === null) {
      planned.column = line.column;
      planned.values = line.values;
    }
  }
  const refusals: string[] = [];
  const actionOf = new Map(map.tables.map((t) => [tableName(t), t.action]));
  for (const t of map.tables) {
    if (t.action === 'anonymise' && t.personalColumns.length === 0)
      refusals.push(
        `${tableName(t)} is marked "anonymise" but has no column marked personal: mark its personal columns, or mark it "delete".`,
      );
  }
  // Anonymised rows stay, so they must not reference rows that are deleted.
  for (const link of map.links) {
    if (!link.followed || link.source !== 'foreign-key') continue;
    const child = tableName({ schema: link.childSchema, table: link.childTable });
    const parent = tableName({ schema: link.parentSchema, table: link.parentTable });
    if (actionOf.get(child) === 'anonymise' && actionOf.get(parent) === 'delete')
      refusals.push(
        `${child} is anonymised but references ${parent}, which is deleted (${link.id}): mark ${parent} "anonymise" too, or ${child} "delete".`,
      );
  }
  for (const t of tables) {
    if (t.rows > 0 && t.column === null)
      refusals.push(
        `No column of ${t.table} names exactly the subject's rows, so a restore could not erase them again. Add a key column to the table.`,
      );
    if (t.values.length > 10_000)
      refusals.push(
        `${t.table}: ${t.values.length} key values, more than one ledger entry holds (10000).`,
      );
  }
  if (tables.filter((t) => t.rows > 0).length > 200)
    refusals.push('More than 200 tables hold the subject: more than one ledger entry holds.');
  for (const r of references) {
    if (r.effect === 'blocks')
      refusals.push(
        `${r.rows} rows outside the subject reference it through ${r.id}: include that link in the map, or remove those references first.`,
      );
    if (r.effect === 'cascade')
      refusals.push(
        `Deleting would also delete ${r.rows} rows outside the subject through ${r.id} (ON DELETE CASCADE): include that link in the map if those rows are the subject's.`,
      );
  }
  return { tables, references, refusals, files: [...files].sort() };
}
