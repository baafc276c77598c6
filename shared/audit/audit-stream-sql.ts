import { utf8Encode } from '../sshsig/bytes';
import { quoteLiteral } from './sql-literal';

/**
 * The audit trail's write path since version 7 (issue 18 §1): the row trigger no longer inserts
 * into row_history. It writes each version as one transactional logical-decoding message into
 * the WAL, and drain() (called by the agent every second and by every reader first) moves the
 * committed messages into row_history, in commit order, exactly once.
 *
 * Why: the INSERT (heap, record index, BRIN, identity and their WAL) was most of the trigger's
 * cost. pgbench tpcb-like, 2 clients, side by side, same cluster with wal_level = logical and
 * the drain running every second: the INSERT trigger 0.80–0.85 of plain TPS, the message trigger
 * 0.87–0.90 (docs/notes/audit-capture-cost.md). A message is WAL only, and is lost with its
 * transaction when that rolls back, like the row it describes.
 *
 * What it needs: wal_level = logical (the agent install sets it), one logical slot per database
 * (pgoutput, built in) and one publication without tables (pgoutput asks for one; with
 * `messages` on it then sends only BEGIN, our messages and COMMIT).
 *
 * Exactly once without losing a version: the slot is only peeked, never consumed, inside the
 * drain's transaction; the transactions moved are remembered in meta.drained_lsn (their commit
 * LSN) in the same transaction, and the slot is advanced to what was committed at the start of
 * the next drain. A drain that fails leaves both as they were; a slot advanced later than the
 * history was written re-sends transactions already moved, which drained_lsn skips.
 */

/** The message prefix of a version (7 bytes with its NUL: the content starts at byte 22). */
export const AUDIT_MESSAGE_PREFIX = 'kumiko';
/**
 * A transaction that sends this message has none of its versions kept: a GDPR erasure, whose
 * deletes would otherwise carry the subject's values into the history after it was cleaned.
 */
export const AUDIT_SKIP_PREFIX = 'kumiko-skip';
/** The publication pgoutput is given; it has no tables, only our messages pass. */
export const AUDIT_PUBLICATION = 'kumiko_audit';
/** At most this many decoded rows per drain: a backlog after a stopped agent goes in parts. */
export const AUDIT_DRAIN_BATCH = 100_000;

const hexOf = (text: string): string =>
  [...utf8Encode(text), 0].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The trigger's one statement per version: the message is a JSON array (positional, so it is
 * short) of what row_history keeps. Everything named with its schema: capture() runs under the
 * writer's search_path (see audit-trail-sql.ts); so no NULLIF here (its = is looked up on that
 * path): an empty setting becomes NULL in drain().
 */
export function emitVersion(key: string, op: 'I' | 'U' | 'D' | 'T', oldRow: string): string {
  return `PERFORM pg_catalog.pg_logical_emit_message(true, ${quoteLiteral(AUDIT_MESSAGE_PREFIX)},
           pg_catalog.jsonb_build_array(TG_TABLE_SCHEMA, TG_TABLE_NAME, ${key}, '${op}', ${oldRow},
             pg_catalog.txid_current(), pg_catalog.clock_timestamp(), session_user,
             pg_catalog.current_setting('application_name', true),
             pg_catalog.current_setting('kumiko.actor', true),
             pg_catalog.current_setting('kumiko.reason', true))::pg_catalog.text);`;
}

/** Every database's trail slot, as a LIKE pattern (for the agent's uninstall). */
export const AUDIT_SLOT_LIKE = `'kumiko\\_audit\\_%'`;

/** This database's slot: slot names are the cluster's, so the database's oid is in it. */
export const AUDIT_SLOT_NAME_SQL = `SELECT 'kumiko_audit_' || oid FROM pg_catalog.pg_database
  WHERE datname = pg_catalog.current_database()`;

/**
 * Creates the slot when missing (outside any transaction that wrote: PostgreSQL's rule). It
 * waits for the transactions running now to end, so the install bounds it.
 */
export const AUDIT_CREATE_SLOT_SQL = `SELECT pg_catalog.pg_create_logical_replication_slot(s.name, 'pgoutput')
  FROM (${AUDIT_SLOT_NAME_SQL}) s(name)
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_replication_slots r WHERE r.slot_name = s.name)`;

/**
 * The publication, in a transaction before the slot's: pgoutput looks it up as the catalog was
 * when each decoded transaction ran, so it must be older than every one the slot decodes.
 */
export const AUDIT_CREATE_PUBLICATION_SQL = `DO $do$ BEGIN
   IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ${quoteLiteral(AUDIT_PUBLICATION)}) THEN
     CREATE PUBLICATION ${AUDIT_PUBLICATION};
   END IF;
 END $do$`;

/** What the install runs first, each statement in its own transaction: publication, then slot. */
export const AUDIT_STREAM_SETUP: readonly string[] = [
  AUDIT_CREATE_PUBLICATION_SQL,
  AUDIT_CREATE_SLOT_SQL,
];

/** Drops the slot (after the trail is removed: a slot nobody drains keeps WAL forever). */
export const AUDIT_DROP_SLOT_SQL = `SELECT pg_catalog.pg_drop_replication_slot(r.slot_name)
  FROM pg_catalog.pg_replication_slots r WHERE r.slot_name = (${AUDIT_SLOT_NAME_SQL})`;

export const AUDIT_DROP_PUBLICATION_SQL = `DROP PUBLICATION IF EXISTS ${AUDIT_PUBLICATION}`;

/** True where the database has the trail's drain (version 7 on). */
export const AUDIT_HAS_DRAIN = `pg_catalog.to_regprocedure('kumiko_audit.drain()') IS NOT NULL`;

/**
 * For a psql script: drains when the database has the trail (version 7 on), else nothing.
 * Scripts that change rows and then read or clean the history run it after their commit.
 */
export const AUDIT_DRAIN_IF_PRESENT_SQL = `DO $kdrain$ BEGIN
  IF ${AUDIT_HAS_DRAIN} THEN PERFORM kumiko_audit.drain(); END IF;
END $kdrain$;`;

/** The server's wal_level: the trail refuses to install below logical. */
export const WAL_LEVEL_SQL = `SELECT pg_catalog.current_setting('wal_level')`;

/** The stream's part of the install, inside the install's transaction. */
export function auditStreamStatements(schema: string): string[] {
  const prefix = `'\\x${hexOf(AUDIT_MESSAGE_PREFIX)}'::bytea`;
  const skip = `'\\x${hexOf(AUDIT_SKIP_PREFIX)}'::bytea`;
  return [
    `ALTER TABLE ${schema}.meta ADD COLUMN IF NOT EXISTS drained_lsn pg_lsn NOT NULL DEFAULT '0/0'`,
    `ALTER TABLE ${schema}.meta ADD COLUMN IF NOT EXISTS confirm_lsn pg_lsn`,
    // When the slot had to be made again (a restored or rebuilt cluster, a slot dropped by
    // hand): versions written between the last drain and then may be missing.
    `CREATE TABLE IF NOT EXISTS ${schema}.gaps (
       noted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
       history_until timestamptz,
       last_id bigint)`,
    `CREATE OR REPLACE FUNCTION ${schema}.slot_name() RETURNS text
     LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$ ${AUDIT_SLOT_NAME_SQL} $fn$`,
    // One drainer at a time (the slot takes one reader; drained_lsn is read and written), so the
    // agent's tick and a reader's drain queue for the advisory lock instead of failing.
    `CREATE OR REPLACE FUNCTION ${schema}.drain() RETURNS bigint
     LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
     DECLARE
       slot text := ${schema}.slot_name(); m record; flushed pg_lsn; decoded bigint;
       newest pg_lsn; moved bigint;
     BEGIN
       PERFORM pg_advisory_xact_lock(hashtext(${quoteLiteral(`${schema}.drain`)}));
       IF NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = slot) THEN
         -- Before anything is written in this transaction (PostgreSQL's rule for new slots).
         PERFORM pg_create_logical_replication_slot(slot, 'pgoutput');
         INSERT INTO ${schema}.gaps (history_until, last_id)
           SELECT max(changed_at), max(id) FROM ${schema}.row_history;
         UPDATE ${schema}.meta SET confirm_lsn = NULL;
         RETURN 0;
       END IF;
       SELECT drained_lsn, confirm_lsn INTO m FROM ${schema}.meta;
       IF m.confirm_lsn > (SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = slot) THEN
         PERFORM pg_replication_slot_advance(slot, m.confirm_lsn);
       END IF;
       flushed := pg_current_wal_flush_lsn();
       WITH c AS MATERIALIZED (
         SELECT c.n, get_byte(c.data, 0) AS kind, c.data
           FROM pg_logical_slot_peek_binary_changes(slot, NULL, ${AUDIT_DRAIN_BATCH},
                  'proto_version', '1', 'publication_names', ${quoteLiteral(AUDIT_PUBLICATION)},
                  'messages', 'true') WITH ORDINALITY AS c(lsn, xid, data, n)),
       -- Rows come a transaction at a time: BEGIN ('B', 66) carries the commit's LSN.
       t AS (SELECT n, kind, data, count(*) FILTER (WHERE kind = 66) OVER (ORDER BY n) AS tx FROM c),
       b AS (SELECT tx, '0/0'::pg_lsn
                        + ('x' || encode(substring(data FROM 2 FOR 8), 'hex'))::bit(64)::bigint::numeric AS commit_lsn
               FROM t WHERE kind = 66),
       skip AS (SELECT DISTINCT tx FROM t
                 WHERE kind = 77 AND substring(data FROM 11 FOR ${hexOf(AUDIT_SKIP_PREFIX).length / 2}) = ${skip}),
       -- A message ('M', 77): flags, LSN, prefix with its NUL, length, then the content, in the
       -- database's encoding (the text the trigger passed, as the server holds it).
       v AS (SELECT t.n, convert_from(substring(t.data FROM ${11 + hexOf(AUDIT_MESSAGE_PREFIX).length / 2 + 4}), getdatabaseencoding())::jsonb AS j
               FROM t JOIN b USING (tx)
              WHERE t.kind = 77 AND substring(t.data FROM 11 FOR ${hexOf(AUDIT_MESSAGE_PREFIX).length / 2}) = ${prefix}
                AND b.commit_lsn > m.drained_lsn AND t.tx NOT IN (SELECT tx FROM skip)),
       ins AS (
         INSERT INTO ${schema}.row_history (schema_name, table_name, row_key, op, old_row, txid,
                                            changed_at, db_user, application_name, actor, reason)
         SELECT j ->> 0, j ->> 1, j -> 2, (j ->> 3)::"char", nullif(j -> 4, 'null'), (j ->> 5)::bigint,
                (j ->> 6)::timestamptz, j ->> 7, nullif(j ->> 8, ''), nullif(j ->> 9, ''),
                nullif(j ->> 10, '')
           FROM v ORDER BY n RETURNING 1)
       SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM c), (SELECT max(commit_lsn) FROM b)
         INTO moved, decoded, newest;
       -- Everything committed before the peek began was decoded, unless the batch was full.
       UPDATE ${schema}.meta
          SET drained_lsn = greatest(drained_lsn, coalesce(newest, drained_lsn)),
              confirm_lsn = CASE WHEN decoded < ${AUDIT_DRAIN_BATCH} THEN flushed
                                 ELSE coalesce(newest, confirm_lsn) END;
       RETURN moved;
     END $fn$`,
    `REVOKE ALL ON FUNCTION ${schema}.drain() FROM PUBLIC`,
  ];
}
