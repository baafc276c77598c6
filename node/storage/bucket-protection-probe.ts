import {
  DeleteObjectCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import crypto from 'node:crypto';
import type { BucketProtectionFacts } from '../../shared/agent/bucket-protection';

// The S3 side of the bucket-protection check (issue 15 §3), run by the app's storage check at
// setup and by the agent in heartbeats and drills: read versioning, Object Lock and lifecycle,
// and probe with the key itself whether it can delete an object version. The verdict is
// shared/agent/bucket-protection.ts's.

/** Runs one S3 call with the options (an abort deadline) to pass to `client.send`. */
export type ProbeCall = <T>(
  run: (options: { abortSignal?: AbortSignal }) => Promise<T>,
) => Promise<T>;

const direct: ProbeCall = (run) => run({});

interface ErrorLike {
  name?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The S3 error name (AccessDenied, NoSuchKey…) or the Node error code; never a secret. */
export function s3ErrorName(error: unknown): string {
  const e = (error ?? {}) as ErrorLike & { code?: unknown };
  for (const v of [e.Code, e.name, e.code]) if (typeof v === 'string' && v !== 'Error') return v;
  return typeof e.message === 'string' ? e.message.slice(0, 120) : 'unknown error';
}

function status(error: unknown): number | undefined {
  const s = (error as ErrorLike | undefined)?.$metadata?.httpStatusCode;
  return typeof s === 'number' ? s : undefined;
}

/** Refused by the storage: a policy, missing rights or an Object Lock retention. */
export function isDenied(error: unknown): boolean {
  return s3ErrorName(error) === 'AccessDenied' || status(error) === 403;
}

/**
 * Deletes one version of `key` the way an attacker with the key would: plainly, and if refused
 * again with x-amz-bypass-governance-retention (a key with s3:BypassGovernanceRetention gets
 * past GOVERNANCE-mode locks). 'allowed' means the version is gone.
 * @throws the storage's error when it is neither success nor a refusal (unreachable, say).
 */
export async function tryDeleteVersion(
  client: S3Client,
  bucket: string,
  key: string,
  versionId: string,
  call: ProbeCall = direct,
): Promise<'allowed' | 'denied'> {
  for (const bypass of [false, true]) {
    try {
      await call((o) =>
        client.send(
          new DeleteObjectCommand({
            Bucket: bucket,
            Key: key,
            VersionId: versionId,
            ...(bypass ? { BypassGovernanceRetention: true } : {}),
          }),
          o,
        ),
      );
      return 'allowed';
    } catch (error) {
      if (!isDenied(error)) throw error;
    }
  }
  return 'denied';
}

/** Days of an Object Lock default retention (years as 365 days); null when none is set. */
function lockDays(retention: { Days?: number; Years?: number } | undefined): number | null {
  if (retention?.Days) return retention.Days;
  if (retention?.Years) return retention.Years * 365;
  return null;
}

function minimum(values: (number | undefined)[]): number | null {
  const present = values.filter((v): v is number => typeof v === 'number');
  return present.length > 0 ? Math.min(...present) : null;
}

/** Versioning, Object Lock and lifecycle as the bucket reports them to this key. */
export async function readBucketSettings(
  client: S3Client,
  bucket: string,
  call: ProbeCall = direct,
): Promise<Omit<BucketProtectionFacts, 'versionDelete'>> {
  const notes: string[] = [];
  let versioning: BucketProtectionFacts['versioning'] = 'unknown';
  try {
    const answer = await call((o) =>
      client.send(new GetBucketVersioningCommand({ Bucket: bucket }), o),
    );
    versioning =
      answer.Status === 'Enabled' || answer.Status === 'Suspended' ? answer.Status : 'Disabled';
  } catch (error) {
    notes.push(`versioning not reported (${s3ErrorName(error)})`);
  }

  const objectLock: BucketProtectionFacts['objectLock'] = {
    state: 'unknown',
    mode: null,
    days: null,
  };
  try {
    const answer = await call((o) =>
      client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }), o),
    );
    const config = answer.ObjectLockConfiguration;
    if (config?.ObjectLockEnabled === 'Enabled') {
      const retention = config.Rule?.DefaultRetention;
      objectLock.state = 'Enabled';
      objectLock.mode =
        retention?.Mode === 'GOVERNANCE' || retention?.Mode === 'COMPLIANCE'
          ? retention.Mode
          : null;
      objectLock.days = lockDays(retention);
    } else {
      objectLock.state = 'Disabled';
    }
  } catch (error) {
    const name = s3ErrorName(error);
    if (name === 'ObjectLockConfigurationNotFoundError') objectLock.state = 'Disabled';
    else notes.push(`Object Lock not reported (${name})`);
  }

  const lifecycle: BucketProtectionFacts['lifecycle'] = {
    state: 'unknown',
    expirationDays: null,
    noncurrentDays: null,
  };
  try {
    const answer = await call((o) =>
      client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }), o),
    );
    const rules = (answer.Rules ?? []).filter((r) => r.Status === 'Enabled');
    lifecycle.state = rules.length > 0 ? 'rules' : 'none';
    lifecycle.expirationDays = minimum(rules.map((r) => r.Expiration?.Days));
    lifecycle.noncurrentDays = minimum(
      rules.map((r) => r.NoncurrentVersionExpiration?.NoncurrentDays),
    );
  } catch (error) {
    const name = s3ErrorName(error);
    if (name === 'NoSuchLifecycleConfiguration') lifecycle.state = 'none';
    else notes.push(`lifecycle not readable (${name})`);
  }
  return { versioning, objectLock, lifecycle, notes };
}

/**
 * The whole check with one key: a 16-byte test object under `<prefix>.probe/` is uploaded and
 * its version deleted as an attacker would ({@link tryDeleteVersion}); then the bucket's
 * settings are read. Cleanup: a deleted version leaves nothing; a refused one gets a delete
 * marker (its version stays, as it should: that is the protection). Under Object Lock the test
 * object stays for the lock's retention: 16 bytes per check, which is why the agent checks
 * only every few hours.
 */
export async function probeBucketProtection(
  client: S3Client,
  bucket: string,
  prefix: string,
  call: ProbeCall = direct,
): Promise<BucketProtectionFacts> {
  const key = `${prefix}.probe/${crypto.randomUUID()}`;
  let versionDelete: BucketProtectionFacts['versionDelete'];
  const probeNotes: string[] = [];
  try {
    const put = await call((o) =>
      client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: crypto.randomBytes(16) }),
        o,
      ),
    );
    if (put.VersionId && put.VersionId !== 'null') {
      versionDelete = await tryDeleteVersion(client, bucket, key, put.VersionId, call);
    } else {
      versionDelete = 'noVersion';
    }
    if (versionDelete !== 'allowed') {
      await call((o) =>
        client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), o),
      ).catch((error: unknown) =>
        probeNotes.push(`test object ${key} not removed (${s3ErrorName(error)})`),
      );
    }
  } catch (error) {
    // Nothing was learnt about the key, and a storage that is down would only make every
    // settings read wait for its own timeout: report the failure at once.
    const notes = [`the version-delete probe failed (${s3ErrorName(error)})`];
    return {
      versioning: 'unknown',
      objectLock: { state: 'unknown', mode: null, days: null },
      lifecycle: { state: 'unknown', expirationDays: null, noncurrentDays: null },
      versionDelete: 'error',
      notes,
    };
  }
  const settings = await readBucketSettings(client, bucket, call);
  return { ...settings, versionDelete, notes: [...probeNotes, ...settings.notes].slice(0, 10) };
}
