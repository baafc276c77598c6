import { z } from 'zod';
import { AUDIT_SCHEMA } from '../audit/audit-trail-sql';
import { qualifiedTableName, quoteIdent } from './table-checksum-sql';

/**
 * The GDPR erasure ledger (DESIGN.md §5): one signed object per erasure under
 * `bucketLayout.gdprPrefix(serverId)`, so a restore from an older backup erases the subject
 * again before anyone sees the data ("X never comes back through a restore"). An entry names
 * the subject only by keyed hashes (HMAC-SHA256 with the server's ledger key) of its key values,
 * never the values: the ledger outlives the backups that still hold the subject, and the key
 * stays with the customer (agent config, recovery kit), so a bucket reader cannot test guessed
 * ids. Entries are signed by the app and verified against the key pinned in the agent's config:
 * a bucket writer cannot make a replay delete rows. Pure: the schemas and the SQL a replay
 * runs; the agent (agent/gdpr/) verifies, reads and replays it.
 */

const HEX_HASH = /^[0-9a-f]{64}$/;

/** The rows of one table that belong to the subject: `column`'s text hashes to a key hash. */
export const ErasureTarget = z
  .object({
    schema: z.string().min(1).max(63),
    table: z.string().min(1).max(63),
    /** The column that names the subject in this table (a customer id, an e-mail address). */
    column: z.string().min(1).max(63),
    /** HMAC-SHA256(ledger key, UTF-8 text of the column's value), lower-case hex, per value. */
    keyHashes: z.array(z.string().regex(HEX_HASH)).min(1).max(10_000),
    /**
     * The map marks the table "anonymise": these columns are set to NULL instead of the rows
     * being deleted (the rows stay, e.g. invoices the law makes a company keep).
     */
    anonymise: z.array(z.string().min(1).max(63)).min(1).max(1600).optional(),
  })
  .strict();
export type ErasureTarget = z.infer<typeof ErasureTarget>;

/** One erasure as the ledger records it (the signed payload). */
export const ErasureLedgerEntry = z
  .object({
    format: z.literal('kumiko-erasure-2'),
    /** The server whose backups it applies to: an entry copied to another server's ledger is refused. */
    serverId: z.string().min(1).max(64),
    erasureId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    /** When the subject was erased from the live system (the timeline shows it then). */
    erasedAt: z.string().datetime({ offset: true }),
    /** soft-deleted: gone from the live system; hard-deleted: also from every backup (rolled over). */
    state: z.enum(['soft-deleted', 'hard-deleted']),
    database: z.string().min(1).max(63),
    /** Deleted in this order: rows that reference others before the rows they reference. */
    targets: z.array(ErasureTarget).min(1).max(200),
    /**
     * HMAC-SHA256(ledger key, absolute path) of each attached file the subject's rows named and
     * the erasure removed: a restore of the attached files removes them again before it hands
     * them over. Keyed like the values, since a path can name the subject.
     */
    fileHashes: z.array(z.string().regex(HEX_HASH)).min(1).max(10_000).optional(),
  })
  .strict();
export type ErasureLedgerEntry = z.infer<typeof ErasureLedgerEntry>;

/** SSHSIG namespace of ledger signatures: a report or manifest signature is no entry's. */
export const ERASURE_SIGNATURE_NAMESPACE = 'kumiko-erasure@kumiko';

/** Limits a replay holds the bucket to: more objects or bigger ones are refused, not read. */
export const LEDGER_LIMITS = { objects: 10_000, objectBytes: 2_000_000 } as const;

/**
 * A ledger object in the bucket: the entry as the exact JSON text that was signed, and the
 * app's armored SSHSIG over it. The text is parsed only after the signature verified.
 */
export const SignedLedgerObject = z
  .object({
    format: z.literal('kumiko-erasure-signed-1'),
    entry: z.string().min(2).max(LEDGER_LIMITS.objectBytes),
    signature: z.string().min(1).max(4_000),
  })
  .strict();
export type SignedLedgerObject = z.infer<typeof SignedLedgerObject>;

/** The ledger key: 32 random bytes as hex, kept in the agent config and the recovery kit. */
export const LEDGER_KEY = /^[0-9a-f]{64}$/;

/**
 * The subject's rows in one table, for every erasure that names the table, column and salt:
 * a replay scans each such table once, however many erasures it has.
 */
export interface ReplayGroup {
  database: string;
  schema: string;
  table: string;
  column: string;
  /** Columns set to NULL instead of deleting the rows (ErasureTarget.anonymise). */
  anonymise?: string[];
  keyHashes: string[];
  erasureIds: string[];
}

/**
 * Groups the entries' targets by database, table and column, in the order they first
 * appear with the entries sorted by erasure time: each entry lists referencing rows first, and
 * that order is kept.
 */
export function replayGroups(entries: readonly ErasureLedgerEntry[]): ReplayGroup[] {
  const sorted = [...entries].sort(
    (a, b) =>
      Date.parse(a.erasedAt) - Date.parse(b.erasedAt) || (a.erasureId < b.erasureId ? -1 : 1),
  );
  // Sets while collecting: a ledger can name thousands of key hashes for one table.
  const groups = new Map<
    string,
    Omit<ReplayGroup, 'keyHashes' | 'erasureIds'> & { hashes: Set<string>; ids: Set<string> }
  >();
  for (const entry of sorted) {
    for (const target of entry.targets) {
      const key = JSON.stringify([
        entry.database,
        target.schema,
        target.table,
        target.column,
        target.anonymise ?? null,
      ]);
      let group = groups.get(key);
      if (!group) {
        group = {
          database: entry.database,
          schema: target.schema,
          table: target.table,
          column: target.column,
          ...(target.anonymise ? { anonymise: [...target.anonymise] } : {}),
          hashes: new Set(),
          ids: new Set(),
        };
        groups.set(key, group);
      }
      for (const hash of target.keyHashes) group.hashes.add(hash);
      group.ids.add(entry.erasureId);
    }
  }
  return [...groups.values()].map(({ hashes, ids, ...group }) => ({
    ...group,
    keyHashes: [...hashes],
    erasureIds: [...ids],
  }));
}

/**
 * The HMAC-SHA256 key pads of a 32-byte ledger key, as hex: HMAC(k, m) =
 * sha256((k ^ opad) || sha256((k ^ ipad) || m)), which PostgreSQL's built-in sha256() computes
 * without pgcrypto. Only the pads reach SQL, never as a parameter a log would keep apart.
 */
export function hmacPads(ledgerKey: string): { inner: string; outer: string } {
  if (!LEDGER_KEY.test(ledgerKey)) throw new Error('the ledger key is not 32 bytes of hex');
  const bytes = (ledgerKey.match(/../g) ?? []).map((h) => parseInt(h, 16));
  const pad = (xor: number): string =>
    Array.from({ length: 64 }, (_, i) =>
      ((bytes[i] ?? 0) ^ xor).toString(16).padStart(2, '0'),
    ).join('');
  return { inner: pad(0x36), outer: pad(0x5c) };
}

/**
 * `WHERE` condition matching the group's subject rows. Pads and hashes are checked hex, so
 * they are inlined as literals; identifiers are quoted.
 */
function subjectCondition(
  group: ReplayGroup,
  ledgerKey: string,
  text = `t.${quoteIdent(group.column)}::text`,
): string {
  for (const hash of group.keyHashes) {
    if (!HEX_HASH.test(hash)) throw new Error('a key hash is not 64 hex digits');
  }
  const { inner, outer } = hmacPads(ledgerKey);
  const value = `convert_to(${text}, 'UTF8')`;
  return (
    `encode(sha256(decode('${outer}', 'hex') || sha256(decode('${inner}', 'hex') || ${value})), 'hex') ` +
    `= ANY (ARRAY[${group.keyHashes.map((h) => `'${h}'`).join(', ')}])`
  );
}

/** An anonymised group's rows that still hold a value in a column to clear ('' otherwise). */
function notYetAnonymised(group: ReplayGroup): string {
  if (!group.anonymise?.length) return '';
  return ` AND (${group.anonymise.map((c) => `t.${quoteIdent(c)} IS NOT NULL`).join(' OR ')})`;
}

/** Deletes the group's subject rows (or clears their personal columns); prints how many. */
export function eraseGroupSql(group: ReplayGroup, ledgerKey: string): string {
  const from = qualifiedTableName(group.schema, group.table);
  const where = `${subjectCondition(group, ledgerKey)}${notYetAnonymised(group)}`;
  const change = group.anonymise?.length
    ? `UPDATE ${from} t SET ${group.anonymise.map((c) => `${quoteIdent(c)} = NULL`).join(', ')}`
    : `DELETE FROM ${from} t`;
  return `WITH erased AS (${change} WHERE ${where} RETURNING 1) SELECT count(*) FROM erased`;
}

/** Counts the group's subject rows still there (still holding personal values): 0 after a replay. */
export function remainingGroupSql(group: ReplayGroup, ledgerKey: string): string {
  const from = qualifiedTableName(group.schema, group.table);
  return `SELECT count(*) FROM ${from} t WHERE ${subjectCondition(group, ledgerKey)}${notYetAnonymised(group)}`;
}

/** Prints `t` when the database has the audit trail's row history (issue 18), else `f`. */
export const AUDIT_HISTORY_EXISTS_SQL = `SELECT to_regclass('${AUDIT_SCHEMA}.row_history') IS NOT NULL`;

/**
 * Removes the audit trail's history of the group's subject rows (their key, old and new values
 * are the personal data erased); prints how many entries went. Run only where the row history
 * exists ({@link AUDIT_HISTORY_EXISTS_SQL}).
 */
export function scrubHistorySql(group: ReplayGroup, ledgerKey: string): string {
  const column = group.column.replace(/'/g, "''");
  const named = (side: 'row_key' | 'old_row' | 'new_row') =>
    subjectCondition(group, ledgerKey, `(h.${side} ->> '${column}')`);
  const schema = group.schema.replace(/'/g, "''");
  const table = group.table.replace(/'/g, "''");
  return (
    `WITH gone AS (DELETE FROM ${AUDIT_SCHEMA}.row_history h WHERE h.schema_name = '${schema}' ` +
    `AND h.table_name = '${table}' AND (${named('row_key')} OR ${named('old_row')} OR ${named('new_row')}) RETURNING 1) ` +
    `SELECT count(*) FROM gone`
  );
}

/** Prints `t` when the table exists (an older backup may predate it), else `f`. */
export function tableExistsSql(group: Pick<ReplayGroup, 'schema' | 'table'>): string {
  const name = qualifiedTableName(group.schema, group.table).replace(/'/g, "''");
  return `SELECT to_regclass('${name}') IS NOT NULL`;
}

/** The keyed path hashes of every entry's attached files, and which erasures named any. */
export function erasedFileHashes(entries: readonly ErasureLedgerEntry[]): {
  hashes: Set<string>;
  erasureIds: string[];
} {
  const hashes = new Set<string>();
  const erasureIds: string[] = [];
  for (const entry of entries) {
    if (!entry.fileHashes?.length) continue;
    for (const hash of entry.fileHashes) hashes.add(hash);
    erasureIds.push(entry.erasureId);
  }
  return { hashes, erasureIds };
}
