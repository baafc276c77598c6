import { randomBytes } from 'node:crypto';
import { qualifiedTableName, quoteIdent } from '../../shared/agent/table-checksum-sql';
import {
  AUDIT_DRAIN_IF_PRESENT_SQL,
  AUDIT_HAS_DRAIN,
  AUDIT_SKIP_PREFIX,
} from '../../shared/audit/audit-stream-sql';
import { AUDIT_SCHEMA } from '../../shared/audit/audit-trail-sql';
import { deleteOrder } from './erasure-order';
import type { PlannedTable } from './erasure-plan';
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

/** References to mapped tables whose rows are deleted: every foreign key whose parent is one. */
function referencesInto(map: SubjectMap, graph: SchemaGraph): SchemaForeignKey[] {
  // Anonymised rows stay: references to them keep working and need no look.
  const names = new Set(map.tables.filter((t) => t.action !== 'anonymise').map(tableName));
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
    // The attached files the rows name: listed by the dry run, removed by the erasure.
    for (const column of t.fileColumns) {
      reads.push(
        `SELECT json_build_object('k', 'files', 't', ${n}, 'values', (SELECT coalesce(json_agg(DISTINCT x.${quoteIdent(column)}::text), '[]') ` +
          `FROM ${from} x WHERE x.ctid = ANY (${collectedCtids(n)}) AND x.${quoteIdent(column)} IS NOT NULL))::text;`,
      );
    }
    for (const column of keyCandidates(map, graph, n)) {
      const c = quoteIdent(column);
      const mine = `(SELECT x.${c} FROM ${from} x WHERE x.ctid = ANY (${collectedCtids(n)}))`;
      reads.push(
        `SELECT json_build_object('k', 'key', 't', ${n}, 'column', ${quoteLiteral(column)}, ` +
          // NULLs are no key value (and make the column inexact below), never a JSON null.
          `'values', (SELECT coalesce(json_agg(DISTINCT x.${c}::text), '[]') FROM ${from} x WHERE x.ctid = ANY (${collectedCtids(n)}) AND x.${c} IS NOT NULL), ` +
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
 * The audit trail's part of an erasure (issue 18's row history, where the database has it):
 * the history of the subject's rows goes (its old and new values are the personal data), and
 * one entry per table records that data existed: the erasure id, the table, the row count, no
 * value. Static SQL in a branch PL/pgSQL plans only when taken, so no history table is needed.
 *
 * Since the trail's version 7 a version reaches the history through a WAL message and a drain
 * after its commit (shared/audit/audit-stream-sql.ts). So the erasure's transaction sends the
 * skip message (its own deletes carry the subject's values and are never kept), and after the
 * commit the history is drained and cleaned once more: a change to the subject's rows committed
 * while the erasure ran arrives only then.
 */
function auditTrailSteps(
  map: SubjectMap,
  planned: readonly PlannedTable[],
  erasureId: string,
): { inTransaction: string; afterCommit: string } {
  const history = `${AUDIT_SCHEMA}.row_history`;
  const cleans: string[] = [];
  const entries: string[] = [];
  map.tables.forEach((t, n) => {
    const p = planned[n];
    if (!p || p.rows === 0) return;
    const where = `schema_name = ${quoteLiteral(t.schema)} AND table_name = ${quoteLiteral(t.table)}`;
    if (p.column !== null && p.values.length > 0) {
      const col = quoteLiteral(p.column);
      const values = `ARRAY[${p.values.map(quoteLiteral).join(', ')}]::text[]`;
      cleans.push(
        `    DELETE FROM ${history} WHERE ${where} AND (row_key ->> ${col} = ANY (${values}) OR old_row ->> ${col} = ANY (${values}) OR new_row ->> ${col} = ANY (${values}));`,
      );
    }
    const action = t.action === 'anonymise' ? 'anonymised' : 'deleted';
    entries.push(
      `    INSERT INTO ${history} (schema_name, table_name, row_key, op, reason) VALUES (` +
        `${quoteLiteral(t.schema)}, ${quoteLiteral(t.table)}, ` +
        `jsonb_build_object('gdpr_erasure', ${quoteLiteral(erasureId)}, 'rows', ${p.rows}, 'action', '${action}'), ` +
        `'${t.action === 'anonymise' ? 'U' : 'D'}', ${quoteLiteral(`GDPR erasure ${erasureId}: ${p.rows} rows ${action}`)});`,
    );
  });
  if (entries.length === 0) return { inTransaction: '', afterCommit: '' };
  const skip = `    PERFORM pg_logical_emit_message(true, ${quoteLiteral(AUDIT_SKIP_PREFIX)}, ${quoteLiteral(erasureId)});`;
  return {
    inTransaction: `  IF to_regclass('${history}') IS NOT NULL THEN\n${[skip, ...cleans, ...entries].join('\n')}\n  END IF;`,
    afterCommit: `BEGIN\n  IF ${AUDIT_HAS_DRAIN} THEN\n    PERFORM ${AUDIT_SCHEMA}.drain();\n${cleans.join('\n')}\n  END IF;\nEND`,
  };
}

/** The change of one mapped table: its subject rows deleted, or their personal columns cleared. */
function changeStatement(t: SubjectMap['tables'][number], n: number): string {
  const from = qualifiedTableName(t.schema, t.table);
  const mine = `x.ctid = ANY (${collectedCtids(n)})`;
  if (t.action === 'anonymise') {
    const set = t.personalColumns.map((c) => `${quoteIdent(c)} = NULL`).join(', ');
    return `UPDATE ${from} x SET ${set} WHERE ${mine} RETURNING 1`;
  }
  return `DELETE FROM ${from} x WHERE ${mine} RETURNING 1`;
}

/**
 * Erases the subject in one transaction, children first: rows deleted, or personal columns set
 * to NULL where the map says "anonymise"; then the audit trail (auditTrailSteps). Prints
 * `erased` after the commit. `planned` is the dry run's plan per mapped table: any other row
 * count (rows added or removed since) rolls everything back.
 */
export function erasureSql(
  map: SubjectMap,
  graph: SchemaGraph,
  value: string,
  planned: readonly PlannedTable[],
  erasureId: string,
): string {
  const steps = deleteOrder(map, graph).map((t) => {
    const n = map.tables.indexOf(t);
    const count = planned[n]?.rows;
    if (count === undefined || !Number.isInteger(count))
      throw new Error('expected counts do not fit the map');
    const verb = t.action === 'anonymise' ? 'anonymised' : 'lost';
    return (
      `  WITH d AS (${changeStatement(t, n)}) SELECT count(*) INTO n FROM d;\n` +
      `  IF n <> ${count} THEN RAISE EXCEPTION 'kumiko: table % ${verb} % rows, the dry run counted ${count}', ${quoteLiteral(tableName(t))}, n; END IF;`
    );
  });
  const audit = auditTrailSteps(map, planned, erasureId);
  const body = `DECLARE n bigint;\nBEGIN\n${steps.join('\n')}\n${audit.inTransaction}\nEND`;
  let tag = '';
  do tag = `$k${randomBytes(6).toString('hex')}$`;
  while (body.includes(tag) || audit.afterCommit.includes(tag));
  return [
    SESSION,
    // The trail's versions committed so far, before the erasure looks at its history.
    AUDIT_DRAIN_IF_PRESENT_SQL,
    'BEGIN ISOLATION LEVEL REPEATABLE READ;',
    collectSubjectSql(map, value),
    `DO ${tag}${body}${tag};`,
    'COMMIT;',
    ...(audit.afterCommit ? [`DO ${tag}${audit.afterCommit}${tag};`] : []),
    "SELECT 'erased';",
  ].join('\n');
}
