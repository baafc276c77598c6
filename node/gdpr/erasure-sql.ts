import { randomBytes } from 'node:crypto';
import { qualifiedTableName, quoteIdent } from '../../shared/agent/table-checksum-sql';
import { deleteOrder } from './erasure-order';
import { tableName, type SchemaForeignKey, type SchemaGraph } from './schema-graph';
import { foreignKeyLinkId, type SubjectMap } from './subject-map';
import { collectSubjectSql, collectedCtids, quoteLiteral, SUBJECT_ROWS } from './subject-sql';

// The erasure's SQL (issue 17 §3). The dry run collects the subject's rows like the export and
// prints, changing nothing: the rows per table, the references to them from rows outside the
// subject (which block a delete, or which the database would cascade into or clear), and per
// table the columns whose values name exactly the subject's rows (what the ledger records,
// keyed, so a replay after a restore finds the same rows). The erasure deletes in one
// transaction, children first, and rolls back unless every table loses exactly the rows the
// dry run counted.

const SESSION =
  "SET standard_conforming_strings = on;\nSET client_encoding = 'UTF8';\nSET statement_timeout = 0;";

/** Candidate identifying columns per table, most specific first (at most 6). */
function keyCandidates(map: SubjectMap, graph: SchemaGraph, n: number): string[] {
  const mapped = map.tables[n]!;
  const live = graph.tables.find((t) => tableName(t) === tableName(mapped));
  const out: string[] = [];
  const add = (c: string) => {
    if (!out.includes(c)) out.push(c);
  };
  if (live?.primaryKey.length === 1) add(live.primaryKey[0]!);
  for (const link of map.links) {
    if (
      link.followed &&
      tableName({ schema: link.childSchema, table: link.childTable }) === tableName(mapped)
    )
      link.childColumns.forEach(add);
  }
  live?.primaryKey.forEach(add);
  if (n === 0) add(map.root.column);
  return out.slice(0, 6);
}

/** References to mapped tables: every foreign key whose parent is on the map. */
function referencesInto(map: SubjectMap, graph: SchemaGraph): SchemaForeignKey[] {
  const names = new Set(map.tables.map(tableName));
  return graph.foreignKeys.filter((f) =>
    names.has(tableName({ schema: f.parentSchema, table: f.parentTable })),
  );
}

function indexIn(map: SubjectMap, schema: string, table: string): number {
  return map.tables.findIndex((t) => t.schema === schema && t.table === table);
}

/** Lines: {"k":"rows"|"ref"|"key", …} (see erasure-plan.ts), in one rolled-back transaction. */
export function erasureDryRunSql(map: SubjectMap, graph: SchemaGraph, value: string): string {
  const reads: string[] = [];
  map.tables.forEach((t, n) => {
    reads.push(
      `SELECT json_build_object('k', 'rows', 't', ${n}, 'rows', (SELECT count(*) FROM ${SUBJECT_ROWS} WHERE t = ${n}))::text;`,
    );
    const from = qualifiedTableName(t.schema, t.table);
    for (const column of keyCandidates(map, graph, n)) {
      const c = quoteIdent(column);
      const mine = `(SELECT x.${c} FROM ${from} x WHERE x.ctid = ANY (${collectedCtids(n)}))`;
      reads.push(
        `SELECT json_build_object('k', 'key', 't', ${n}, 'column', ${quoteLiteral(column)}, ` +
          `'values', (SELECT coalesce(json_agg(DISTINCT x.${c}::text), '[]') FROM ${from} x WHERE x.ctid = ANY (${collectedCtids(n)})), ` +
          `'exact', (SELECT count(*) FROM ${from} y WHERE y.${c} IN ${mine}) = (SELECT count(*) FROM ${SUBJECT_ROWS} WHERE t = ${n}) ` +
          `AND NOT EXISTS (SELECT 1 FROM ${from} x WHERE x.ctid = ANY (${collectedCtids(n)}) AND x.${c} IS NULL))::text;`,
      );
    }
  });
  for (const fk of referencesInto(map, graph)) {
    const parent = indexIn(map, fk.parentSchema, fk.parentTable);
    const child = indexIn(map, fk.childSchema, fk.childTable);
    const on = fk.childColumns
      .map((c, i) => `c.${quoteIdent(c)} = p.${quoteIdent(fk.parentColumns[i]!)}`)
      .join(' AND ');
    const outside = child === -1 ? '' : ` AND NOT (c.ctid = ANY (${collectedCtids(child)}))`;
    reads.push(
      `SELECT json_build_object('k', 'ref', 'id', ${quoteLiteral(foreignKeyLinkId(fk))}, 'onDelete', ${quoteLiteral(fk.onDelete)}, 'rows', count(*))::text ` +
        `FROM ${qualifiedTableName(fk.parentSchema, fk.parentTable)} p JOIN ${qualifiedTableName(fk.childSchema, fk.childTable)} c ON ${on} ` +
        `WHERE p.ctid = ANY (${collectedCtids(parent)})${outside};`,
    );
  }
  return [
    SESSION,
    'BEGIN ISOLATION LEVEL REPEATABLE READ;',
    collectSubjectSql(map, value),
    ...reads,
    'ROLLBACK;',
  ].join('\n');
}

/**
 * Deletes the subject's rows, children first, in one transaction, and prints `erased` after
 * the commit. `expected` holds the dry run's row count per mapped table: any other count
 * (rows added or removed since) rolls everything back.
 */
export function erasureSql(
  map: SubjectMap,
  graph: SchemaGraph,
  value: string,
  expected: readonly number[],
): string {
  const steps = deleteOrder(map, graph).map((t) => {
    const n = map.tables.indexOf(t);
    const count = expected[n];
    if (count === undefined || !Number.isInteger(count))
      throw new Error('expected counts do not fit the map');
    return (
      `  WITH d AS (DELETE FROM ${qualifiedTableName(t.schema, t.table)} x WHERE x.ctid = ANY (${collectedCtids(n)}) RETURNING 1) SELECT count(*) INTO n FROM d;\n` +
      `  IF n <> ${count} THEN RAISE EXCEPTION 'kumiko: table % lost % rows, the dry run counted ${count}', ${quoteLiteral(tableName(t))}, n; END IF;`
    );
  });
  const body = `DECLARE n bigint;\nBEGIN\n${steps.join('\n')}\nEND`;
  let tag = '';
  do tag = `$k${randomBytes(6).toString('hex')}$`;
  while (body.includes(tag));
  return [
    SESSION,
    'BEGIN ISOLATION LEVEL REPEATABLE READ;',
    collectSubjectSql(map, value),
    `DO ${tag}${body}${tag};`,
    'COMMIT;',
    "SELECT 'erased';",
  ].join('\n');
}
