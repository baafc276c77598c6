import { z } from 'zod';
import { BucketProtection } from './bucket-protection';

/**
 * What the agent writes every heartbeat, locally (state dir) and to the bucket. The app's
 * dashboard reads it over SSH, or from the bucket when the server is unreachable.
 */
export const Heartbeat = z.object({
  serverId: z.string(),
  agentVersion: z.string(),
  at: z.string().datetime(),
  /** From pg_stat_archiver. */
  archiver: z.object({
    archivedCount: z.number(),
    lastArchivedWal: z.string().nullable(),
    lastArchivedAt: z.string().datetime().nullable(),
    failedCount: z.number(),
    lastFailedWal: z.string().nullable(),
    lastFailedAt: z.string().datetime().nullable(),
    /** Seconds since the last successful archive; null if none yet. */
    secondsSinceLastArchive: z.number().nullable(),
  }),
  /** `pgbackrest info --output=json` status.code (0 ok, 2 no valid backup, 99 error) and message. */
  repository: z.object({
    reachable: z.boolean(),
    statusCode: z.number().nullable(),
    message: z.string(),
    newestWal: z.string().nullable(),
    backupCount: z.number(),
  }),
  lastRecoveryPoint: z
    .object({ label: z.string(), at: z.string().datetime(), ok: z.boolean() })
    .nullable(),
  lastRecoveryPointError: z.string().nullable(),
  /**
   * The last point failed because its attached files depend on data gone from the bucket; the
   * console offers the heal (absent from agents before issue 21 §2).
   */
  lastRecoveryPointFilesMissing: z.boolean().optional(),
  lastRetention: z
    .object({ at: z.string().datetime(), ok: z.boolean(), message: z.string() })
    .nullable(),
  /**
   * pgBackRest's spool (its size) and `queuedFiles`: WAL files waiting to be archived (the
   * `.ready` marks in pg_wal/archive_status), not the spool's own acknowledgement files.
   */
  spool: z.object({ path: z.string(), bytes: z.number(), queuedFiles: z.number() }),
  disk: z.object({ path: z.string(), freeBytes: z.number(), totalBytes: z.number() }),
  scheduler: z.object({
    mode: z.enum(['systemd', 'daemon']),
    running: z.boolean(),
    nextSnapshotAt: z.string().datetime().nullable(),
    /** Next scheduled drill; null when drills are off or no daemon runs (absent before issue 5). */
    nextDrillAt: z.string().datetime().nullable().optional(),
  }),
  /** The newest drill whose report reached the bucket (absent from agents before issue 5). */
  lastDrill: z
    .object({
      drillId: z.string(),
      /** When it finished. */
      at: z.string().datetime(),
      passed: z.boolean(),
      // The fields below are absent from agents before issue 14.
      startedAt: z.string().datetime().optional(),
      /** The recovery point (backup label) it restored; null when the agent did not record it. */
      backupLabel: z.string().nullable().optional(),
      failedChecks: z.array(z.string()).optional(),
      /** The first failed check and why, in one line. */
      failure: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  /** The drill schedule, for "overdue" (absent from agents before issue 14). */
  drill: z
    .object({
      /** drill.intervalSeconds of the config; 0 = scheduled drills off. */
      intervalSeconds: z.number().int().min(0),
      /** When the scheduler first planned drills (the first is due one interval later). */
      scheduleSince: z.string().datetime().nullable(),
      /** The newest attempt; ok false: it wrote no report, `error` says why. */
      lastAttempt: z
        .object({ at: z.string().datetime(), ok: z.boolean(), error: z.string().nullable() })
        .nullable(),
    })
    .optional(),
  /**
   * The newest check of the bucket key's rights (version-delete probe, versioning, Object Lock,
   * lifecycle); null before the first, absent from agents before issue 15 §3.
   */
  bucketProtection: BucketProtection.nullable().optional(),
  /** Open alert incidents (kind → since). */
  incidents: z.record(z.string(), z.string()),
});
export type Heartbeat = z.infer<typeof Heartbeat>;
