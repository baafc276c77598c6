import { z } from 'zod';
import { Phrase } from './phrases';

/** What the admin enters for the off-site bucket. Keys go to the secret store, never SQLite. */
export const StorageTargetDraft = z
  .object({
    /** https URL of the S3 endpoint, e.g. https://s3.eu-central-1.amazonaws.com */
    endpoint: z
      .string()
      .url()
      .refine((u) => u.startsWith('https://'), 'the endpoint must use https'),
    bucket: z
      .string()
      .min(3)
      .max(63)
      .regex(/^[a-z0-9][a-z0-9.-]+[a-z0-9]$/, 'not a valid S3 bucket name'),
    region: z.string().min(1).max(64),
    accessKeyId: z.string().min(3).max(256),
    // No minimum beyond non-empty: S3-compatible servers differ (s3rver's test key has 6).
    secretAccessKey: z.string().min(1).max(512),
    /**
     * The admin states this endpoint is their own (on-prem) storage: allowed although it is
     * not on the EU provider allowlist, and its location is theirs to vouch for.
     */
    ownStorage: z.boolean().default(false),
    /** PEM CA certificate for on-prem storage with a private CA. Verification stays on. */
    caCertificate: z.string().max(20_000).optional(),
    /**
     * A key that may only read (get and list): what a restore onto another host, and the
     * disaster wizard on a fresh one, get instead of the capture key (issue 15 §3). Optional:
     * without it those restores use the capture key and their plan says so.
     */
    restoreKey: z
      .object({
        accessKeyId: z.string().min(3).max(256),
        secretAccessKey: z.string().min(1).max(512),
      })
      .strict()
      .optional(),
  })
  .strict();
export type StorageTargetDraft = z.input<typeof StorageTargetDraft>;

export const StorageProvider = z.enum([
  'aws',
  'hetzner',
  'ionos',
  'ovhcloud',
  'scaleway',
  'own',
  'unknown',
]);
export type StorageProvider = z.infer<typeof StorageProvider>;

/**
 * passed green; failed red; warning amber (a risk with advice, never shown as passed);
 * skipped grey (not run or not reported by the storage).
 */
export const CheckState = z.enum(['passed', 'failed', 'warning', 'skipped']);

/** One line of the storage check, shown to the admin in order. */
export const StorageCheckItem = z.object({
  id: z.enum([
    'endpoint',
    'tls',
    'location',
    'write',
    'read',
    'delete',
    /** Can the key destroy history: the version-delete probe (issue 15 §3). */
    'history',
    'versioning',
    'objectLock',
    'lifecycle',
    /** The read-only restore key: reads and lists, and is refused a write. */
    'restoreKey',
  ]),
  state: CheckState,
  detail: z.string(),
  /** The detail as phrases the console words in de/en (absent in reports saved before them). */
  words: z.array(Phrase).optional(),
});

export const StorageCheckReport = z.object({
  endpointHost: z.string(),
  provider: StorageProvider,
  /** From GetBucketLocation; null when the bucket reports none (= us-east-1). */
  location: z.string().nullable(),
  versioning: z.enum(['Enabled', 'Suspended', 'Disabled', 'unknown']),
  objectLock: z.enum(['Enabled', 'Disabled', 'unknown']),
  /**
   * Whether a server holding these keys can destroy the backups (issue 15 §3): exposed (red)
   * when the key deleted a version or versioning is off; warning without a long enough Object
   * Lock. Saving is still allowed: backups that can be deleted beat none. Reports saved before
   * the check existed read 'unknown'.
   */
  protection: z.enum(['protected', 'warning', 'exposed', 'unknown']).default('unknown'),
  items: z.array(StorageCheckItem),
  passed: z.boolean(),
});
export type StorageCheckReport = z.infer<typeof StorageCheckReport>;

/** The saved target as the renderer sees it: no keys. */
export const StorageTarget = z.object({
  serverId: z.string(),
  endpoint: z.string(),
  bucket: z.string(),
  region: z.string(),
  ownStorage: z.boolean(),
  provider: StorageProvider,
  /** Key id shown shortened (AKIA…XYZ1) so the admin recognises it; the secret never leaves main. */
  accessKeyHint: z.string(),
  /** The read-only restore key's id, shortened like the capture key's; null when none is saved. */
  restoreKeyHint: z.string().nullable().default(null),
  report: StorageCheckReport,
  savedAt: z.string().datetime(),
});
export type StorageTarget = z.infer<typeof StorageTarget>;
