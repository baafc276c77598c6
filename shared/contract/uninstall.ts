import { z } from 'zod';

/** Stops capture and removes the agent from a server; every backup stays in the bucket. */
export const AgentUninstallRequest = z
  .object({
    serverId: z.string().uuid(),
    /**
     * The admin said yes to the PostgreSQL restart that turning archive_mode (or wal_level)
     * back needs. Without it the settings are put back and take effect at the next restart.
     */
    confirmRestart: z.boolean().default(false),
  })
  .strict();
export type AgentUninstallRequest = z.input<typeof AgentUninstallRequest>;

/** A PostgreSQL setting as uninstall left it. */
const SettingOutcome = z.object({
  name: z.string(),
  /** What PostgreSQL ran with before install (pg_settings), '' when no record said. */
  before: z.string(),
  /** The line postgresql.auto.conf has again for it; null: none (as before install). */
  autoConf: z.string().nullable(),
  /** What PostgreSQL runs with now (pg_settings, read after uninstall). */
  now: z.string(),
});

/** What uninstall did, for the admin: every statement here was checked on the server. */
export const AgentUninstallResult = z.object({
  /** Settings put back as they were before install. */
  restored: z.array(SettingOutcome),
  /** Settings install had changed that someone changed again since: left as they are now. */
  left: z.array(z.object({ name: z.string(), autoConf: z.string().nullable() })),
  /**
   * Values set only until PostgreSQL restarts (archive_command 'true' while archive_mode is
   * still on, so WAL is not kept for an archiver that is gone); an ALTER SYSTEM RESET after
   * the restart removes them.
   */
  interim: z.array(z.object({ name: z.string(), value: z.string() })),
  /** PostgreSQL was restarted (the admin confirmed it). */
  restarted: z.boolean(),
  /** A restart is still needed before PostgreSQL runs with the settings of before install. */
  restartPending: z.boolean(),
  /** False when neither the server nor the app had a record of the settings before install. */
  recordFound: z.boolean(),
  /**
   * postgresql.auto.conf's lines stand in their order of before install (ALTER SYSTEM moves a
   * line it changes to the end); false when putting them back in order failed.
   */
  autoConfOrderKept: z.boolean(),
});
export type AgentUninstallResult = z.infer<typeof AgentUninstallResult>;

/** The phases of an uninstall job, in order ('restart' only with a confirmed restart). */
export const AGENT_UNINSTALL_PHASES = [
  'preflight',
  'stop agent',
  'restore settings',
  'restart',
  'remove files',
] as const;
