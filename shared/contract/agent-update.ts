import { z } from 'zod';

/** Which server's agent to check or update. */
export const AgentUpdateRequest = z.object({ serverId: z.string().uuid() }).strict();
export type AgentUpdateRequest = z.input<typeof AgentUpdateRequest>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * What updating the agent would change, read from the server before anything changes: the
 * installed program (its bytes and the version it reports) against the one this app carries.
 * Only the program file is replaced; the configuration (storage, schedule, alerts, paths) and
 * the signing key stay as install wrote them.
 */
export const AgentUpdateReview = z.object({
  /** What the installed program says it is (`kumiko-agent version`); null when it cannot say. */
  installedVersion: z.string().nullable(),
  installedSha256: Sha256.nullable(),
  bundledVersion: z.string(),
  bundledSha256: Sha256,
  /** The installed program is byte for byte the one the app carries: nothing to update. */
  current: z.boolean(),
  /** How the agent is started; the update restarts it the same way. */
  scheduler: z.enum(['systemd', 'daemon']),
  /** Files the update replaces on the server. */
  replaces: z.array(z.string()),
  /** Files the update leaves exactly as they are (configuration, keys). */
  keeps: z.array(z.string()),
});
export type AgentUpdateReview = z.infer<typeof AgentUpdateReview>;

/** What an update did, each fact read back from the server afterwards. */
export const AgentUpdateResult = z.object({
  updated: z.boolean(),
  fromVersion: z.string().nullable(),
  toVersion: z.string().nullable(),
  sha256: Sha256,
  /** Seconds from stopping the old scheduler to the new one's first heartbeat. */
  pausedSeconds: z.number().nonnegative(),
  /** The configuration file's SHA-256 before and after: equal, since settings are kept. */
  configSha256: Sha256,
});
export type AgentUpdateResult = z.infer<typeof AgentUpdateResult>;

/** The phases of an update job, in order. */
export const AGENT_UPDATE_PHASES = ['check', 'upload', 'restart', 'verify'] as const;
