import { z } from 'zod';
import { qualifiedTableName, quoteIdent } from './table-checksum-sql';

/**
 * The GDPR erasure ledger (DESIGN.md §5): one JSON object per erasure under
 * `bucketLayout.gdprPrefix(serverId)`, so a restore from an older backup can erase the subject
 * again before anyone sees the data ("X never comes back through a restore"). An entry names
 * the subject only by salted SHA-256 hashes of its key values, never the values themselves:
 * the ledger outlives the backups that still hold the subject. Pure: the schema and the SQL a
 * replay runs; the drill (agent/drill/gdpr-ledger.ts) reads and replays it.
 */

const HEX_HASH = /^[0-9a-f]{64}$/;

/** The rows of one table that belong to the subject: `column`'s text hashes to a key hash. */
export const ErasureTarget = z.object({
  schema: z.string().min(1).max(63),
  table: z.string().min(1).max(63),
  /** The column that names the subject in this table (a customer id, an e-mail address). */
  column: z.string().min(1).max(63),
  /** sha256(salt bytes ‖ UTF-8 text of the column's value), lower-case hex, per key value. */
  keyHashes: z.array(z.string().regex(HEX_HASH)).min(1).max(10_000),
});
export type ErasureTarget = z.infer<typeof ErasureTarget>;

/** One erasure as the ledger records it. */
export const ErasureLedgerEntry = z.object({
  format: z.literal('kumiko-erasure-1'),
  erasureId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  /** When the subject was erased from the live system (the timeline shows it then). */
  erasedAt: z.string().datetime({ offset: true }),
  /** soft-deleted: gone from the live system; hard-deleted: also from every backup (rolled over). */
  state: z.enum(['soft-deleted', 'hard-deleted']),
  database: z.string().min(1).max(63),
  /** The server's ledger salt (hex, 16 to 64 bytes): the same value for every entry of a server. */
  salt: z.string().regex(/^(?:[0-9a-f]{2}){16,64}$/),
  /** Deleted in this order: rows that reference others before the rows they reference. */
  targets: z.array(ErasureTarget).min(1).max(200),
});
export type ErasureLedgerEntry = z.infer<typeof ErasureLedgerEntry>;

/**
 * The subject's rows in one table, for every erasure that names the table, column and salt:
 * a replay scans each such table once, however many erasures it has.
 */
export interface ReplayGroup {
  database: string;
  schema: string;
  table: string;
  column: string;
  salt: string;
  keyHashes: string[];
  erasureIds: string[];
}

/**
 * Groups the entries' targets by database, table, column and salt, in the order they first
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
        entry.salt,
      ]);
      let group = groups.get(key);
      if (!group) {
        group = {
          database: entry.database,
          schema: target.schema,
          table: target.table,
          column: target.column,
          salt: entry.salt,
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
 * `WHERE` condition matching the group's subject rows. Salt and hashes were checked to be hex
 * by the schema, so they are inlined as literals; identifiers are quoted.
 */
function subjectCondition(group: ReplayGroup): string {
  for (const hash of group.keyHashes) {
    if (!HEX_HASH.test(hash)) throw new Error('a key hash is not 64 hex digits');
  }
  if (!/^(?:[0-9a-f]{2})+$/.test(group.salt)) throw new Error('the salt is not hex');
  const value = `convert_to(t.${quoteIdent(group.column)}::text, 'UTF8')`;
  return (
    `encode(sha256(decode('${group.salt}', 'hex') || ${value}), 'hex') ` +
    `= ANY (ARRAY[${group.keyHashes.map((h) => `'${h}'`).join(', ')}])`
  );
}

/** Deletes the group's subject rows; prints how many. */
export function eraseGroupSql(group: ReplayGroup): string {
  const from = qualifiedTableName(group.schema, group.table);
  return `WITH erased AS (DELETE FROM ${from} t WHERE ${subjectCondition(group)} RETURNING 1) SELECT count(*) FROM erased`;
}

/** Counts the group's subject rows still there (0 after a replay). */
export function remainingGroupSql(group: ReplayGroup): string {
  const from = qualifiedTableName(group.schema, group.table);
  return `SELECT count(*) FROM ${from} t WHERE ${subjectCondition(group)}`;
}

/** Prints `t` when the table exists (an older backup may predate it), else `f`. */
export function tableExistsSql(group: Pick<ReplayGroup, 'schema' | 'table'>): string {
  const name = qualifiedTableName(group.schema, group.table).replace(/'/g, "''");
  return `SELECT to_regclass('${name}') IS NOT NULL`;
}

/** UTF-8 bytes of a string (shared/ has no TextEncoder: it compiles without DOM or Node types). */
function utf8(text: string): number[] {
  const out: number[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0) as number;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else
      out.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 63),
        0x80 | ((cp >> 6) & 63),
        0x80 | (cp & 63),
      );
  }
  return out;
}

/**
 * The hash an entry records for one key value: what the GDPR erasure writes and what
 * {@link eraseGroupSql} compares (salt bytes, then the value's UTF-8 text). `digest`: hex
 * sha256 of bytes (node:crypto in the agent and the app).
 */
export function subjectKeyHash(
  salt: string,
  value: string,
  digest: (bytes: Uint8Array) => string,
): string {
  const saltBytes = (salt.match(/../g) ?? []).map((h) => parseInt(h, 16));
  return digest(Uint8Array.from([...saltBytes, ...utf8(value)]));
}
