import { z } from 'zod';
import { progressLines, progressSchema } from './progress-line';
import { PRODUCTION_RESTORE_PHASES, RESTORE_PHASES } from '../contract/restore-phases';
import { AgentPlaceResult, AgentPlaceTarget } from './rebuild';
import { ScratchId } from './scratch-id';

export { ScratchId };

// `kumiko-agent restore`: the one restore engine on a server (issue 15 §1). The app resolves
// the target on its catalog and hands the agent this spec; the agent restores into a scratch
// environment of its own, verifies it and prints the result. Scratch environments are then
// listed and dropped through the agent too (`scratch-drop`), never by shell scripts of the app.

const Iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO time');
/** A pgBackRest backup label (20261127-002503F, …_002610I). */
export const BackupLabel = z.string().regex(/^\d{8}-\d{6}F(?:_\d{8}-\d{6}[DI])?$/);

export const AgentRestoreSpec = z
  .object({
    id: ScratchId,
    /** What pgBackRest restores: the catalog's resolution (shared/restore/restore-args.ts). */
    restore: z
      .object({
        type: z.enum(['time', 'immediate', 'default']),
        backupLabel: BackupLabel,
        targetTime: Iso.nullable(),
        timeline: z.number().int().min(1),
      })
      .strict(),
    /**
     * What the restore is checked against: a moment (recovery stopped right there), a recovery
     * point (stopped at its end, tables equal its signed manifest), or the newest WAL.
     */
    check: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('time'), time: Iso }).strict(),
      z.object({ kind: z.literal('point'), label: BackupLabel }).strict(),
      z.object({ kind: z.literal('latest') }).strict(),
    ]),
    /**
     * The recovery point whose attached files come back beside the database; the agent takes
     * the restic snapshot from that point's manifest after its signature verified, never from
     * the app or the bucket's listing.
     */
    filesFrom: BackupLabel.nullable(),
    /** WAL segments between the backup and the target (the replay's progress total). */
    walSegments: z.number().int().min(0).default(0),
    /** The base backup's cluster size: the scratch disk must have room for it (checked first). */
    backupBytes: z.number().nonnegative().nullable().default(null),
    /** The backup's start LSN, where the replay's progress starts. */
    lsnStart: z
      .string()
      .regex(/^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i)
      .nullable()
      .default(null),
    /**
     * Restore from the bucket as it was at this moment, from its version history (issue 20,
     * fault 8: after ransomware with the agent's key): the versions current then are copied
     * into a local repository and restored from there. `keyFile`: an absolute path to a JSON
     * file of the agent's user with a read-only key ({accessKeyId, secretAccessKey}); without
     * it the config's key reads the history.
     */
    bucketAsOf: z
      .object({
        time: Iso,
        keyFile: z
          .string()
          .regex(/^\/[^\0]*$/, 'an absolute path')
          .max(4096)
          .optional(),
      })
      .strict()
      .optional(),
    /**
     * A rebuild (issue 19): once every check passed, the verified cluster becomes the host's
     * own in the same run (`rebuild-place`'s work), so the app's round trips and a second
     * agent start are not part of the time to recovery. A failed place is reported in the
     * result (`placeError`); the verified restore stays, for `rebuild-place` to try again.
     */
    place: AgentPlaceTarget.optional(),
  })
  .strict();
export type AgentRestoreSpec = z.infer<typeof AgentRestoreSpec>;

export const AgentRestoreCheck = z
  .object({
    name: z.enum([
      'consistent',
      'promoted',
      'stopped-at-target',
      'manifest-match',
      'files',
      /** The GDPR erasure ledger, replayed before the data is handed over. */
      'gdpr-ledger',
    ]),
    ok: z.boolean(),
    detail: z.string().max(4000),
  })
  .strict();
export type AgentRestoreCheck = z.infer<typeof AgentRestoreCheck>;

/** What `kumiko-agent restore` prints on stdout (JSON) when the environment exists. */
export const AgentRestoreResult = z
  .object({
    id: ScratchId,
    root: z.string(),
    dataDirectory: z.string(),
    filesDirectory: z.string().nullable(),
    port: z.number().int().min(1).max(65535),
    /** The cluster's OS user (psql connects as it through the socket). */
    osUser: z.string(),
    socketDirectory: z.string(),
    sizeBytes: z.number().nonnegative().nullable(),
    timeline: z.number().int().nullable(),
    checks: z.array(AgentRestoreCheck),
    /** A restore from the bucket's version history (spec.bucketAsOf): what was copied. */
    bucketHistory: z.string().max(4000).optional(),
    /** Where the time went, for the bench and the plan's estimate (seconds). */
    seconds: z
      .object({ download: z.number(), replay: z.number(), verify: z.number(), files: z.number() })
      .strict(),
    /** spec.place done: where the cluster runs now (the scratch environment is gone). */
    placed: AgentPlaceResult.optional(),
    /** spec.place failed: why (the verified scratch environment is kept). */
    placeError: z.string().max(4000).optional(),
  })
  .strict();
export type AgentRestoreResult = z.infer<typeof AgentRestoreResult>;

/** Exit code of `restore` when the environment is up but a check failed (kept for a look). */
export const RESTORE_EXIT_FAILED_CHECKS = 5;

export const RestoreProgress = progressSchema(RESTORE_PHASES);
export type RestoreProgress = z.infer<typeof RestoreProgress>;
export const RESTORE_PROGRESS_PREFIX = '@restore ';
const restoreLines = progressLines(RESTORE_PROGRESS_PREFIX, RestoreProgress);
/** Formats one progress line (without the newline) for stderr. */
export const restoreProgressLine = restoreLines.format;
/** Parses a stderr line; null for anything that is not a valid progress line. */
export const parseRestoreProgressLine = restoreLines.parse;

/** One scratch environment the agent finds under its scratch root (`scratch-list`). */
export const AgentScratchEntry = z
  .object({ id: ScratchId, sizeBytes: z.number().nonnegative(), running: z.boolean() })
  .strict();
export type AgentScratchEntry = z.infer<typeof AgentScratchEntry>;

// `kumiko-agent restore-production`: the same engine over production's own data directory
// (issue 4 §3). The app checked the typed database name and paused the agent's scheduler.

export const AgentProductionSpec = AgentRestoreSpec.omit({
  id: true,
  filesFrom: true,
  backupBytes: true,
  bucketAsOf: true,
  place: true,
}).strict();
export type AgentProductionSpec = z.infer<typeof AgentProductionSpec>;

const SafetySnapshotOut = z
  .object({ label: BackupLabel, at: Iso, manifestKey: z.string() })
  .strict();

export const AgentProductionCheck = z
  .object({
    name: z.enum([
      'consistent',
      'promoted',
      'stopped-at-target',
      'manifest-match',
      'system-identifier',
      'archiving',
      'gdpr-ledger',
    ]),
    ok: z.boolean(),
    detail: z.string().max(4000),
  })
  .strict();
export type AgentProductionCheck = z.infer<typeof AgentProductionCheck>;

/** Where a restore over production stood when it failed (what is left behind). */
export const PRODUCTION_STAGES = [
  'restore',
  'replay',
  'verify',
  'start-capture',
  'capture',
] as const;

/**
 * What `restore-production` prints on stdout once the safety snapshot exists: the result, or
 * (exit 1) the stage it failed in, so the app can say what is left and how to undo it.
 */
export const AgentProductionOutcome = z.discriminatedUnion('ok', [
  z
    .object({
      ok: z.literal(true),
      safetySnapshot: SafetySnapshotOut,
      dataDirectory: z.string(),
      port: z.number().int(),
      timeline: z.number().int().nullable(),
      stoppedAt: Iso,
      startedAt: Iso,
      checks: z.array(AgentProductionCheck),
    })
    .strict(),
  z
    .object({
      ok: z.literal(false),
      safetySnapshot: SafetySnapshotOut,
      stage: z.enum(PRODUCTION_STAGES),
      error: z.string().max(4000),
    })
    .strict(),
]);
export type AgentProductionOutcome = z.infer<typeof AgentProductionOutcome>;

export const ProductionProgress = progressSchema(PRODUCTION_RESTORE_PHASES);
export type ProductionProgress = z.infer<typeof ProductionProgress>;
export const PRODUCTION_PROGRESS_PREFIX = '@production ';
const productionLines = progressLines(PRODUCTION_PROGRESS_PREFIX, ProductionProgress);
/** Formats one progress line of a restore over production (without the newline). */
export const productionProgressLine = productionLines.format;
/** Parses a stderr line; null for anything that is not a valid production progress line. */
export const parseProductionProgressLine = productionLines.parse;
