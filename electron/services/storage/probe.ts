import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import crypto from 'node:crypto';
import { tryDeleteVersion } from '../../../node/storage/bucket-protection-probe';
import { phrase, type Phrase } from '../../../shared/contract';
import type { CheckRecorder } from './check-report';
import type { S3Call } from './s3-client';
import { codeFor, describeS3Error, type S3Failure } from './s3-errors';

/** Where probe objects go; nothing else is ever written by a check. */
export const PROBE_PREFIX = 'kumiko/.probe/';
const PROBE_BYTES = 64;

export interface ProbeContext {
  client: S3Client;
  bucket: string;
  host: string;
  recorder: CheckRecorder;
  /** Runs one S3 call with the per-call deadline passed in as `options`. */
  call: S3Call;
}

type Action = 'write' | 'read' | 'delete';

/** {@link explain} for the console: which action, on which bucket, and the storage's own words. */
function explainWords(f: S3Failure, action: Action, bucket: string, host: string): Phrase[] {
  switch (f.kind) {
    case 'denied':
      return [phrase('storage.action.denied', { action, bucket, host, detail: f.text })];
    case 'noSuchBucket':
      return [phrase('storage.noSuchBucket', { bucket, host })];
    case 'tls':
      return [phrase('storage.action.tls', { action, host, detail: f.text })];
    default:
      return [phrase('storage.action.failed', { action, bucket, host, detail: f.text })];
  }
}

function explain(f: S3Failure, action: string, bucket: string, host: string): string {
  switch (f.kind) {
    case 'denied':
      return `The keys may not ${action} in bucket "${bucket}" at ${host} (${f.text}).`;
    case 'noSuchBucket':
      return `Bucket "${bucket}" does not exist at ${host}.`;
    case 'tls':
      return `TLS failed while trying to ${action} at ${host} (${f.text}).`;
    default:
      return `Could not ${action} in bucket "${bucket}" at ${host} (${f.text}).`;
  }
}

/**
 * Write, read back and delete one small random object under kumiko/.probe/. The read must
 * return the same bytes and the object must be gone afterwards. Cleanup is attempted even
 * when the read fails, so a failed check leaves nothing behind where the keys allow it.
 * The delete is also the version-delete probe (issue 15 §3): its outcome goes to
 * `recorder.versionDelete`, judged later with the bucket's settings.
 */
export async function runProbe(ctx: ProbeContext): Promise<boolean> {
  const { bucket, host, recorder } = ctx;
  const key = `${PROBE_PREFIX}${crypto.randomUUID()}`;
  const body = crypto.randomBytes(PROBE_BYTES);

  let versionId: string | undefined;
  try {
    const put = await ctx.call((o) =>
      ctx.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }), o),
    );
    versionId = put.VersionId;
    recorder.pass('write', `Wrote a ${PROBE_BYTES}-byte test object ${key}.`, [
      phrase('storage.write.ok', { bytes: PROBE_BYTES, key }),
    ]);
  } catch (err) {
    const f = describeS3Error(err);
    recorder.fail(
      'write',
      codeFor(f.kind),
      explain(f, 'write objects', bucket, host),
      undefined,
      explainWords(f, 'write', bucket, host),
    );
    return false;
  }

  let readOk = false;
  try {
    const got = await ctx.call((o) =>
      ctx.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), o),
    );
    const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? new Uint8Array());
    if (bytes.equals(body)) {
      recorder.pass('read', `Read the test object back: ${PROBE_BYTES} identical bytes.`, [
        phrase('storage.read.ok', { bytes: PROBE_BYTES }),
      ]);
      readOk = true;
    } else {
      recorder.fail(
        'read',
        'STORAGE_UNREACHABLE',
        `The storage at ${host} returned different bytes than were written (${bytes.length} bytes read, ${PROBE_BYTES} written).`,
        undefined,
        [phrase('storage.read.differs', { host, read: bytes.length, written: PROBE_BYTES })],
      );
    }
  } catch (err) {
    const f = describeS3Error(err);
    recorder.fail(
      'read',
      codeFor(f.kind),
      explain(f, 'read objects', bucket, host),
      undefined,
      explainWords(f, 'read', bucket, host),
    );
  }

  const deleted = await deleteProbe(ctx, key, versionId);
  return readOk && deleted;
}

async function deleteProbe(
  ctx: ProbeContext,
  key: string,
  versionId: string | undefined,
): Promise<boolean> {
  const { bucket, host, recorder } = ctx;
  let note = '';
  let noteWords: Phrase[] = [];
  try {
    // A version id means versioning keeps old versions: try to destroy one as an attacker with
    // these keys would (also with governance bypass). Refused (a policy or Object Lock): a
    // delete marker hides the object and its version stays, which is the protection.
    const outcome =
      versionId !== undefined && versionId !== 'null'
        ? await tryDeleteVersion(ctx.client, bucket, key, versionId, ctx.call)
        : 'noVersion';
    recorder.versionDelete = outcome;
    if (outcome !== 'allowed') {
      await ctx.call((o) =>
        ctx.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), o),
      );
    }
    if (outcome === 'denied')
      note =
        ' Its old version stays in the bucket: the keys may not delete versions (or Object Lock keeps it).';
    if (outcome === 'allowed') note = ' The keys deleted its old version too (see history).';
    if (outcome === 'denied') noteWords = [phrase('storage.delete.versionKept')];
    if (outcome === 'allowed') noteWords = [phrase('storage.delete.versionDeleted')];
  } catch (err) {
    const f = describeS3Error(err);
    recorder.fail(
      'delete',
      codeFor(f.kind),
      `${explain(f, 'delete objects', bucket, host)} The test object ${key} may remain.`,
      undefined,
      [...explainWords(f, 'delete', bucket, host), phrase('storage.delete.mayRemain', { key })],
    );
    return false;
  }
  try {
    await ctx.call((o) => ctx.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), o));
  } catch (err) {
    const f = describeS3Error(err);
    if (f.kind === 'notFound' || f.kind === 'noSuchBucket') {
      recorder.pass('delete', `Deleted the test object; it is gone.${note}`, [
        phrase('storage.delete.ok'),
        ...noteWords,
      ]);
      return true;
    }
    recorder.fail(
      'delete',
      codeFor(f.kind),
      `Could not confirm that the test object ${key} was deleted (${f.text}).`,
      undefined,
      [phrase('storage.delete.unconfirmed', { key, detail: f.text })],
    );
    return false;
  }
  recorder.fail(
    'delete',
    'STORAGE_ACCESS_DENIED',
    `The storage at ${host} accepted the delete of ${key}, but the object is still there.`,
    undefined,
    [phrase('storage.delete.stillThere', { host, key })],
  );
  return false;
}
