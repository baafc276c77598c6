import { z } from 'zod';
import { Id } from './domain';
import { Phrase } from './phrases';
import { RecoveryTarget, RestoreCheck } from './recovery';
import { TransferFile } from './reports';

// Disaster recovery (issue 19 §2): a server known only from its recovery kit is rebuilt onto a
// fresh host from the bucket alone — pre-flight, restore through the agent's restore engine,
// the cluster put in place and started, capture on the new host.

const AbsolutePath = z
  .string()
  .max(4096)
  .regex(/^\/[^\0\n]*$/, 'an absolute path')
  .refine((p) => !p.split('/').includes('..'), 'no ".." in the path');

export const RebuildRequest = z
  .object({
    /** The server that is gone (imported from its kit): whose backups are restored. */
    serverId: Id,
    target: RecoveryTarget,
    /** The new host: added, its host key confirmed, connected with root. */
    hostId: Id,
    /** Where the cluster's data directory goes (default the Debian place for its version). */
    dataDirectory: AbsolutePath.optional(),
    /** The new cluster's port (default 5432). */
    port: z.number().int().min(1).max(65535).default(5432),
  })
  .strict();
export type RebuildRequest = z.input<typeof RebuildRequest>;

/** One pre-flight check on the new host. */
export const RebuildCheck = z.object({
  name: z.enum(['root', 'os', 'disk', 'port', 'postgres', 'pgbackrest', 'clock', 'data-directory']),
  ok: z.boolean(),
  detail: z.string(),
});
export type RebuildCheck = z.infer<typeof RebuildCheck>;

/** The phases of a rebuild job, in the order it runs them. */
export const REBUILD_PHASES = ['preflight', 'restore', 'place', 'capture', 'verify'] as const;
export type RebuildPhase = (typeof REBUILD_PHASES)[number];

/** What a rebuild will do: the host's pre-flight, the restore it runs and how long it takes. */
export const RebuildPlan = z.object({
  serverId: Id,
  hostId: Id,
  target: RecoveryTarget,
  dataDirectory: z.string(),
  port: z.number().int(),
  pgMajor: z.string(),
  baseBackup: z.object({ label: z.string(), sizeBytes: z.number().nullable() }),
  /** The moment the data will be as of (null: the newest WAL in the bucket). */
  targetTime: z.string().nullable(),
  checks: z.array(RebuildCheck),
  /** Packages the rebuild installs on the host first (apt names; absent in older plans). */
  packages: z.array(z.string()).optional(),
  /** Every check passed: the rebuild may start. */
  ready: z.boolean(),
  /** Measured-rate estimate of the whole rebuild (restore, start, agent install). */
  estimatedSeconds: z.number(),
  warnings: z.array(z.string()),
  /** `warningWords[i]` is warning i for the console to word (the restore plan's). */
  warningWords: z.array(Phrase).optional(),
});
export type RebuildPlan = z.infer<typeof RebuildPlan>;

/** The signed hand-over report on this computer (verifies like a drill report). */
export const RebuildHandover = z.object({
  directory: z.string(),
  /** SHA-256 of handover.json, as MANIFEST.sha256 lists it. */
  sha256: z.string(),
  /** allowed_signers principal and public key of the app's report key that signed it. */
  principal: z.string(),
  publicKey: z.string(),
});
export type RebuildHandover = z.infer<typeof RebuildHandover>;

/** What a finished rebuild hands over. */
export const RebuildResult = z.object({
  sourceServerId: Id,
  /** The new host, now a managed server with capture running. */
  serverId: Id,
  dataDirectory: z.string(),
  port: z.number().int(),
  /** The data is as of this moment (the last archived WAL for `latest`). */
  restoredUpTo: z.string().nullable(),
  baseBackup: z.string(),
  /** Measured from the job's start until capture ran on the new host (seconds). */
  rtoSeconds: z.number(),
  /** Per phase (seconds). */
  seconds: z.record(z.string(), z.number()),
  checks: z.array(RestoreCheck),
  /** Attached-file folders put back. */
  files: z.array(z.string()),
  /** What is left to the admin: DNS, the application's connection string, … */
  leftToAdmin: z.array(z.string()),
  /** The rebuild went on after a dropped connection or in a resumed job. */
  resumed: z.boolean(),
  /** The signed hand-over report (handover.json, MANIFEST.sha256 and its signature). */
  handover: RebuildHandover,
});
export type RebuildResult = z.infer<typeof RebuildResult>;

/** `rebuild.handover`: a finished rebuild's signed hand-over, checked again, as a zip to save. */
export const RebuildHandoverFile = z.object({
  /** 'valid': the signature by this app's report key and the listed hash of handover.json hold. */
  verdict: z.enum(['valid', 'invalid']),
  principal: z.string(),
  /** handover.json, MANIFEST.sha256 and MANIFEST.sha256.sig. */
  file: TransferFile,
});
export type RebuildHandoverFile = z.infer<typeof RebuildHandoverFile>;
