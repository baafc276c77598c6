import type { ErrorCode } from '../../shared/contract';

/**
 * Exit codes scripts can rely on: a small set that never changes meaning (add, never renumber).
 * README "Command line" and `kumiko help` print {@link EXIT_CODE_LINES}.
 */
export const EXIT = {
  ok: 0,
  /** The command ran and failed (SSH, storage, install, restore, drill) or crashed. */
  failed: 1,
  /** The command line or its input is wrong; nothing was done. */
  usage: 2,
  /** The server's SSH host key changed or is not the one given: possible man-in-the-middle. */
  hostKey: 3,
  /** `report verify`: signatures valid, but no trusted key matches the signer. */
  untrustedSigner: 4,
  /** The server, job, report or scratch database named does not exist. */
  notFound: 5,
  /** Refused: nothing was changed; the message says what must happen first. */
  refused: 6,
  /** Cancelled by the admin (Ctrl-C, "no" at a question) or by the app shutting down. */
  cancelled: 7,
} as const;
export type ExitName = keyof typeof EXIT;

/**
 * The one table from the contract's error codes to exit codes. Typed against every ErrorCode,
 * so a new code does not compile until it is placed here; the index signature lets the table
 * name codes a working tree adds before the contract has them.
 */
export const EXIT_FOR_CODE: Record<ErrorCode, ExitName> & Readonly<Record<string, ExitName>> = {
  INVALID_INPUT: 'usage',
  UNKNOWN_COMMAND: 'usage',
  NOT_FOUND: 'notFound',
  JOB_NOT_FOUND: 'notFound',
  HOST_KEY_CHANGED: 'hostKey',
  HOST_KEY_MISMATCH: 'hostKey',
  UNAUTHORIZED: 'refused',
  CONFLICT: 'refused',
  HOST_KEY_UNCONFIRMED: 'refused',
  SECRET_STORE_LOCKED: 'refused',
  STORAGE_NOT_EU: 'refused',
  STORAGE_NOT_CONFIGURED: 'refused',
  RESTART_NOT_CONFIRMED: 'refused',
  NO_POSTGRES: 'refused',
  NO_SUDO: 'refused',
  NO_PACKAGE_MANAGER: 'refused',
  AGENT_NOT_INSTALLED: 'refused',
  RESTORE_NOT_COVERED: 'refused',
  CONFIRMATION_MISMATCH: 'refused',
  AGENT_BUSY: 'refused',
  KIT_REFUSED: 'refused',
  REBUILD_REFUSED: 'refused',
  CANCELLED: 'cancelled',
  SHUTTING_DOWN: 'cancelled',
  SSH_AUTH_FAILED: 'failed',
  SSH_UNREACHABLE: 'failed',
  SSH_COMMAND_FAILED: 'failed',
  SECRET_STORE_UNAVAILABLE: 'failed',
  STORAGE_TLS_FAILED: 'failed',
  STORAGE_UNREACHABLE: 'failed',
  STORAGE_ACCESS_DENIED: 'failed',
  AGENT_INSTALL_FAILED: 'failed',
  AGENT_UPDATE_FAILED: 'failed',
  RESTORE_FAILED: 'failed',
  DRILL_FAILED: 'failed',
  REPORT_UNVERIFIED: 'failed',
  POINT_FAILED: 'failed',
  POINT_FILES_MISSING: 'failed',
  INTERNAL: 'failed',
};

export function exitForCode(code: string): number {
  return EXIT[EXIT_FOR_CODE[code] ?? 'failed'];
}

/** The exit codes as `kumiko help` and the README list them. */
export const EXIT_CODE_LINES = [
  '0  ok',
  '1  failed: the command ran and failed (SSH, storage, install, restore, drill), or crashed',
  '2  usage: a flag or the input is wrong or missing (INVALID_INPUT, UNKNOWN_COMMAND)',
  '3  host key: the SSH host key changed or is not the one given (HOST_KEY_CHANGED, HOST_KEY_MISMATCH)',
  '4  report verify: signatures and hashes valid, but no trusted key matches the signer',
  '5  not found: no such server, job, report or scratch database (NOT_FOUND, JOB_NOT_FOUND)',
  '6  refused, nothing changed: a conflict, a locked vault, storage outside the EU, a missing',
  '   confirmation, a server that cannot take the agent (CONFLICT, SECRET_STORE_LOCKED, STORAGE_NOT_EU,',
  '   NO_SUDO, RESTORE_NOT_COVERED, AGENT_BUSY, …)',
  '7  cancelled: Ctrl-C, "no" at a question, or the app shutting down (CANCELLED, SHUTTING_DOWN)',
] as const;
