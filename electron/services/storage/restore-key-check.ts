import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import crypto from 'node:crypto';
import { phrase } from '../../../shared/contract';
import type { CheckRecorder } from './check-report';
import { PROBE_PREFIX } from './probe';
import type { S3Call } from './s3-client';
import { codeFor, describeS3Error } from './s3-errors';

/** What the restore-key check needs: the capture key's client and the restore key's. */
export interface RestoreKeyContext {
  /** The capture key: writes the object the restore key must read, and cleans up. */
  capture: S3Client;
  /** The restore key under test. */
  restore: S3Client;
  bucket: string;
  host: string;
  recorder: CheckRecorder;
  call: S3Call;
}

const NOT_GIVEN =
  'No read-only restore key is saved: a restore onto another host gets the capture key, which can ' +
  'write to the bucket. Add a key that may only get and list (docs/security.md, "Bucket keys").';

/** The item for a target saved without a restore key: a fact with advice, not a risk yet. */
export function noRestoreKey(recorder: CheckRecorder): void {
  recorder.skip('restoreKey', NOT_GIVEN, [phrase('storage.restoreKey.notGiven')]);
}

/**
 * Proves the restore key is what a restore on another host needs, and no more (issue 15 §3):
 * it reads back an object the capture key wrote and lists the prefix (both must work, or the
 * target is refused: a restore with it would fail on the worst day), and it is refused a
 * write. A key that can write is red, not a refusal: it works, but a host holding it could
 * change the backups. Everything written here is deleted with the capture key.
 */
export async function checkRestoreKey(ctx: RestoreKeyContext): Promise<boolean> {
  const { bucket, host, recorder } = ctx;
  const key = `${PROBE_PREFIX}${crypto.randomUUID()}-restore-key`;
  const body = crypto.randomBytes(32);
  try {
    await ctx.call((o) =>
      ctx.capture.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }), o),
    );
  } catch (err) {
    const f = describeS3Error(err);
    recorder.fail(
      'restoreKey',
      codeFor(f.kind),
      `Could not prepare the restore-key check at ${host} (${f.text}).`,
      undefined,
      [phrase('storage.restoreKey.prepareFailed', { host, detail: f.text })],
    );
    return false;
  }
  const strayKey = `${key}-write`;
  let wrote = false;
  try {
    const read = await readAndList(ctx, key, body);
    if (read !== null) {
      recorder.fail(
        'restoreKey',
        'STORAGE_ACCESS_DENIED',
        `The restore key cannot ${read} in bucket "${bucket}" at ${host}: a restore with it would fail. Check the key id and secret, and that it may get and list objects.`,
        undefined,
        [
          phrase('storage.restoreKey.cannot', {
            action: read.startsWith('list') ? 'list' : 'read',
            bucket,
            host,
          }),
        ],
      );
      return false;
    }
    try {
      await ctx.call((o) =>
        ctx.restore.send(new PutObjectCommand({ Bucket: bucket, Key: strayKey, Body: body }), o),
      );
      wrote = true;
    } catch (err) {
      const f = describeS3Error(err);
      if (f.kind !== 'denied') {
        recorder.fail(
          'restoreKey',
          codeFor(f.kind),
          `Could not finish the restore-key check at ${host} (${f.text}).`,
          undefined,
          [phrase('storage.restoreKey.finishFailed', { host, detail: f.text })],
        );
        return false;
      }
    }
    if (wrote) {
      recorder.flag(
        'restoreKey',
        'The restore key may write to the bucket: it is not read-only, so a host it is given to could change the backups. Give it only s3:GetObject, s3:ListBucket and s3:GetBucketLocation.',
        [phrase('storage.restoreKey.writes')],
      );
    } else {
      recorder.pass(
        'restoreKey',
        'The restore key reads and lists the backups, and the storage refused it a write: it is read-only.',
        [phrase('storage.restoreKey.readOnly')],
      );
    }
    return true;
  } finally {
    for (const k of wrote ? [key, strayKey] : [key]) {
      await ctx
        .call((o) => ctx.capture.send(new DeleteObjectCommand({ Bucket: bucket, Key: k }), o))
        .catch(() => undefined);
    }
  }
}

/** null when the restore key read the object back and listed its prefix; else what it could not. */
async function readAndList(
  ctx: RestoreKeyContext,
  key: string,
  body: Buffer,
): Promise<string | null> {
  try {
    const got = await ctx.call((o) =>
      ctx.restore.send(new GetObjectCommand({ Bucket: ctx.bucket, Key: key }), o),
    );
    const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? new Uint8Array());
    if (!bytes.equals(body)) return 'read objects (it got different bytes)';
  } catch {
    return 'read objects';
  }
  try {
    const listed = await ctx.call((o) =>
      ctx.restore.send(new ListObjectsV2Command({ Bucket: ctx.bucket, Prefix: key }), o),
    );
    if (!(listed.Contents ?? []).some((c) => c.Key === key))
      return 'list objects (the listing missed one)';
  } catch {
    return 'list objects';
  }
  return null;
}
