import { z } from 'zod';
import { Id } from './domain';
import { Phrase } from './phrases';

// The catalog of recoverable moments, point-in-time restores and the scratch environments they
// create (issue 4). Times are ISO 8601 UTC strings; the renderer shows them in the admin's
// zone with UTC beside them.

const Iso = z.string().datetime({ offset: true });

/**
 * What restore drills say about one recovery point (issue 14): `proven` when the newest drill that
 * restored it passed and its report's signature verified against the pinned agent key; `failed`
 * when that drill failed (a failure counts even from a report that does not verify: it is a
 * reason to look, never a reason to trust); `never-drilled` otherwise.
 */
export const RecoveryPointDrill = z.object({
  mark: z.enum(['proven', 'failed', 'never-drilled']),
  /** The drill the mark rests on (null for never-drilled). */
  drillId: z.string().nullable(),
  /** When that drill started. */
  at: Iso.nullable(),
  /** Its failed checks, each with its reason cut to one line (empty unless failed). */
  failedChecks: z.array(z.object({ id: z.string(), detail: z.string() })),
  /** Whether its report verified against the pinned agent key (false for never-drilled). */
  verified: z.boolean(),
  /** Passed drills of this point whose report did not verify, so they prove nothing. */
  unverifiedPasses: z.number().int(),
});
export type RecoveryPointDrill = z.infer<typeof RecoveryPointDrill>;

/** One pgBackRest base backup as the catalog knows it (from its manifest, else from its label). */
export const CatalogBackup = z.object({
  label: z.string(),
  type: z.enum(['full', 'diff', 'incr']),
  /** Null when the backup has no manifest (details then come only from the server). */
  timeStart: Iso.nullable(),
  timeStop: Iso.nullable(),
  lsnStart: z.string().nullable(),
  lsnStop: z.string().nullable(),
  /** WAL segment names the backup needs to be consistent. */
  walStart: z.string().nullable(),
  walStop: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  /** GFS tier derived at read time from all points (a manifest's own tier is its creation-time view). */
  tier: z.enum(['daily', 'weekly', 'monthly']).nullable(),
  manifest: z
    .object({
      key: z.string(),
      sha256: z.string(),
      /** SSHSIG check against the agent key pinned at install. */
      signature: z.enum(['valid', 'invalid', 'missing', 'no-pinned-key']),
      resticSnapshotId: z.string().nullable(),
      tables: z.number().int(),
      rows: z.number().int(),
      /**
       * The admin's note of a point taken on demand, from a manifest whose signature verified
       * (or with no key pinned to check it); null otherwise. Absent in catalogs cached before it.
       */
      note: z.string().nullable().optional(),
    })
    .nullable(),
  /** Restore drills of this recovery point; absent only when drill reports were not looked up. */
  drill: RecoveryPointDrill.optional(),
});
export type CatalogBackup = z.infer<typeof CatalogBackup>;

/** A span of time that can be restored to any second, from one base backup plus unbroken WAL. */
export const CoverageRange = z.object({
  from: Iso,
  to: Iso,
  timeline: z.number().int(),
  /** The newest base backup that finished before `from` … the one a restore in here starts from. */
  baseBackup: z.string(),
  firstSegment: z.string(),
  lastSegment: z.string(),
  segments: z.number().int(),
});
export type CoverageRange = z.infer<typeof CoverageRange>;

/** Missing WAL: times from `from` until a later backup (or `to`: null = until now) are not restorable. */
export const CatalogGap = z.object({
  from: Iso,
  to: Iso.nullable(),
  timeline: z.number().int(),
  /** First missing segment and how many are missing. */
  missingSegment: z.string(),
  missingCount: z.number().int(),
  /** The cause in English (CLI, logs); `causeWords` is the same for the console to word. */
  cause: z.string(),
  causeWords: Phrase.optional(),
});
export type CatalogGap = z.infer<typeof CatalogGap>;

/** Drills and GDPR erasures shown on the timeline (from their bucket records). */
export const CatalogEvent = z.object({
  kind: z.enum(['drill', 'erasure']),
  at: Iso,
  title: z.string(),
  ok: z.boolean().nullable(),
});
export type CatalogEvent = z.infer<typeof CatalogEvent>;

export const Catalog = z.object({
  serverId: Id,
  builtAt: Iso,
  /** Where it came from: the bucket alone, or the bucket plus the live server. */
  source: z.enum(['bucket', 'bucket+server']),
  backups: z.array(CatalogBackup),
  coverage: z.array(CoverageRange),
  gaps: z.array(CatalogGap),
  /** Archive time (epoch ms, ascending) of every WAL segment in the bucket, for minute zoom. */
  segmentTimes: z.array(z.number()),
  walSegments: z.number().int(),
  walBytes: z.number(),
  firstRestorable: Iso.nullable(),
  lastRestorable: Iso.nullable(),
  /** Seconds between the newest archived segment and `builtAt`. */
  captureLagSeconds: z.number().nullable(),
  events: z.array(CatalogEvent),
});
export type Catalog = z.infer<typeof Catalog>;

/** What to restore: a moment (to the second), a recovery point (its backup's end), or the newest WAL. */
export const RecoveryTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('time'), time: Iso }).strict(),
  z.object({ kind: z.literal('point'), label: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('latest') }).strict(),
]);
export type RecoveryTarget = z.infer<typeof RecoveryTarget>;

/** Where to: a scratch cluster on the same server (new directory and port), or another host. */
export const RestoreDestination = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('scratch') }).strict(),
  z.object({ kind: z.literal('host'), serverId: Id }).strict(),
]);
export type RestoreDestination = z.infer<typeof RestoreDestination>;

export const RestoreRequest = z
  .object({ serverId: Id, target: RecoveryTarget, destination: RestoreDestination })
  .strict();
export type RestoreRequest = z.infer<typeof RestoreRequest>;

/** What a restore will do, shown before the admin confirms. */
export const RestorePlan = z.object({
  request: RestoreRequest,
  baseBackup: z.object({
    label: z.string(),
    timeStop: Iso.nullable(),
    sizeBytes: z.number().nullable(),
  }),
  /** pgBackRest `--type`: time for a moment, immediate for a recovery point, default for latest. */
  pgbackrestType: z.enum(['time', 'immediate', 'default']),
  /** The moment recovery stops at, when known. */
  targetTime: Iso.nullable(),
  walSegmentsToReplay: z.number().int(),
  walBytesToReplay: z.number(),
  estimatedSeconds: z.number(),
  /**
   * The recovery point whose attached files are restored beside the database: the nearest one
   * at or before the target. Files are captured daily, so they are as of `takenAt` (that point's
   * end), not of the target moment; the plan and the result say so.
   */
  attachedFiles: z
    .object({ label: z.string(), resticSnapshotId: z.string(), takenAt: Iso.nullable() })
    .nullable(),
  /** In English (CLI, logs); `warningWords[i]` is warning i for the console to word. */
  warnings: z.array(z.string()),
  warningWords: z.array(Phrase).optional(),
});
export type RestorePlan = z.infer<typeof RestorePlan>;

export const RestoreCheck = z.object({
  name: z.enum([
    'consistent',
    'promoted',
    'stopped-at-target',
    'manifest-match',
    'files',
    /** Restore over production: the cluster is still the same one (pg_control system identifier). */
    'system-identifier',
    /** Restore over production: the new timeline reached the repository, so capture goes on. */
    'archiving',
    /** Erasures of the GDPR ledger re-applied before the data was handed over. */
    'gdpr-ledger',
  ]),
  ok: z.boolean(),
  detail: z.string(),
});
export type RestoreCheck = z.infer<typeof RestoreCheck>;

export const ScratchEnvironment = z.object({
  id: Id,
  /** The server whose backup was restored. */
  sourceServerId: Id,
  /** The server the scratch cluster runs on (the same one for a scratch restore). */
  hostServerId: Id,
  createdAt: Iso,
  /** Removed automatically after this moment; null = kept until dropped. */
  expiresAt: Iso.nullable(),
  target: RecoveryTarget,
  targetTime: Iso.nullable(),
  baseBackup: z.string(),
  dataDirectory: z.string(),
  filesDirectory: z.string().nullable(),
  port: z.number().int(),
  /** Connect with: psql -h <host> -p <port> -U postgres (through SSH for a remote server). */
  host: z.string(),
  sizeBytes: z.number().nullable(),
  state: z.enum(['running', 'removed', 'failed']),
  checks: z.array(RestoreCheck),
});
export type ScratchEnvironment = z.infer<typeof ScratchEnvironment>;

// Restoring over production (issue 4 §3): a separate, explicit path. The admin types the
// production database name; a safety snapshot is taken before anything changes.

/** Which moment production is put back to; the server's own cluster is the destination. */
export const ProductionRestoreRequest = z.object({ serverId: Id, target: RecoveryTarget }).strict();
export type ProductionRestoreRequest = z.infer<typeof ProductionRestoreRequest>;

/** The request plus the name the admin typed; it must equal the plan's `confirmName`. */
export const ProductionRestoreStart = ProductionRestoreRequest.extend({
  confirmName: z.string(),
}).strict();
export type ProductionRestoreStart = z.infer<typeof ProductionRestoreStart>;

/** A database the restore replaces, as the newest recovery point's manifest lists it. */
export const ProductionDatabase = z.object({
  name: z.string(),
  tables: z.number().int(),
  rows: z.number().int(),
});
export type ProductionDatabase = z.infer<typeof ProductionDatabase>;

/** What restoring over production will do, shown before the admin types the name. */
export const ProductionRestorePlan = RestorePlan.omit({ request: true }).extend({
  request: ProductionRestoreRequest,
  /** The name to type: the largest database of the newest manifest, else the server's name. */
  confirmName: z.string(),
  confirmSource: z.enum(['manifest', 'server-name']),
  /** The recovery point whose manifest listed `databases`; null without one. */
  manifestLabel: z.string().nullable(),
  /** Everything in these is replaced by its state at the target (largest first). */
  databases: z.array(ProductionDatabase),
  /** The production cluster that is stopped and overwritten (port: as detected, if known). */
  dataDirectory: z.string(),
  port: z.number().int().nullable(),
  /** Part of `estimatedSeconds`: the safety snapshot, taken while production still runs. */
  safetySnapshotSeconds: z.number(),
  /** Part of `estimatedSeconds`: how long production accepts no connections. */
  downtimeSeconds: z.number(),
});
export type ProductionRestorePlan = z.infer<typeof ProductionRestorePlan>;

/** The recovery point taken right before production was stopped: restoring it undoes the restore. */
export const SafetySnapshot = z.object({
  label: z.string(),
  /** Consistent from this moment on. */
  at: Iso,
  manifestKey: z.string(),
});
export type SafetySnapshot = z.infer<typeof SafetySnapshot>;

/** The result of a `restore.production` job. */
export const ProductionRestoreResult = z.object({
  serverId: Id,
  target: RecoveryTarget,
  targetTime: Iso.nullable(),
  baseBackup: z.string(),
  safetySnapshot: SafetySnapshot,
  /** The timeline production continues on. */
  timeline: z.number().int().nullable(),
  dataDirectory: z.string(),
  port: z.number().int(),
  /** When PostgreSQL was stopped and when it accepted connections again. */
  stoppedAt: Iso,
  startedAt: Iso,
  checks: z.array(RestoreCheck),
});
export type ProductionRestoreResult = z.infer<typeof ProductionRestoreResult>;
