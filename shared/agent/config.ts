import { z } from 'zod';
import { AgentSchedule, AlertSettings, RetentionPolicy } from '../contract/agent';
import { DrillSettings } from './drill';

/**
 * The agent's config file on the server (/etc/kumiko-agent/config.json, mode 0600, root).
 * Written by the installer, read by every agent command. The schedule lives here, so the
 * agent needs no cron and no app.
 */
export const AgentConfig = z.object({
  version: z.literal(1),
  serverId: z.string(),
  /**
   * The name the admin gave the server in the app, for reports an auditor reads (the machine's
   * hostname otherwise). Written at install, updated when drill settings are saved.
   */
  serverName: z.string().min(1).max(200).optional(),
  /** pgBackRest stanza name. */
  stanza: z.string(),
  /** Folder for the agent's state, logs, pid file and alert incidents (/var/lib/kumiko-agent). */
  stateDir: z.string(),
  pg: z.object({
    version: z.string(),
    dataDirectory: z.string(),
    port: z.number().int(),
    /** Unix socket folder, for psql and pgBackRest (pg1-socket-path). */
    socketDirectory: z.string(),
    binDirectory: z.string(),
    /** OS user that owns the cluster: pgBackRest and psql run as this user, never as root. */
    osUser: z.string().default('postgres'),
  }),
  pgbackrest: z.object({
    /** The pgBackRest config the installer wrote (holds the repository cipher passphrase). */
    configPath: z.string(),
  }),
  s3: z.object({
    endpoint: z.string(),
    bucket: z.string(),
    region: z.string(),
    accessKeyId: z.string(),
    secretAccessKey: z.string(),
    /** CA file for private-CA (on-prem) storage; TLS verification is never switched off. */
    caFile: z.string().optional(),
    /** Key prefix of everything this server writes: kumiko/<serverId>/ */
    prefix: z.string(),
    /**
     * The key may only read (a restore on another host with the read-only restore key): restic
     * runs with --no-lock (a lock is an object it could not write) and never unlocks.
     */
    readOnly: z.boolean().optional(),
  }),
  restic: z.object({
    /** restic repository URL (s3:https://host/bucket/kumiko/<id>/restic). */
    repository: z.string(),
    passwordFile: z.string(),
    paths: z.array(z.string()),
  }),
  /** Ed25519 private key (PKCS#8 PEM) that signs manifests; the app pins its public key. */
  signingKeyFile: z.string(),
  /**
   * A restore on another host has no signing key, only the source agent's public key the app
   * pinned at install (an OpenSSH line): manifests are verified with it instead.
   */
  verifyKey: z.string().optional(),
  /**
   * The GDPR erasure ledger (shared/agent/erasure-ledger.ts): the ledger key that keys the
   * subject hashes (kept here and in the recovery kit, never in the bucket) and the app's public
   * key (an OpenSSH line) that every entry's signature must verify against before a replay.
   * Configs from before it have none: then every ledger entry is refused, loudly.
   */
  gdpr: z
    .object({
      // Any text here: the install review shows a placeholder; the replay checks it is hex.
      ledgerKey: z.string().min(1).max(200),
      signerKey: z.string().min(1).max(2000),
    })
    .strict()
    .optional(),
  schedule: AgentSchedule,
  retention: RetentionPolicy,
  alerts: AlertSettings,
  /** Practiced restore: schedule, throwaway environment, smoke checks (configs from before issue 5 have none). */
  drill: DrillSettings.prefault({}),
});
export type AgentConfig = z.infer<typeof AgentConfig>;
