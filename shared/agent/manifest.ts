import { z } from 'zod';
import { PointNote } from './point';

/**
 * The recovery-point manifest (DESIGN.md §5): what one daily recovery point consists of, written
 * by the agent to `bucketLayout.manifest(serverId, label)` beside an SSHSIG signature
 * (namespace `kumiko-manifest`) of its exact bytes. Drills compare a restore against it.
 *
 * Bytes, hash and signature: the agent serialises with {@link canonicalManifestJson}, hashes
 * (SHA-256) and signs exactly those bytes, and uploads them unchanged. Readers verify the
 * signature over the bytes they downloaded BEFORE parsing; they never re-serialise to verify.
 * Hashing needs node:crypto, so it lives in the callers, not here.
 */

export const MANIFEST_FORMAT = 'kumiko-manifest/1';

/** pgBackRest backup label: `20250331-023000F`, or `…F_20250401-023000D|I` for diff/incr. */
export const PgBackRestLabel = z
  .string()
  .regex(/^\d{8}-\d{6}F(_\d{8}-\d{6}[DI])?$/, 'not a pgBackRest backup label');

/** `0/3000028`-style LSN as PostgreSQL and pgBackRest print it. */
const Lsn = z.string().regex(/^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/, 'not an LSN');
/** WAL segment file name: timeline, log, segment (24 hex digits). */
const WalSegment = z.string().regex(/^[0-9A-F]{24}$/, 'not a WAL segment name');
const Count = z.number().int().nonnegative();
const Timestamp = z.string().datetime({ offset: true });
const Md5Hex = z.string().regex(/^[0-9a-f]{32}$/, 'not an md5 hex digest');

export const ManifestTable = z
  .object({
    schema: z.string().min(1),
    table: z.string().min(1),
    rowCount: Count,
    /** From tableChecksumSql (shared/agent/table-checksum-sql.ts). */
    checksum: Md5Hex,
    /** Which row hash made it; a drill recomputes with the same one. Absent: md5. */
    checksumMethod: z.enum(['columns64', 'hash64', 'md5']).optional(),
  })
  .strict();
export type ManifestTable = z.infer<typeof ManifestTable>;

export const ManifestDatabase = z
  .object({
    name: z.string().min(1),
    /**
     * All counts and checksums of one database come from one snapshot. 'exported snapshot': the
     * snapshot a temporary logical replication slot exported at `consistentLsn`, which holds
     * exactly the transactions whose commit lies before that WAL position; 'repeatable read':
     * a snapshot of no known WAL position (older agents, or when no slot could be made).
     */
    isolation: z.enum(['repeatable read', 'exported snapshot']),
    /**
     * With 'exported snapshot': a restore of this backup with `recovery_target_lsn` = this and
     * `recovery_target_inclusive = off` reproduces exactly the state the numbers describe.
     */
    consistentLsn: Lsn.optional(),
    tables: z.array(ManifestTable),
  })
  .strict()
  .refine((db) => (db.isolation === 'exported snapshot') === (db.consistentLsn !== undefined), {
    message: 'an exported snapshot names its consistent LSN, and only it does',
    path: ['consistentLsn'],
  });
export type ManifestDatabase = z.infer<typeof ManifestDatabase>;

export const RecoveryPointManifest = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    serverId: z.string().min(1),
    /** The pgBackRest backup label; equals pgbackrest.label. */
    label: PgBackRestLabel,
    tier: z.enum(['daily', 'weekly', 'monthly']),
    agentVersion: z.string().min(1),
    createdAt: Timestamp,
    /** An admin's note for a point taken on demand (`kumiko point create --label`). */
    note: PointNote.optional(),
    pgbackrest: z
      .object({
        label: PgBackRestLabel,
        type: z.enum(['full', 'diff', 'incr']),
        lsnStart: Lsn,
        lsnStop: Lsn,
        timeStart: Timestamp,
        /** The point is consistent (restorable) from this moment on. */
        timeStop: Timestamp,
        walStart: WalSegment,
        walStop: WalSegment,
        /** Size of the cluster as backed up (pgBackRest `info.size`). */
        sizeBytes: Count,
        /** Size in the repository after compression (pgBackRest `info.repository.size`). */
        repoSizeBytes: Count,
      })
      .strict(),
    restic: z
      .object({
        /** null when no attached-file paths are configured. */
        snapshotId: z
          .string()
          .regex(/^[0-9a-f]{8,64}$/)
          .nullable(),
        paths: z.array(z.string().regex(/^\//, 'must be an absolute path')),
        fileCount: Count,
        bytes: Count,
      })
      .strict(),
    databases: z.array(ManifestDatabase),
    pg: z
      .object({
        /** server_version, e.g. "15.8". */
        version: z.string().min(1),
        /** pg_control_system().system_identifier (a 64-bit number, so a decimal string). */
        systemIdentifier: z.string().regex(/^\d+$/),
        dataChecksums: z.boolean(),
      })
      .strict(),
  })
  .strict()
  .refine((m) => m.label === m.pgbackrest.label, {
    message: 'label must equal pgbackrest.label',
    path: ['label'],
  });
export type RecoveryPointManifest = z.infer<typeof RecoveryPointManifest>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function sortKeys(value: unknown): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('canonical JSON: non-finite number');
    return value;
  }
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  throw new Error(`canonical JSON: cannot serialise a ${typeof value}`);
}

/**
 * Deterministic JSON: object keys sorted by UTF-16 code units at every level, arrays in their
 * order, `undefined` members dropped, 2-space indentation, one final newline. Equal values give
 * byte-identical text whatever order their keys were built in.
 */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/**
 * Validates the manifest and returns the exact text to hash, sign and upload. Databases and
 * tables are put in a stable order (by name; schema, then table) so the same data always gives
 * the same bytes. @throws ZodError when the manifest does not match the schema.
 */
export function canonicalManifestJson(manifest: RecoveryPointManifest): string {
  const parsed = RecoveryPointManifest.parse(manifest);
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const databases = [...parsed.databases]
    .sort((a, b) => byText(a.name, b.name))
    .map((db) => ({
      ...db,
      tables: [...db.tables].sort((a, b) => byText(a.schema, b.schema) || byText(a.table, b.table)),
    }));
  return canonicalJson({ ...parsed, databases });
}

/** Parses manifest text (after its signature was verified). @throws SyntaxError or ZodError */
export function parseManifestJson(text: string): RecoveryPointManifest {
  return RecoveryPointManifest.parse(JSON.parse(text));
}
