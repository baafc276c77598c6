import { randomBytes } from 'node:crypto';
import { collectedCtids, collectSubjectSql, quoteLiteral } from '../../../node/gdpr/subject-sql';
import type { SubjectMap } from '../../../node/gdpr/subject-map';
import { qualifiedTableName, quoteIdent } from '../../../shared/agent/table-checksum-sql';
import { AUDIT_DRAIN_IF_PRESENT_SQL } from '../../../shared/audit/audit-stream-sql';
import type { RowText } from '../../../shared/audit/rollback-plan';

// The SQL of a subject restore (issue 18 §4), for psql on the server. The subject's rows are
// found with the GDPR export's walk (collectSubjectSql: the map's root and followed foreign
// keys), in the scratch database and in production alike. Production also reads the rows
// whose keys the scratch copy holds: an invoice the bad batch moved to another customer is
// still the subject's and is brought back, not inserted twice.
//
// Every session prints values the same way (UTC, ISO dates, exact floats), so a row read in
// the scratch database and the same row in production compare as equal texts.

const SESSION = [
  'SET standard_conforming_strings = on;',
  "SET client_encoding = 'UTF8';",
  'SET statement_timeout = 0;',
  "SET TimeZone = 'UTC';",
  "SET DateStyle = 'ISO, YMD';",
  "SET IntervalStyle = 'postgres';",
  'SET extra_float_digits = 1;',
].join('\n');

/** Keys (column → JSON text) per mapped table number, read beside the walk's rows. */
export type KeysByTable = ReadonlyMap<number, readonly RowText[]>;

function keyJsonArray(keys: readonly RowText[]): string {
  const rows = keys.map(
    (key) =>
      `{${Object.entries(key)
        .map(([c, v]) => `${JSON.stringify(c)}:${v}`)
        .join(',')}}`,
  );
  return `[${rows.join(',')}]`;
}

/** The condition that picks mapped table `n`'s subject rows (alias x). */
export function subjectRowCondition(
  map: SubjectMap,
  n: number,
  keyColumns: readonly string[],
  keys: readonly RowText[] = [],
): string {
  const t = map.tables[n]!;
  const walk = `x.ctid = ANY (${collectedCtids(n)})`;
  if (keys.length === 0 || keyColumns.length === 0) return walk;
  const rel = qualifiedTableName(t.schema, t.table);
  const same = keyColumns.map((c) => `x.${quoteIdent(c)} = v.${quoteIdent(c)}`).join(' AND ');
  return (
    `(${walk} OR EXISTS (SELECT 1 FROM jsonb_populate_recordset(NULL::${rel}, ` +
    `${quoteLiteral(keyJsonArray(keys))}::jsonb) v WHERE ${same}))`
  );
}

/** One row as column → JSON text of its value (big numbers stay exact). */
const ROW_TEXT = `(SELECT jsonb_object_agg(e.key, e.value::text) FROM jsonb_each(to_jsonb(x)) e)`;

/**
 * The digest of a table's subject rows: md5 over the rows' JSON, sorted. The apply computes
 * it again under the row locks; a different digest means something changed after the preview.
 */
export function digestSql(rel: string, condition: string): string {
  return (
    `(SELECT md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) ` +
    `FROM (SELECT to_jsonb(x)::text AS r FROM ${rel} x WHERE ${condition}) d)`
  );
}

/** The table's key and columns as the planner needs them (one JSON value). */
function shapeSql(schema: string, table: string): string {
  const rel = quoteLiteral(qualifiedTableName(schema, table));
  return `json_build_object(
    'key', (SELECT coalesce(json_agg(a.attname::text ORDER BY x.ord), '[]')
              FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS x(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = x.attnum
             WHERE i.indrelid = ${rel}::regclass AND i.indisprimary),
    'columns', (SELECT json_agg(json_build_object('name', attname, 'generated', attgenerated <> '',
                  'identityAlways', attidentity = 'a') ORDER BY attnum)
                  FROM pg_attribute WHERE attrelid = ${rel}::regclass AND attnum > 0 AND NOT attisdropped))`;
}

/**
 * Reads the subject in one REPEATABLE READ transaction, rolled back: per mapped table a line
 * `{"t":n,"shape":…,"digest":…}`, then one `{"t":n,"r":{…}}` per row. `keyColumns` per table
 * (from a first read) let production also read rows by `keys`.
 */
export function readSubjectSql(
  map: SubjectMap,
  value: string,
  keyColumns: ReadonlyMap<number, readonly string[]> = new Map(),
  keys: KeysByTable = new Map(),
): string {
  const reads = map.tables.flatMap((t, n) => {
    const rel = qualifiedTableName(t.schema, t.table);
    const condition = subjectRowCondition(map, n, keyColumns.get(n) ?? [], keys.get(n) ?? []);
    return [
      `SELECT json_build_object('t', ${n}, 'shape', ${shapeSql(t.schema, t.table)}, 'digest', ${digestSql(rel, condition)})::text;`,
      `SELECT json_build_object('t', ${n}, 'r', ${ROW_TEXT})::text FROM ${rel} x WHERE ${condition};`,
    ];
  });
  return [
    SESSION,
    'BEGIN ISOLATION LEVEL REPEATABLE READ;',
    collectSubjectSql(map, value),
    ...reads,
    'ROLLBACK;',
  ].join('\n');
}

/** What the apply checks and runs, per mapped table. */
export interface ApplyTable {
  n: number;
  keyColumns: readonly string[];
  keys: readonly RowText[];
  /** The digest of the production rows the preview saw. */
  digest: string;
}

function dollarQuote(body: string): string {
  let tag = '';
  do tag = `$s${randomBytes(6).toString('hex')}$`;
  while (body.includes(tag));
  return `${tag}${body}${tag}`;
}

/**
 * The apply, in one transaction: the subject's production rows locked and compared with the
 * preview's digests (any difference: refused as changed after the preview), then the
 * statements in the order given (FK-safe), then every deferred constraint checked at once.
 * A constraint violation undoes everything and is named. Prints one JSON verdict line. The
 * audit trail (when installed) records the changes with `actor` and `reason`.
 */
export function applySubjectSql(
  map: SubjectMap,
  value: string,
  tables: readonly ApplyTable[],
  statements: readonly string[],
  who: { actor: string; reason: string },
): string {
  const checks = tables.map((t) => {
    const m = map.tables[t.n]!;
    const rel = qualifiedTableName(m.schema, m.table);
    const condition = subjectRowCondition(map, t.n, t.keyColumns, t.keys);
    return (
      `PERFORM 1 FROM ${rel} x WHERE ${condition} FOR UPDATE;\n` +
      `      IF ${digestSql(rel, condition)} IS DISTINCT FROM ${quoteLiteral(t.digest)} THEN\n` +
      `        RAISE EXCEPTION 'changed after the preview' USING ERRCODE = 'KU001';\n      END IF;`
    );
  });
  const runs = statements.map((s) => `EXECUTE ${dollarQuote(s)};`);
  const verdict = (json: string) => `INSERT INTO kumiko_subject_verdict VALUES (${json});`;
  const body = `DECLARE v_constraint text; v_table text; v_schema text;
BEGIN
  PERFORM set_config('kumiko.actor', ${quoteLiteral(who.actor)}, true),
          set_config('kumiko.reason', ${quoteLiteral(who.reason)}, true);
  BEGIN
      ${checks.join('\n      ')}
      ${runs.join('\n      ')}
      SET CONSTRAINTS ALL IMMEDIATE;
      ${verdict(`json_build_object('ok', true)`)}
  EXCEPTION
    WHEN SQLSTATE 'KU001' THEN
      ${verdict(`json_build_object('refusal', 'changed-after-preview')`)}
    WHEN foreign_key_violation OR unique_violation OR check_violation OR not_null_violation
         OR exclusion_violation THEN
      GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME, v_table = TABLE_NAME,
        v_schema = SCHEMA_NAME;
      ${verdict(`json_build_object('refusal', CASE SQLSTATE WHEN '23503' THEN 'foreign-key' WHEN '23505' THEN 'unique' ELSE 'constraint' END,
        'constraint', coalesce(v_constraint, ''), 'table', coalesce(v_schema || '.' || v_table, ''))`)}
  END;
END`;
  return [
    SESSION,
    'BEGIN;',
    collectSubjectSql(map, value),
    'CREATE TEMPORARY TABLE kumiko_subject_verdict (v json) ON COMMIT DROP;',
    `DO ${dollarQuote(body)};`,
    'SELECT v::text FROM kumiko_subject_verdict;',
    'COMMIT;',
    // The trail's versions of this change into its history now (audit-stream-sql.ts), so the
    // apply is in it with who and why when this returns.
    AUDIT_DRAIN_IF_PRESENT_SQL,
  ].join('\n');
}
