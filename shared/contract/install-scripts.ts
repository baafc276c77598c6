import { z } from 'zod';

/**
 * The scripts the agent installer sends to a server, in the order it sends them (issue 15 §2).
 * Each has an id the review step translates (catalog keys `install.script.<id>` and, for root
 * steps, `install.scriptRoot.<id>`).
 */
export const INSTALL_SCRIPT_IDS = [
  'preflight',
  'read-settings',
  'install-packages',
  'install-optional-packages',
  'check-runtime',
  'create-runtime-folder',
  'upload-runtime',
  'create-folders',
  'write-ca',
  'write-pgbackrest-config',
  'write-restic-password',
  'write-agent-config',
  'upload-agent',
  'create-signing-key',
  'stanza-create',
  'record-settings',
  'keep-first-settings',
  'change-settings',
  'restart-postgres',
  'reload-postgres',
  'check-archiving',
  'restic-init',
  'first-backup',
  'write-systemd-unit',
  'start-service',
  'start-daemon',
  'wait-heartbeat',
] as const;
export type InstallScriptId = (typeof INSTALL_SCRIPT_IDS)[number];

/** Stands for a secret in a shown (and hashed) script: `<secret: S3 secret key>`. */
export const SECRET_PLACEHOLDER = /<secret: [^>]+>/;

export const InstallScript = z.object({
  id: z.enum(INSTALL_SCRIPT_IDS),
  /** The step's name in the installer's error messages ("Step "…" failed"). */
  name: z.string(),
  /** root, or the cluster's OS user (postgres) through `runuser`. */
  runAs: z.enum(['root', 'cluster-user']),
  /** The OS user the script runs as: 'root' or e.g. 'postgres'. */
  osUser: z.string(),
  /** What the step does (English; the renderer shows its catalog text by id). */
  what: z.string(),
  /** Why the step runs as root (English); null for cluster-user steps. */
  whyRoot: z.string().nullable(),
  /** `stdin`: `script` is what `sh -s` reads; `upload`: `script` is `sh -c`'s, `payload` on stdin. */
  kind: z.enum(['stdin', 'upload']),
  /** The command on the server that reads the script, e.g. `sudo -n sh -s`. */
  command: z.string(),
  /** The exact script text, every secret replaced by a `<secret: …>` placeholder. */
  script: z.string(),
  /** SHA-256 (hex) of `script` as shown. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** What an upload sends on stdin. */
  payload: z
    .object({
      name: z.string(),
      bytes: z.number().int(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    })
    .optional(),
  /** Runs only when the server lacks this exact Node runtime (a re-install skips it). */
  onlyIfRuntimeDiffers: z.boolean().optional(),
});
export type InstallScript = z.infer<typeof InstallScript>;

/** What the install job sent, per script (the job's result): compare with the plan's. */
export const SentScriptRecord = z.object({
  name: z.string(),
  runAs: z.enum(['root', 'cluster-user']),
  sha256: z.string(),
  payloadSha256: z.string().optional(),
});
export type SentScriptRecord = z.infer<typeof SentScriptRecord>;
