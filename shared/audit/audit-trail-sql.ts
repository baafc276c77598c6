import { qualifiedTableName, quoteIdent } from '../agent/table-checksum-sql';
import { utf8Encode } from '../sshsig/bytes';
import { quoteLiteral } from './sql-literal';

/**
 * The audit trail's SQL (issue 18 §1): one schema, one generic row-history table and one
 * trigger function attached per table. Pure strings; the agent runs them with psql as the
 * cluster's OS user. Every statement here is idempotent, so install and upgrade are the same
 * job. Names of tables and columns come from the customer's catalog (untrusted): they reach SQL
 * only through quoteIdent/quoteLiteral.
 */

export const AUDIT_SCHEMA = 'kumiko_audit';
export const AUDIT_TRIGGER = 'kumiko_audit_capture';
/** Bumped when the SQL below changes; kept in kumiko_audit.meta so status can say "outdated". */
export const AUDIT_TRAIL_VERSION = 2;
export const DEFAULT_AUDIT_RETENTION_DAYS = 30;

/**
 * Why the history is in one generic table: any table (text or composite keys) is covered by one
 * trigger function and one index, and a record's versions are one index range scan.
 *
 * Why the row order is the commit order for one record: writers to the same row are serialised
 * by PostgreSQL's row lock, so the second writer's trigger fires only after the first one
 * committed; ids (taken at trigger time) therefore follow commit order per record.
 *
 * Why SECURITY DEFINER: application roles write their tables, and the trigger writes the history
 * as its owner; nobody but the owner may change or read the history table.
 */
export const AUDIT_INSTALL_STATEMENTS: readonly string[] = [
  `CREATE SCHEMA IF NOT EXISTS ${AUDIT_SCHEMA}`,
  `REVOKE ALL ON SCHEMA ${AUDIT_SCHEMA} FROM PUBLIC`,
  `CREATE TABLE IF NOT EXISTS ${AUDIT_SCHEMA}.meta (
     singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
     version integer NOT NULL,
     retention_days integer NOT NULL DEFAULT ${DEFAULT_AUDIT_RETENTION_DAYS},
     installed_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS ${AUDIT_SCHEMA}.row_history (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     schema_name text NOT NULL,
     table_name text NOT NULL,
     row_key jsonb NOT NULL,
     op "char" NOT NULL CHECK (op IN ('I', 'U', 'D')),
     old_row jsonb,
     new_row jsonb,
     changed_columns text[],
     txid bigint NOT NULL DEFAULT txid_current(),
     changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
     db_user text NOT NULL DEFAULT session_user,
     application_name text DEFAULT nullif(current_setting('application_name', true), ''),
     actor text DEFAULT nullif(current_setting('kumiko.actor', true), ''),
     reason text DEFAULT nullif(current_setting('kumiko.reason', true), ''))`,
  `CREATE INDEX IF NOT EXISTS row_history_record
     ON ${AUDIT_SCHEMA}.row_history (table_name, schema_name, row_key, id)`,
  // No index on txid: every index costs each audited write an insert (and WAL); a rollback
  // finds its own transaction's rows as the ids above the newest id before its statement.
  `DROP INDEX IF EXISTS ${AUDIT_SCHEMA}.row_history_txid`,
  // BRIN: rows arrive in time order, so pruning by age needs only a tiny index.
  `CREATE INDEX IF NOT EXISTS row_history_time
     ON ${AUDIT_SCHEMA}.row_history USING brin (changed_at)`,
  `REVOKE ALL ON ALL TABLES IN SCHEMA ${AUDIT_SCHEMA} FROM PUBLIC`,
  `CREATE OR REPLACE FUNCTION ${AUDIT_SCHEMA}.capture() RETURNS trigger
   LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
   -- A writer session with extra_float_digits below 1 (old clients, pg_dump) would print
   -- floats rounded; from 1 up PostgreSQL prints the shortest text that reads back exactly.
   SET extra_float_digits = 1 AS $fn$
   DECLARE
     old_j jsonb; new_j jsonb; old_k jsonb; new_k jsonb; changed text[];
   BEGIN
     IF TG_OP <> 'INSERT' THEN
       old_j := to_jsonb(OLD);
       SELECT jsonb_object_agg(k, old_j -> k) INTO old_k FROM unnest(TG_ARGV) k;
     END IF;
     IF TG_OP <> 'DELETE' THEN
       new_j := to_jsonb(NEW);
       SELECT jsonb_object_agg(k, new_j -> k) INTO new_k FROM unnest(TG_ARGV) k;
     END IF;
     IF TG_OP = 'UPDATE' THEN
       IF old_j = new_j THEN RETURN NULL; END IF;
       IF old_k <> new_k THEN
         -- A changed key is the old record gone and a new one born: each keeps its own history.
         INSERT INTO ${AUDIT_SCHEMA}.row_history (schema_name, table_name, row_key, op, old_row)
           VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, old_k, 'D', old_j);
         INSERT INTO ${AUDIT_SCHEMA}.row_history (schema_name, table_name, row_key, op, new_row)
           VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, new_k, 'I', new_j);
         RETURN NULL;
       END IF;
       SELECT array_agg(k ORDER BY k) INTO changed
         FROM jsonb_object_keys(new_j) k WHERE new_j -> k IS DISTINCT FROM old_j -> k;
     END IF;
     INSERT INTO ${AUDIT_SCHEMA}.row_history
       (schema_name, table_name, row_key, op, old_row, new_row, changed_columns)
       VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, coalesce(new_k, old_k), left(TG_OP, 1),
               old_j, new_j, changed);
     RETURN NULL;
   END $fn$`,
  `REVOKE ALL ON FUNCTION ${AUDIT_SCHEMA}.capture() FROM PUBLIC`,
  // One rollback as one statement, so it is one transaction: lock the record, refuse when it
  // changed since the preview, run the statement, refuse when anything but this one record
  // changed (cascades, the application's triggers) or the record is not exactly the target.
  // A refusal raises inside an inner block, which undoes its changes; the verdict survives in
  // a variable and is returned, so the caller reads a reason instead of parsing an error text.
  `CREATE OR REPLACE FUNCTION ${AUDIT_SCHEMA}.apply_rollback(
     p_schema text, p_table text, p_key jsonb, p_expected jsonb, p_target jsonb,
     p_statement text, p_actor text, p_reason text) RETURNS jsonb
   LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
   DECLARE
     rel regclass; cond text; cur jsonb; after jsonb; n bigint; others jsonb; first_id bigint;
     verdict jsonb; st text; con text; tbl text; msg text;
   BEGIN
     PERFORM set_config('kumiko.actor', p_actor, true), set_config('kumiko.reason', p_reason, true),
             set_config('application_name', 'kumiko rollback', true);
     SET CONSTRAINTS ALL IMMEDIATE;
     rel := format('%I.%I', p_schema, p_table)::regclass;
     SELECT string_agg(format('t.%I = k.%I', c, c), ' AND ') INTO cond FROM jsonb_object_keys(p_key) c;
     -- Compared as this session prints them: a timestamptz written in another time zone is
     -- the same value with another text.
     IF p_expected IS NOT NULL THEN
       EXECUTE format('SELECT to_jsonb(jsonb_populate_record(NULL::%s, $1))', rel) INTO p_expected USING p_expected;
     END IF;
     IF p_target IS NOT NULL THEN
       EXECUTE format('SELECT to_jsonb(jsonb_populate_record(NULL::%s, $1))', rel) INTO p_target USING p_target;
     END IF;
     BEGIN
       EXECUTE format('SELECT to_jsonb(t) FROM %s t, jsonb_populate_record(NULL::%s, $1) k WHERE %s FOR UPDATE OF t',
                      rel, rel, cond) INTO cur USING p_key;
       IF cur IS DISTINCT FROM p_expected THEN
         verdict := jsonb_build_object('ok', false, 'refusal', 'changed-after-preview', 'current', cur);
         RAISE EXCEPTION USING ERRCODE = 'KR001';
       END IF;
       SELECT coalesce(max(id), 0) INTO first_id FROM ${AUDIT_SCHEMA}.row_history;
       EXECUTE p_statement;
       GET DIAGNOSTICS n = ROW_COUNT;
       SELECT jsonb_agg(DISTINCT jsonb_build_object('schema', schema_name, 'table', table_name)) INTO others
         FROM ${AUDIT_SCHEMA}.row_history
        WHERE id > first_id AND txid = txid_current()
          AND NOT (schema_name = p_schema AND table_name = p_table AND row_key = p_key);
       IF others IS NOT NULL THEN
         verdict := jsonb_build_object('ok', false, 'refusal', 'other-rows-changed', 'tables', others);
         RAISE EXCEPTION USING ERRCODE = 'KR001';
       END IF;
       EXECUTE format('SELECT to_jsonb(t) FROM %s t, jsonb_populate_record(NULL::%s, $1) k WHERE %s',
                      rel, rel, cond) INTO after USING p_key;
       IF after IS DISTINCT FROM p_target THEN
         verdict := jsonb_build_object('ok', false, 'refusal', 'not-exact', 'result', after);
         RAISE EXCEPTION USING ERRCODE = 'KR001';
       END IF;
       verdict := jsonb_build_object('ok', true, 'rows', n, 'historyIds',
         (SELECT coalesce(jsonb_agg(id::text ORDER BY id), '[]') FROM ${AUDIT_SCHEMA}.row_history
           WHERE id > first_id AND txid = txid_current() AND schema_name = p_schema AND table_name = p_table
             AND row_key = p_key));
     EXCEPTION
       WHEN SQLSTATE 'KR001' THEN NULL;
       WHEN integrity_constraint_violation THEN
         GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, con = CONSTRAINT_NAME, tbl = TABLE_NAME,
                                 msg = MESSAGE_TEXT;
         verdict := jsonb_build_object('ok', false,
           'refusal', CASE st WHEN '23503' THEN 'foreign-key' WHEN '23505' THEN 'unique'
                              ELSE 'constraint' END,
           'sqlstate', st, 'constraint', con, 'table', tbl, 'message', msg);
     END;
     RETURN verdict;
   END $fn$`,
  `REVOKE ALL ON FUNCTION ${AUDIT_SCHEMA}.apply_rollback(text, text, jsonb, jsonb, jsonb, text, text, text) FROM PUBLIC`,
  `INSERT INTO ${AUDIT_SCHEMA}.meta (version) VALUES (${AUDIT_TRAIL_VERSION})
     ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version`,
];

/** The trigger's arguments: the primary key's column names, in key order. */
export function attachTriggerStatements(
  schema: string,
  table: string,
  key: readonly string[],
): string[] {
  const target = qualifiedTableName(schema, table);
  return [
    `DROP TRIGGER IF EXISTS ${AUDIT_TRIGGER} ON ${target}`,
    `CREATE TRIGGER ${AUDIT_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON ${target}
       FOR EACH ROW EXECUTE FUNCTION ${AUDIT_SCHEMA}.capture(${key.map(quoteLiteral).join(', ')})`,
  ];
}

export function detachTriggerStatement(schema: string, table: string): string {
  return `DROP TRIGGER IF EXISTS ${AUDIT_TRIGGER} ON ${qualifiedTableName(schema, table)}`;
}

/**
 * pg_trigger.tgargs of a trigger attached with `key`: each argument's UTF-8 bytes and a NUL,
 * hex-encoded, so "attached with the same key" is a string comparison.
 */
export function triggerArgsHex(key: readonly string[]): string {
  return key
    .map((k) => [...utf8Encode(k), 0].map((b) => b.toString(16).padStart(2, '0')).join(''))
    .join('');
}

/** Removal: triggers go first (listed by the caller), then the functions; the history stays unless dropped. */
export function removeStatements(dropHistory: boolean): string[] {
  if (dropHistory) return [`DROP SCHEMA IF EXISTS ${AUDIT_SCHEMA} CASCADE`];
  return [
    `DROP FUNCTION IF EXISTS ${AUDIT_SCHEMA}.capture()`,
    `DROP FUNCTION IF EXISTS ${AUDIT_SCHEMA}.apply_rollback(text, text, jsonb, jsonb, jsonb, text, text, text)`,
  ];
}

/**
 * Every ordinary or partitioned table outside the system schemas (partitions are covered by
 * their parent's trigger), with its primary key columns in key order, persistence and the
 * hex of our trigger's arguments when attached. One JSON array.
 */
export const AUDIT_COVERAGE_SQL = `
SELECT coalesce(json_agg(json_build_object(
         'schema', n.nspname, 'table', c.relname, 'persistence', c.relpersistence,
         'key', pk.cols, 'triggerArgs', tg.args) ORDER BY n.nspname, c.relname), '[]')
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN LATERAL (
    SELECT array_agg(a.attname::text ORDER BY k.ord) AS cols
      FROM pg_index i
      CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
     WHERE i.indrelid = c.oid AND i.indisprimary) pk ON true
  LEFT JOIN LATERAL (
    SELECT encode(t.tgargs, 'hex') AS args FROM pg_trigger t
     WHERE t.tgrelid = c.oid AND t.tgname = ${quoteLiteral(AUDIT_TRIGGER)}) tg ON true
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relpersistence <> 't'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', ${quoteLiteral(AUDIT_SCHEMA)})
   AND n.nspname NOT LIKE 'pg\\_%'`;

/** Whether the trail's meta table exists (its own query: a missing table fails at planning). */
export const AUDIT_PRESENT_SQL = `SELECT to_regclass(${quoteLiteral(`${AUDIT_SCHEMA}.meta`)}) IS NOT NULL`;

/** The installed version and retention, and whether the functions exist (after AUDIT_PRESENT_SQL). */
export const AUDIT_META_SQL = `
SELECT row_to_json(m) FROM (SELECT version, retention_days AS "retentionDays",
       (to_regprocedure(${quoteLiteral(`${AUDIT_SCHEMA}.capture()`)}) IS NOT NULL) AS "functions"
  FROM ${AUDIT_SCHEMA}.meta) m`;

/** One batch of pruning: history rows older than the retention, oldest first. */
export function pruneBatchSql(retentionDays: number, batch: number): string {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error('retention days');
  if (!Number.isInteger(batch) || batch < 1) throw new Error('batch size');
  return `WITH gone AS (DELETE FROM ${AUDIT_SCHEMA}.row_history WHERE id IN (
            SELECT id FROM ${AUDIT_SCHEMA}.row_history
             WHERE changed_at < now() - make_interval(days => ${retentionDays})
             ORDER BY id LIMIT ${batch}) RETURNING 1)
          SELECT count(*) FROM gone`;
}

export { quoteIdent };
