import { z } from 'zod';
import { ErrorReason } from './error-reasons';

/**
 * Stable error codes. The UI, CLI and tests switch on these; the message is for people.
 * Never rename a code: add a new one.
 */
export const ErrorCode = z.enum([
  'INVALID_INPUT',
  'UNKNOWN_COMMAND',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'CONFLICT',
  'HOST_KEY_UNCONFIRMED',
  'HOST_KEY_CHANGED',
  'HOST_KEY_MISMATCH',
  'SSH_AUTH_FAILED',
  'SSH_UNREACHABLE',
  'SSH_COMMAND_FAILED',
  'SECRET_STORE_UNAVAILABLE',
  'SECRET_STORE_LOCKED',
  'JOB_NOT_FOUND',
  'CANCELLED',
  'SHUTTING_DOWN',
  'STORAGE_NOT_EU',
  'STORAGE_TLS_FAILED',
  'STORAGE_UNREACHABLE',
  'STORAGE_ACCESS_DENIED',
  'STORAGE_NOT_CONFIGURED',
  'RESTART_NOT_CONFIRMED',
  'NO_POSTGRES',
  'NO_SUDO',
  'NO_PACKAGE_MANAGER',
  'AGENT_INSTALL_FAILED',
  'AGENT_NOT_INSTALLED',
  /** The agent update failed; the previous program was put back and restarted. */
  'AGENT_UPDATE_FAILED',
  /** The asked moment is not covered: before the first backup, inside a WAL gap, or not yet captured. */
  'RESTORE_NOT_COVERED',
  'RESTORE_FAILED',
  /** Restore over production: the typed name is not the one the plan asked for. Nothing changed. */
  'CONFIRMATION_MISMATCH',
  /** A drill ran and a check failed (the report is archived), or the agent could not run it. */
  'DRILL_FAILED',
  /** A drill report from the bucket does not verify against the pinned agent key or the chain. */
  'REPORT_UNVERIFIED',
  /**
   * The agent's repository is in use (a snapshot, retention run or drill, scheduled or asked
   * for): a recovery point on demand was not started. Try again once that has finished.
   */
  'AGENT_BUSY',
  /** The agent could not take a recovery point asked for (the message names the step). */
  'POINT_FAILED',
  /**
   * The recovery point's attached files depend on data gone from the bucket: the point does not
   * count, an incident is open. Heal: `point.create` with heal (`kumiko point heal`).
   */
  'POINT_FILES_MISSING',
  /**
   * A recovery kit was not imported: it does not open this bucket's backups (a wrong
   * passphrase, another server's kit) or the bucket's agent key or a manifest does not verify
   * against the kit. The message names which; nothing was saved.
   */
  'KIT_REFUSED',
  /**
   * A rebuild was not started: the new host fails a pre-flight check (disk space, port, the
   * PostgreSQL version, the clock …). The message names each; nothing was changed on the host.
   */
  'REBUILD_REFUSED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
  /** The precise reason for people, worded by the renderer (see error-reasons.ts). */
  reason: ErrorReason.optional(),
});
export type AppErrorShape = z.infer<typeof AppErrorShape>;
