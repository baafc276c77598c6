import { z } from 'zod';
import { Id } from './domain';

/** An Ed25519 public key as OpenSSH writes it (comment optional): the kit's earlier agent keys. */
export const ED25519_KEY_LINE = 'ssh-ed25519 [A-Za-z0-9+/]{68}(?: [!-~]{1,200})?';

/**
 * The values of a recovery kit, typed from the printed sheet or read from its text copy:
 * everything a fresh console needs to read a server's backups from the bucket alone.
 */
export const KitValues = z
  .object({
    serverId: Id,
    serverName: z.string().trim().min(1).max(100),
    pgVersion: z.string().regex(/^\d{1,3}$/, 'the PostgreSQL major version, e.g. 15'),
    dataDirectory: z.string().regex(/^\/[^\0\n]*$/, 'an absolute path'),
    stanza: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
    endpoint: z.string().url(),
    bucket: z.string().min(3).max(63),
    region: z.string().min(1).max(64),
    accessKeyId: z.string().min(3).max(256),
    secretAccessKey: z.string().min(1).max(512),
    caCertificate: z.string().max(20_000).optional(),
    repoPath: z.string().min(1).max(1024),
    cipherPass: z.string().min(1).max(1024),
    resticPassword: z.string().min(1).max(1024),
    ledgerKey: z.string().max(1024).optional(),
    /** The agent's report signing key as the kit prints it (`SHA256:…`): the pinned key. */
    agentKeyFingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
    /**
     * The public keys of the server's earlier agents (before a reinstall), each with the moment
     * it stopped signing: what they signed before then stays verifiable.
     */
    earlierAgentKeys: z
      .array(
        z
          .object({
            publicKey: z.string().regex(new RegExp(`^${ED25519_KEY_LINE}$`)),
            retiredAt: z.string().datetime(),
          })
          .strict(),
      )
      .max(50)
      .optional(),
  })
  .strict();
export type KitValues = z.infer<typeof KitValues>;

/** `recoveryKit.import`: the kit's text copy, or the values typed from the sheet. */
export const KitImportRequest = z
  .object({
    /** The text copy of the kit (`kumiko-recovery-kit-….txt`). */
    text: z.string().max(200_000).optional(),
    /** Values typed from the printed sheet; override what the text says. */
    values: KitValues.partial().optional(),
    /** The endpoint is the customer's own storage (not on the EU allowlist): they vouch for it. */
    ownStorage: z.boolean().default(false),
  })
  .strict();
export type KitImportRequest = z.input<typeof KitImportRequest>;

/** What an import found in the bucket, after every check passed and the server was added. */
export const KitImportResult = z.object({
  serverId: Id,
  serverName: z.string(),
  /** Recovery points in the bucket, and how many of their manifests verified. */
  recoveryPoints: z.number().int(),
  verifiedManifests: z.number().int(),
  /** The newest restorable moment the catalog found (ISO), or null. */
  restorableUntil: z.string().nullable(),
});
export type KitImportResult = z.infer<typeof KitImportResult>;
