import type { AgentConfig } from '../../shared/agent/config';
import { qualifiedTableName, quoteIdent } from '../../shared/agent/table-checksum-sql';
import { AUDIT_SCHEMA } from '../../shared/audit/audit-trail-sql';
import { RecordVersion, RowText, rowJson, type TableShape } from '../../shared/audit/rollback-plan';
import { quoteLiteral } from '../../shared/audit/sql-literal';
import { AgentError } from '../runtime/errors';
import { psqlRows } from '../engines/psql';

// Reads one record's versions, its current row and its table's shape for history and rollback.
// Every query returns one row of JSON cells. Rows are printed as column → JSON text of the value (jsonb_each's
// value::text), never parsed into JS numbers, so big integers and numerics stay exact.

/** Printing settings pinned for the session: rows read here compare as text across calls. */
const SESSION_SETTINGS =
  "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1";

const rowTextOf = (jsonExpression: string): string =>
  `(SELECT jsonb_object_agg(e.key, e.value::text) FROM jsonb_each(${jsonExpression}) e)`;

function shapeSql(schema: string, table: string): string {
  const regclass = `to_regclass(${quoteLiteral(qualifiedTableName(schema, table))})`;
  return `SELECT CASE WHEN ${regclass} IS NULL THEN 'null'::json ELSE json_build_object(
    'key', (SELECT coalesce(json_agg(a.attname ORDER BY k.ord), '[]') FROM pg_index i
              CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE i.indrelid = ${regclass} AND i.indisprimary),
    'columns', (SELECT json_agg(json_build_object('name', attname, 'generated', attgenerated <> '',
                  'identityAlways', attidentity = 'a') ORDER BY attnum)
                  FROM pg_attribute WHERE attrelid = ${regclass} AND attnum > 0 AND NOT attisdropped)) END`;
}

function versionsSql(schema: string, table: string, key: RowText): string {
  return `SELECT coalesce(json_agg(json_build_object(
      'id', id::text, 'op', op,
      'at', to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      'txid', txid::text, 'dbUser', db_user, 'applicationName', application_name,
      'actor', actor, 'reason', reason, 'changedColumns', changed_columns,
      'old', ${rowTextOf('old_row')}, 'new', ${rowTextOf('new_row')}) ORDER BY id), '[]')
    FROM ${AUDIT_SCHEMA}.row_history
   WHERE table_name = ${quoteLiteral(table)} AND schema_name = ${quoteLiteral(schema)}
     AND row_key = ${quoteLiteral(rowJson(key))}::jsonb`;
}

function recordSql(shape: TableShape, key: RowText): string {
  const rel = qualifiedTableName(shape.schema, shape.table);
  const cond = shape.key.map((k) => `t.${quoteIdent(k)} = v.${quoteIdent(k)}`).join(' AND ');
  return `SELECT ${rowTextOf('to_jsonb(t)')} FROM ${rel} AS t,
    jsonb_populate_record(NULL::${rel}, ${quoteLiteral(rowJson(key))}::jsonb) AS v WHERE ${cond}`;
}

/** A row as the table's own types print it in this session's settings (time zone UTC …). */
function normalisedSql(shape: TableShape, row: RowText): string {
  const rel = qualifiedTableName(shape.schema, shape.table);
  return `SELECT ${rowTextOf(`to_jsonb(jsonb_populate_record(NULL::${rel}, ${quoteLiteral(rowJson(row))}::jsonb))`)}`;
}

function parseJson<T>(text: string | undefined, step: string): T {
  try {
    return JSON.parse(text ?? '') as T;
  } catch {
    throw new AgentError(step, 'PostgreSQL returned no JSON');
  }
}

/** The table's primary key and columns; undefined when the table does not exist. */
export async function readTableShape(
  config: AgentConfig,
  db: string,
  schema: string,
  table: string,
): Promise<TableShape | undefined> {
  const [row] = await psqlRows(config, [shapeSql(schema, table)], 'read table', { db });
  const shape = parseJson<Omit<TableShape, 'schema' | 'table'> | null>(row?.[0], 'read table');
  return shape ? { schema, table, ...shape } : undefined;
}

/**
 * The key as the table's key columns exactly (no more, no fewer), or a usage error: a key with
 * other columns would never match the history's keys.
 */
export function checkKey(shape: TableShape, key: RowText): void {
  const given = Object.keys(key);
  if (given.length !== shape.key.length || !shape.key.every((k) => given.includes(k))) {
    throw new AgentError(
      'key',
      `the key must name exactly the primary key columns of ${shape.schema}.${shape.table}: ${shape.key.join(', ')}`,
    );
  }
}

/** The record's versions (oldest first) and its current row (null: no such row now). */
export async function readRecord(
  config: AgentConfig,
  db: string,
  shape: TableShape,
  key: RowText,
): Promise<{ versions: RecordVersion[]; current: RowText | null }> {
  // One statement, one row of two cells: psql ends each statement's output with a newline
  // rather than the record separator, so two statements' rows would run together.
  const [row] = await psqlRows(
    config,
    [
      SESSION_SETTINGS,
      `SELECT (${versionsSql(shape.schema, shape.table, key)}), (${recordSql(shape, key)})`,
    ],
    'read record',
    { db },
  );
  const versions = RecordVersion.array().parse(parseJson(row?.[0], 'read record'));
  const currentText = row?.[1];
  const current = currentText ? RowText.parse(parseJson(currentText, 'read record')) : null;
  return { versions, current };
}

/** `row` as the table's types print it now (a version written in another time zone …). */
export async function normaliseRow(
  config: AgentConfig,
  db: string,
  shape: TableShape,
  row: RowText,
): Promise<RowText> {
  const rows = await psqlRows(
    config,
    [SESSION_SETTINGS, normalisedSql(shape, row)],
    'read version',
    {
      db,
    },
  );
  return RowText.parse(parseJson(rows[0]?.[0], 'read version'));
}
