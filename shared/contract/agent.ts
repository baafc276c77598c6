import { z } from 'zod';
import { InstallScript } from './install-scripts';
import { TileWords } from './phrases';

/** When the agent does its scheduled work. Intervals in seconds so tests can use short ones. */
export const AgentSchedule = z
  .object({
    /** Daily recovery point time, local to the server, HH:MM. */
    snapshotAt: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
      .default('02:30'),
    /** Overrides snapshotAt with a fixed interval (tests, or very busy systems). */
    snapshotIntervalSeconds: z.number().int().min(10).optional(),
    heartbeatIntervalSeconds: z.number().int().min(5).max(3600).default(60),
    retentionIntervalSeconds: z.number().int().min(10).default(86_400),
  })
  .strict();
export type AgentSchedule = z.infer<typeof AgentSchedule>;

export const RetentionPolicy = z
  .object({
    daily: z.number().int().min(1).max(60).default(7),
    weekly: z.number().int().min(0).max(52).default(4),
    monthly: z.number().int().min(0).max(36).default(3),
    /** Every second of this many days stays restorable (WAL kept back to the oldest backup needed). */
    pitrDays: z.number().int().min(1).max(90).default(30),
  })
  .strict();
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

export const AlertSettings = z
  .object({
    smtp: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65_535),
        secure: z.boolean().default(false),
        from: z.string().email(),
        to: z.array(z.string().email()).min(1),
        username: z.string().optional(),
        password: z.string().optional(),
      })
      .strict()
      .optional(),
    webhooks: z
      .array(
        z
          .object({
            url: z.string().url(),
            format: z.enum(['json', 'slack', 'teams']).default('json'),
          })
          .strict(),
      )
      .default([]),
    /** "healthchecks"-style URL pinged after every successful heartbeat. */
    pushMonitorUrl: z.string().url().optional(),
    captureLagSeconds: z.number().int().min(30).default(300),
    recoveryPointMaxAgeHours: z.number().int().min(1).default(26),
  })
  .strict();
export type AlertSettings = z.infer<typeof AlertSettings>;

export const AgentInstallRequest = z
  .object({
    serverId: z.string().uuid(),
    /** Which detected cluster to protect. */
    dataDirectory: z.string().min(1),
    /** Attached-file folders (uploads, generated PDFs, audit log) for restic. */
    attachedPaths: z.array(z.string().regex(/^\//, 'must be an absolute path')).default([]),
    schedule: AgentSchedule.default({
      snapshotAt: '02:30',
      heartbeatIntervalSeconds: 60,
      retentionIntervalSeconds: 86_400,
    }),
    retention: RetentionPolicy.default({ daily: 7, weekly: 4, monthly: 3, pitrDays: 30 }),
    alerts: AlertSettings.default({
      webhooks: [],
      captureLagSeconds: 300,
      recoveryPointMaxAgeHours: 26,
    }),
    /** The admin said yes to the PostgreSQL restart that enabling archive_mode needs. */
    confirmRestart: z.boolean().default(false),
  })
  .strict();
export type AgentInstallRequest = z.input<typeof AgentInstallRequest>;
/** The request after defaults are applied, as services receive it. */
export type AgentInstallSettings = z.output<typeof AgentInstallRequest>;

export { AGENT_INSTALL_PHASES, type AgentInstallPhase } from './install-phases';

/** What install will do, shown before the admin confirms. */
export const AgentInstallPlan = z.object({
  serverId: z.string(),
  cluster: z.object({ version: z.string(), dataDirectory: z.string(), port: z.number() }),
  restartRequired: z.boolean(),
  packagesToInstall: z.array(z.string()),
  settingsToChange: z.array(
    z.object({ name: z.string(), from: z.string().nullable(), to: z.string() }),
  ),
  uploadsNodeRuntime: z.boolean(),
  alreadyInstalled: z.boolean(),
  warnings: z.array(z.string()),
  /** Every script install sends, in order, with its SHA-256; secrets shown as placeholders. */
  scripts: z.array(InstallScript),
  /** The agent program uploaded to the server and run as root. */
  agentBundle: z.object({ bytes: z.number().int(), sha256: z.string() }),
});
export type AgentInstallPlan = z.infer<typeof AgentInstallPlan>;

export const TileLevel = z.enum(['ok', 'warning', 'critical', 'unknown']);
export type TileLevel = z.infer<typeof TileLevel>;

/** One dashboard tile: a measured value, its level and the reason for the level. */
export const HealthTile = z.object({
  id: z.enum([
    'captureLag',
    'archiveFailures',
    'recoveryPointAge',
    /** Restore drills: the newest passed, failed, or none within the schedule (issue 14). */
    'drill',
    /** Whether the agent's bucket key can destroy backups and their history (issue 15 §3). */
    'bucketProtection',
    /**
     * The app's own gate (issue 15 §3): the admin has not confirmed the recovery kit is kept
     * off the server, so the server does not count as protected yet. Decided in the app, not
     * by the agent (shared/agent/recovery-kit-gate.ts).
     */
    'recoveryKit',
    'repository',
    'spool',
    'disk',
    /** The server's clock against the app's (issue 20, fault 14): shared/agent/server-clock.ts. */
    'clock',
    'agent',
  ]),
  level: TileLevel,
  value: z.string(),
  reason: z.string(),
  /**
   * What the console offers on the tile: healFiles when the last recovery point failed because
   * its attached files depend on data gone from the bucket (point.create with heal).
   */
  action: z.enum(['healFiles']).optional(),
  /** value and reason as codes the console words in de/en; value/reason above are for the CLI. */
  words: TileWords.optional(),
});
export type HealthTile = z.infer<typeof HealthTile>;

export const ServerHealth = z.object({
  serverId: z.string(),
  serverName: z.string(),
  level: TileLevel,
  tiles: z.array(HealthTile),
  /** Where the data came from: the live server over SSH, or only the bucket's heartbeat. */
  source: z.enum(['server', 'bucket', 'none']),
  checkedAt: z.string().datetime(),
});
export type ServerHealth = z.infer<typeof ServerHealth>;
