import { qualifiedTableName, quoteIdent } from '../agent/table-checksum-sql';
import { utf8Encode } from '../sshsig/bytes';
import {
  AUDIT_DROP_PUBLICATION_SQL,
  AUDIT_DROP_SLOT_SQL,
  auditStreamStatements,
  emitVersion,
} from './audit-stream-sql';
import { recordFunctionStatements } from './record-functions-sql';
import { recordHashSql } from './record-hash-sql';
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
/** Beside it: a TRUNCATE empties the table without row triggers; the trail notes when. */
export const AUDIT_TRUNCATE_TRIGGER = 'kumiko_audit_truncate';
/** Notes a covered table's column types after each ALTER TABLE (a type change is refused). */
export const AUDIT_COLUMNS_EVENT_TRIGGER = 'kumiko_audit_columns';
/** Bumped when the SQL below changes; kept in kumiko_audit.meta so status can say "outdated". */
export const AUDIT_TRAIL_VERSION = 7;
export const DEFAULT_AUDIT_RETENTION_DAYS = 30;

/**
 * Why the history is in one generic table: any table (text or composite keys) is covered by one
 * trigger function and one index, and a record's versions are one index range scan.
 *
 * Why the row order is the commit order: since version 7 the trigger writes a WAL message and
 * drain() gives ids as logical decoding hands the transactions over, in commit order
 * (audit-stream-sql.ts). Before, ids were taken at trigger time, which was commit order per
 * record only (writers to one row are serialised by its row lock).
 *
 * Why SECURITY DEFINER: application roles write their tables, and the trigger writes the history
 * (its messages) as its owner; nobody but the owner may change or read the history table.
 */
export const AUDIT_INSTALL_STATEMENTS: readonly string[] = [
  `CREATE SCHEMA IF NOT EXISTS ${AUDIT_SCHEMA}`,
  `REVOKE ALL ON SCHEMA ${AUDIT_SCHEMA} FROM PUBLIC`,
  `CREATE TABLE IF NOT EXISTS ${AUDIT_SCHEMA}.meta (
     singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
     version integer NOT NULL,
     retention_days integer NOT NULL DEFAULT ${DEFAULT_AUDIT_RETENTION_DAYS},
     installed_at timestamptz NOT NULL DEFAULT now())`,
  // No primary key on id: each index costs every audited write an insert and its WAL. Ids come
  // from the identity and are unique without one; a record's rows are found by the index below.
  `CREATE TABLE IF NOT EXISTS ${AUDIT_SCHEMA}.row_history (
     id bigint GENERATED ALWAYS AS IDENTITY,
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
  `ALTER TABLE ${AUDIT_SCHEMA}.row_history DROP CONSTRAINT IF EXISTS row_history_pkey`,
  // 'T': the table was emptied by TRUNCATE (row_key {}): its rows left without a version each.
  // NOT VALID: the rows already there were checked by the narrower constraint before. As
  // "char" = ANY: written as IN ('I', …) it compared as text, ~2.5 µs on every audited write.
  `ALTER TABLE ${AUDIT_SCHEMA}.row_history DROP CONSTRAINT IF EXISTS row_history_op_check`,
  `ALTER TABLE ${AUDIT_SCHEMA}.row_history ADD CONSTRAINT row_history_op_check
     CHECK (op = ANY ('{I,U,D,T}'::"char"[])) NOT VALID`,
  // A covered table's column types (name → format_type) when attached and after each ALTER
  // TABLE: a version written under other types is refused rather than converted.
  `CREATE TABLE IF NOT EXISTS ${AUDIT_SCHEMA}.table_columns (
     id bigint GENERATED ALWAYS AS IDENTITY,
     schema_name text NOT NULL,
     table_name text NOT NULL,
     columns jsonb NOT NULL,
     recorded_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
  `CREATE INDEX IF NOT EXISTS table_columns_table
     ON ${AUDIT_SCHEMA}.table_columns (table_name, schema_name, id)`,
  // The record index (row_history_key) is built after this transaction, concurrently: see
  // AUDIT_INDEX_STATEMENTS.
  // No index on txid: every index costs each audited write an insert (and WAL); a rollback
  // finds its own transaction's rows as the ids above the newest id before its statement.
  `DROP INDEX IF EXISTS ${AUDIT_SCHEMA}.row_history_txid`,
  // BRIN: rows arrive in time order, so pruning by age needs only a tiny index.
  `CREATE INDEX IF NOT EXISTS row_history_time
     ON ${AUDIT_SCHEMA}.row_history USING brin (changed_at)`,
  `REVOKE ALL ON ALL TABLES IN SCHEMA ${AUDIT_SCHEMA} FROM PUBLIC`,
  // Version 3 keeps the row as it was before each change (old_row) and nothing else: the row
  // after a change is the next version's old row, or the current row for the newest version,
  // and the changed columns are the difference of the two (read_record derives both, printing
  // both through the table's types, so the writer's time zone does not matter). Measured with
  // pgbench tpcb-like, 2 clients, each variant side by side with a plain database (the machine
  // is shared; two 15 s pairs each, spread about ±0.05): v2 (old and new rows, changed
  // columns, a primary key on id) 0.68-0.81; old row only 0.69-0.86; without the key on id
  // 0.71-0.87; a statement-level trigger over transition tables 0.70-0.83; an empty trigger
  // function 0.92-0.96 (the call alone); a fixed small insert 0.84-0.86; and the one below,
  // without SET clauses but search_path (each SET is saved and restored on every call),
  // 0.86-0.90. The row trigger stays: the statement-level one was no faster, needs three
  // triggers per table and cannot tell a changed key from a delete and an insert. Only simple
  // expressions below (no SELECT: each is a query through SPI).
  // Version 5 (hash record index, one-column keys without the loop), measured as the backend's
  // CPU time per one-row UPDATE of pgbench_accounts (20,000 in one transaction, variants
  // interleaved): at load 5-6, eight reps, medians: no trigger 24 µs, v4 55, v5 52 (lower in 7
  // of 8 pairs), so about 3 of v4's ~31 µs per audited row. At load 15-28 (three reps, noisier):
  // empty function +3, a fixed small insert +15, without any record index -11 against v4, with
  // the hash index -7, loop-free key -5.5, without to_jsonb(NEW) -4.5 (so the key-change check
  // stays), constant defaults instead of txid/clock/session/settings no gain (they stay).
  // pgbench side by side, 30 s pairs, v5 and v4 interleaved: load 8-11: v5 0.856 0.814 0.831
  // 0.748 (median 0.822), v4 0.842 0.713 0.653 0.703 (0.708); load 14-26: v5 median 0.851, v4
  // 0.763. The ratio falls as the neighbours' load falls (0.748 and 0.703 in the quietest pair),
  // so 0.85 is not reached: what is left per audited row is the call (~3 µs), the INSERT through
  // SPI with its heap, index and WAL (~15) and the JSON of the row and key (~8-10); a tpcb-like
  // transaction audits three rows.
  // Version 6, measured as the backend's CPU time per one-row UPDATE of pgbench_accounts (40,000
  // in one transaction, variants interleaved, the lowest runs): v5 31-34 µs, v6 28, no trigger
  // ~12. Without the SET clause ~1.7 µs less (SECURITY DEFINER's SET saves and restores the
  // setting on every call), the op check as "char" = ANY instead of IN (which compared as text)
  // ~2.5 less. Splitting the trigger by operation with WHEN clauses (no-op and key change
  // tested in C) measured 36: two WHEN clauses cost more than the branches they replace. Where
  // the rest goes, and why 0.85 needs logical decoding instead: docs/notes/audit-capture-cost.md.
  // Version 7: the INSERT is replaced by a WAL message, drained into the history by the agent
  // (audit-stream-sql.ts): side by side 0.87-0.90 against the INSERT's 0.80-0.85.
  //
  // Without SET search_path the function runs under the writer's search_path, as its owner:
  // every function, operator and type below is therefore named with its schema, so nothing
  // the writer puts on the path (a schema of its own listed before pg_catalog) is ever called
  // with the trail's privileges. Column defaults, the check and the index expressions were
  // bound to their functions when created and are not looked up again.
  `CREATE OR REPLACE FUNCTION ${AUDIT_SCHEMA}.capture() RETURNS trigger
   LANGUAGE plpgsql SECURITY DEFINER AS $fn$
   DECLARE
     old_j pg_catalog.jsonb; new_j pg_catalog.jsonb; old_k pg_catalog.jsonb; new_k pg_catalog.jsonb;
     i pg_catalog.int4;
     digits pg_catalog.text := pg_catalog.current_setting('extra_float_digits');
   BEGIN
     -- Byte-wise equal: an UPDATE that changed nothing is no version (works for every type,
     -- json and point included, which have no equality operator).
     IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' THEN
       IF OLD OPERATOR(pg_catalog.*=) NEW THEN RETURN NULL; END IF;
     END IF;
     -- A writer session with extra_float_digits below 1 (old clients) would print floats
     -- rounded; from 1 up PostgreSQL prints the shortest text that reads back exactly. Set
     -- for this call only, and only then: a SET clause would cost every call.
     IF digits OPERATOR(pg_catalog.<) '1' THEN
       PERFORM pg_catalog.set_config('extra_float_digits', '1', true);
     END IF;
     -- A one-column key (the common case) is built without the loop and its concatenations,
     -- each a step of the interpreter on every write.
     IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' THEN
       old_j := pg_catalog.to_jsonb(OLD);
       new_j := pg_catalog.to_jsonb(NEW);
       IF TG_NARGS OPERATOR(pg_catalog.=) 1 THEN
         old_k := pg_catalog.jsonb_build_object(TG_ARGV[0], old_j OPERATOR(pg_catalog.->) TG_ARGV[0]);
         new_k := pg_catalog.jsonb_build_object(TG_ARGV[0], new_j OPERATOR(pg_catalog.->) TG_ARGV[0]);
       ELSE
         old_k := '{}'; new_k := '{}';
         FOR i IN 0 .. TG_NARGS OPERATOR(pg_catalog.-) 1 LOOP
           old_k := old_k OPERATOR(pg_catalog.||)
                    pg_catalog.jsonb_build_object(TG_ARGV[i], old_j OPERATOR(pg_catalog.->) TG_ARGV[i]);
           new_k := new_k OPERATOR(pg_catalog.||)
                    pg_catalog.jsonb_build_object(TG_ARGV[i], new_j OPERATOR(pg_catalog.->) TG_ARGV[i]);
         END LOOP;
       END IF;
       IF old_k OPERATOR(pg_catalog.=) new_k THEN
         ${emitVersion('old_k', 'U', 'old_j')}
       ELSE
         -- A changed key is the old record gone and a new one born: each keeps its own history.
         ${emitVersion('old_k', 'D', 'old_j')}
         ${emitVersion('new_k', 'I', 'NULL')}
       END IF;
     ELSIF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
       old_j := pg_catalog.to_jsonb(OLD);
       IF TG_NARGS OPERATOR(pg_catalog.=) 1 THEN
         old_k := pg_catalog.jsonb_build_object(TG_ARGV[0], old_j OPERATOR(pg_catalog.->) TG_ARGV[0]);
       ELSE
         old_k := '{}';
         FOR i IN 0 .. TG_NARGS OPERATOR(pg_catalog.-) 1 LOOP
           old_k := old_k OPERATOR(pg_catalog.||)
                    pg_catalog.jsonb_build_object(TG_ARGV[i], old_j OPERATOR(pg_catalog.->) TG_ARGV[i]);
         END LOOP;
       END IF;
       ${emitVersion('old_k', 'D', 'old_j')}
     ELSE
       new_j := pg_catalog.to_jsonb(NEW);
       IF TG_NARGS OPERATOR(pg_catalog.=) 1 THEN
         new_k := pg_catalog.jsonb_build_object(TG_ARGV[0], new_j OPERATOR(pg_catalog.->) TG_ARGV[0]);
       ELSE
         new_k := '{}';
         FOR i IN 0 .. TG_NARGS OPERATOR(pg_catalog.-) 1 LOOP
           new_k := new_k OPERATOR(pg_catalog.||)
                    pg_catalog.jsonb_build_object(TG_ARGV[i], new_j OPERATOR(pg_catalog.->) TG_ARGV[i]);
         END LOOP;
       END IF;
       ${emitVersion('new_k', 'I', 'NULL')}
     END IF;
     IF digits OPERATOR(pg_catalog.<) '1' THEN
       PERFORM pg_catalog.set_config('extra_float_digits', digits, true);
     END IF;
     RETURN NULL;
   END $fn$`,
  `REVOKE ALL ON FUNCTION ${AUDIT_SCHEMA}.capture() FROM PUBLIC`,
  `CREATE OR REPLACE FUNCTION ${AUDIT_SCHEMA}.capture_truncate() RETURNS trigger
   LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
   BEGIN
     ${emitVersion("'{}'::jsonb", 'T', 'NULL')}
     RETURN NULL;
   END $fn$`,
  `REVOKE ALL ON FUNCTION ${AUDIT_SCHEMA}.capture_truncate() FROM PUBLIC`,
  `CREATE OR REPLACE FUNCTION ${AUDIT_SCHEMA}.column_types(rel regclass) RETURNS jsonb
   LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
     SELECT coalesce(jsonb_object_agg(attname, format_type(atttypid, atttypmod)), '{}')
       FROM pg_attribute WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped
   $fn$`,
  `CREATE OR REPLACE FUNCTION ${AUDIT_SCHEMA}.note_columns(rel regclass) RETURNS void
   LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
     INSERT INTO ${AUDIT_SCHEMA}.table_columns (schema_name, table_name, columns)
     SELECT n.nspname, c.relname, ${AUDIT_SCHEMA}.column_types(rel)
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = rel
   $fn$`,
  `REVOKE ALL ON FUNCTION ${AUDIT_SCHEMA}.note_columns(regclass) FROM PUBLIC`,
  // Runs after every ALTER TABLE in the database, by whoever runs it: it must never make the
  // application's DDL fail, so it only warns when it cannot note the columns.
  `CREATE OR REPLACE FUNCTION ${AUDIT_SCHEMA}.capture_columns() RETURNS event_trigger
   LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
   DECLARE rel oid;
   BEGIN
     FOR rel IN SELECT DISTINCT d.objid FROM pg_event_trigger_ddl_commands() d
                 WHERE d.object_type = 'table'
                   AND EXISTS (SELECT 1 FROM pg_trigger t
                                WHERE t.tgrelid = d.objid AND t.tgname = ${quoteLiteral(AUDIT_TRIGGER)}) LOOP
       PERFORM ${AUDIT_SCHEMA}.note_columns(rel::regclass);
     END LOOP;
   EXCEPTION WHEN OTHERS THEN
     RAISE WARNING 'kumiko audit trail: column types not noted (%)', SQLERRM;
   END $fn$`,
  `REVOKE ALL ON FUNCTION ${AUDIT_SCHEMA}.capture_columns() FROM PUBLIC`,
  `DROP EVENT TRIGGER IF EXISTS ${AUDIT_COLUMNS_EVENT_TRIGGER}`,
  `CREATE EVENT TRIGGER ${AUDIT_COLUMNS_EVENT_TRIGGER} ON ddl_command_end WHEN TAG IN ('ALTER TABLE')
     EXECUTE FUNCTION ${AUDIT_SCHEMA}.capture_columns()`,
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
     rel regclass; cond text; cur jsonb; after jsonb; n bigint; others jsonb; before jsonb;
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
       -- Rows this transaction changed so far, per table (the statistics' own count, so tables
       -- without the trail and the application's triggers count too).
       SELECT coalesce(jsonb_object_agg(relid::text, w), '{}') INTO before FROM (
         SELECT relid, n_tup_ins + n_tup_upd + n_tup_del AS w FROM pg_stat_xact_all_tables
          WHERE n_tup_ins + n_tup_upd + n_tup_del > 0) s;
       EXECUTE p_statement;
       GET DIAGNOSTICS n = ROW_COUNT;
       -- Every table that changed more rows than before, except this record's own one row
       -- (in the table or, partitioned, one of its partitions), the trail's history and TOAST.
       SELECT jsonb_agg(jsonb_build_object('schema', schemaname, 'table', relname) ORDER BY schemaname, relname)
         INTO others FROM pg_stat_xact_all_tables x
        WHERE schemaname NOT IN (${quoteLiteral(AUDIT_SCHEMA)}, 'pg_toast')
          AND n_tup_ins + n_tup_upd + n_tup_del - coalesce((before ->> relid::text)::bigint, 0)
              > CASE WHEN relid = rel OR relid IN (SELECT t.relid FROM pg_partition_tree(rel) t)
                      THEN n ELSE 0 END;
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
       -- The versions this writes reach the history after the commit (drain): the caller finds
       -- them by this transaction's id (history_ids_of).
       verdict := jsonb_build_object('ok', true, 'rows', n, 'txid', txid_current()::text);
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
  // After a rollback committed: drains, then names the record's versions that transaction wrote.
  `CREATE OR REPLACE FUNCTION ${AUDIT_SCHEMA}.history_ids_of(
     p_schema text, p_table text, p_key jsonb, p_txid bigint) RETURNS jsonb
   LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
   BEGIN
     PERFORM ${AUDIT_SCHEMA}.drain();
     RETURN (SELECT coalesce(jsonb_agg(id::text ORDER BY id), '[]') FROM ${AUDIT_SCHEMA}.row_history
              WHERE ${recordHashSql('row_key', 'table_name')} = ${recordHashSql('p_key', 'p_table')}
                AND table_name = p_table AND schema_name = p_schema AND row_key = p_key
                AND txid = p_txid);
   END $fn$`,
  `REVOKE ALL ON FUNCTION ${AUDIT_SCHEMA}.history_ids_of(text, text, jsonb, bigint) FROM PUBLIC`,
  ...auditStreamStatements(AUDIT_SCHEMA),
  ...recordFunctionStatements(AUDIT_SCHEMA),
  `INSERT INTO ${AUDIT_SCHEMA}.meta (version) VALUES (${AUDIT_TRAIL_VERSION})
     ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version`,
];

/**
 * The record index, after the install's transaction and one statement at a time: built
 * CONCURRENTLY, so an upgrade over a history of millions of rows never blocks the application's
 * writes (a plain CREATE INDEX would hold every audited write for the whole build). A build cut
 * short leaves an invalid index, dropped here first; version 4's wider index goes last.
 */
export const AUDIT_INDEX_STATEMENTS: readonly string[] = [
  `DO $do$ BEGIN
     IF EXISTS (SELECT 1 FROM pg_index
                 WHERE indexrelid = to_regclass(${quoteLiteral(`${AUDIT_SCHEMA}.row_history_key`)})
                   AND NOT indisvalid) THEN
       DROP INDEX ${AUDIT_SCHEMA}.row_history_key;
     END IF;
   END $do$`,
  `CREATE INDEX CONCURRENTLY IF NOT EXISTS row_history_key
     ON ${AUDIT_SCHEMA}.row_history (${recordHashSql('row_key', 'table_name')})`,
  `DROP INDEX CONCURRENTLY IF EXISTS ${AUDIT_SCHEMA}.row_history_record`,
];

/**
 * The trigger's arguments: the primary key's column names, in key order. Attaching also notes
 * the table's column types as of now.
 */
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
    `DROP TRIGGER IF EXISTS ${AUDIT_TRUNCATE_TRIGGER} ON ${target}`,
    `CREATE TRIGGER ${AUDIT_TRUNCATE_TRIGGER} AFTER TRUNCATE ON ${target}
       FOR EACH STATEMENT EXECUTE FUNCTION ${AUDIT_SCHEMA}.capture_truncate()`,
    `SELECT ${AUDIT_SCHEMA}.note_columns(${quoteLiteral(target)}::regclass)`,
  ];
}

export function detachTriggerStatements(schema: string, table: string): string[] {
  const target = qualifiedTableName(schema, table);
  return [
    `DROP TRIGGER IF EXISTS ${AUDIT_TRIGGER} ON ${target}`,
    `DROP TRIGGER IF EXISTS ${AUDIT_TRUNCATE_TRIGGER} ON ${target}`,
  ];
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
    `DROP EVENT TRIGGER IF EXISTS ${AUDIT_COLUMNS_EVENT_TRIGGER}`,
    `DROP FUNCTION IF EXISTS ${AUDIT_SCHEMA}.capture_columns()`,
    `DROP FUNCTION IF EXISTS ${AUDIT_SCHEMA}.capture_truncate()`,
    `DROP FUNCTION IF EXISTS ${AUDIT_SCHEMA}.note_columns(regclass)`,
    `DROP FUNCTION IF EXISTS ${AUDIT_SCHEMA}.column_types(regclass)`,
    `DROP FUNCTION IF EXISTS ${AUDIT_SCHEMA}.capture()`,
    `DROP FUNCTION IF EXISTS ${AUDIT_SCHEMA}.apply_rollback(text, text, jsonb, jsonb, jsonb, text, text, text)`,
    `DROP FUNCTION IF EXISTS ${AUDIT_SCHEMA}.read_record(text, text, jsonb)`,
    `DROP FUNCTION IF EXISTS ${AUDIT_SCHEMA}.find_records(text, text, text, jsonb, integer)`,
    `DROP FUNCTION IF EXISTS ${AUDIT_SCHEMA}.history_ids_of(text, text, jsonb, bigint)`,
  ];
}

/**
 * After removal's transaction: the versions committed before the triggers went are drained into
 * the kept history, then the drain, the publication and the slot go (a slot nobody drains would
 * keep the server's WAL forever). With the history dropped there is nothing to drain.
 */
export function removeStreamStatements(dropHistory: boolean, drainExists: boolean): string[] {
  return [
    ...(dropHistory || !drainExists ? [] : [`SELECT ${AUDIT_SCHEMA}.drain()`]),
    ...(dropHistory
      ? []
      : [
          `DROP FUNCTION IF EXISTS ${AUDIT_SCHEMA}.drain()`,
          `DROP FUNCTION IF EXISTS ${AUDIT_SCHEMA}.slot_name()`,
        ]),
    AUDIT_DROP_SLOT_SQL,
    AUDIT_DROP_PUBLICATION_SQL,
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
  -- Attached without the TRUNCATE trigger (by version 2): arguments '' so the plan reattaches.
  LEFT JOIN LATERAL (
    SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_trigger u WHERE u.tgrelid = c.oid
                              AND u.tgname = ${quoteLiteral(AUDIT_TRUNCATE_TRIGGER)})
                THEN encode(t.tgargs, 'hex') ELSE '' END AS args FROM pg_trigger t
     WHERE t.tgrelid = c.oid AND t.tgname = ${quoteLiteral(AUDIT_TRIGGER)}) tg ON true
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relpersistence <> 't'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', ${quoteLiteral(AUDIT_SCHEMA)})
   AND n.nspname NOT LIKE 'pg\\_%'`;

/** Whether the trail's meta table exists (its own query: a missing table fails at planning). */
export const AUDIT_PRESENT_SQL = `SELECT to_regclass(${quoteLiteral(`${AUDIT_SCHEMA}.meta`)}) IS NOT NULL`;

/** The installed version and retention, and whether the functions exist (after AUDIT_PRESENT_SQL). */
export const AUDIT_META_SQL = `
SELECT row_to_json(m) FROM (SELECT version, retention_days AS "retentionDays",
       (to_regprocedure(${quoteLiteral(`${AUDIT_SCHEMA}.capture()`)}) IS NOT NULL) AS "functions",
       (to_regprocedure(${quoteLiteral(`${AUDIT_SCHEMA}.drain()`)}) IS NOT NULL) AS "drain"
  FROM ${AUDIT_SCHEMA}.meta) m`;

/** One batch of pruning: history rows older than the retention. */
export function pruneBatchSql(retentionDays: number, batch: number): string {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error('retention days');
  if (!Number.isInteger(batch) || batch < 1) throw new Error('batch size');
  // By ctid (a TID scan): the history has no index on id, and the BRIN index finds old rows.
  return `WITH gone AS (DELETE FROM ${AUDIT_SCHEMA}.row_history WHERE ctid = ANY (ARRAY(
            SELECT ctid FROM ${AUDIT_SCHEMA}.row_history
             WHERE changed_at < now() - make_interval(days => ${retentionDays})
             LIMIT ${batch})) RETURNING 1)
          SELECT count(*) FROM gone`;
}

export { quoteIdent };
