import { GetBucketLocationCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { readBucketSettings } from '../../../node/storage/bucket-protection-probe';
import {
  judgeBucketProtection,
  requiredRetentionDays,
} from '../../../shared/agent/bucket-protection';
import { phrase, type StorageCheckReport } from '../../../shared/contract';
import { isAppError } from '../app-error';
import { CheckRecorder, type CheckFailure } from './check-report';
import {
  euRegionsOf,
  providerName,
  type ClassifyEndpoint,
  type EndpointClassification,
} from './eu-allowlist';
import { judgeLocation, normalizeLocation } from './eu-location';
import { runProbe } from './probe';
import { checkRestoreKey, noRestoreKey } from './restore-key-check';
import {
  addressingFor,
  callWithDeadline,
  createS3Client,
  type OpenS3Client,
  type S3Call,
} from './s3-client';
import { codeFor, describeS3Error, type S3Failure } from './s3-errors';

/** A storage target as the checks need it (the contract's draft after parsing). */
export interface CheckTarget {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  ownStorage: boolean;
  caCertificate?: string;
  /** The read-only key restores on another host get, when the admin gave one. */
  restoreKey?: { accessKeyId: string; secretAccessKey: string };
}

export interface CheckOptions {
  classify: ClassifyEndpoint;
  timeoutMs: number;
}

export interface CheckOutcome {
  report: StorageCheckReport;
  /** The first failed check, null when everything passed. */
  failure: CheckFailure | null;
}

interface Ctx {
  target: CheckTarget;
  host: string;
  recorder: CheckRecorder;
  s3: OpenS3Client;
  call: S3Call;
}

/**
 * The storage checks, in order: endpoint allowlist → TLS → bucket location → write/read/delete
 * probe (the delete also tries to destroy the probe's version) → history, versioning, Object
 * Lock, lifecycle (judged together: whether a server holding these keys can destroy backups).
 * Nothing is written before the endpoint, TLS and location
 * checks passed; the first failure stops the rest (reported as skipped).
 */
export async function runStorageChecks(
  target: CheckTarget,
  options: CheckOptions,
): Promise<CheckOutcome> {
  const classification = options.classify(target.endpoint);
  const recorder = new CheckRecorder(classification.host);
  const done = (): CheckOutcome => ({ report: recorder.report(), failure: recorder.failure });

  if (!checkEndpoint(target, classification, recorder)) return done();

  let s3: OpenS3Client;
  try {
    s3 = createS3Client({
      ...addressingFor(target.endpoint, classification),
      region: target.region,
      accessKeyId: target.accessKeyId,
      secretAccessKey: target.secretAccessKey,
      caCertificate: target.caCertificate,
      timeoutMs: options.timeoutMs,
      maxAttempts: 1,
    });
  } catch (err) {
    if (!isAppError(err)) throw err;
    recorder.fail('tls', err.code, err.message);
    return done();
  }
  const ctx: Ctx = {
    target,
    host: classification.host,
    recorder,
    s3,
    call: callWithDeadline(options.timeoutMs),
  };
  try {
    if (!(await checkTls(ctx))) return done();
    if (!(await checkLocation(ctx))) return done();
    const probed = await runProbe({
      client: s3.client,
      bucket: target.bucket,
      host: ctx.host,
      recorder,
      call: ctx.call,
    });
    if (!probed) return done();
    await judgeProtection(ctx);
    await judgeRestoreKey(ctx, classification, options.timeoutMs);
    return done();
  } finally {
    s3.close();
  }
}

function checkEndpoint(
  target: CheckTarget,
  c: EndpointClassification,
  recorder: CheckRecorder,
): boolean {
  if (c.provider !== 'unknown') {
    recorder.provider = c.provider;
    if (!c.eu) {
      refuseEndpoint(recorder, c);
      return false;
    }
    if (c.provider === 'aws' && c.region !== null && target.region !== c.region) {
      recorder.fail(
        'endpoint',
        'INVALID_INPUT',
        `The region ${target.region} does not match the endpoint's region ${c.region}.`,
        undefined,
        [
          phrase('storage.endpoint.regionMismatch', {
            region: target.region,
            endpointRegion: c.region,
          }),
        ],
      );
      return false;
    }
    // "Own storage" is for endpoints the admin operates: on a provider's endpoint the mark
    // changes nothing, and the report says so rather than accepting it silently.
    recorder.pass(
      'endpoint',
      target.ownStorage
        ? `${c.reason} The own-storage mark does not apply to a public cloud: the bucket's EU location is checked as for any ${providerName(c.provider)} bucket.`
        : c.reason,
      [
        phrase('storage.endpoint.eu', {
          host: c.host,
          provider: providerName(c.provider),
          region: c.region ?? '',
          place: euRegionsOf(c.provider)[c.region ?? ''] ?? '',
        }),
        ...(target.ownStorage
          ? [phrase('storage.endpoint.ownMarkIgnored', { provider: providerName(c.provider) })]
          : []),
      ],
    );
    return true;
  }
  if (c.publicCloud || !target.ownStorage) {
    refuseEndpoint(recorder, c);
    return false;
  }
  recorder.provider = 'own';
  // Allowed, but only on the admin's word: amber with advice, never a green "passed" (issue 16 §2).
  recorder.warn(
    'endpoint',
    `${c.host} is not on the EU allowlist; allowed because you marked it as your own storage: you vouch that it stands in the EU. The region "${target.region}" only names how requests are signed; it says nothing about where the data is.`,
    [phrase('storage.endpoint.own', { host: c.host, region: target.region })],
  );
  return true;
}

/** A refused endpoint: the classification's reason is main's English; the console says why in short. */
function refuseEndpoint(recorder: CheckRecorder, c: EndpointClassification): void {
  recorder.fail(
    'endpoint',
    'STORAGE_NOT_EU',
    `Refused, nothing was uploaded: ${c.reason}`,
    undefined,
    [phrase('storage.endpoint.refused', { host: c.host }), phrase('detail', { detail: c.reason })],
  );
}

function keysRejected(f: S3Failure): boolean {
  return ['SignatureDoesNotMatch', 'InvalidAccessKeyId', 'InvalidSecurity'].includes(f.name);
}

/** TLS is verified once the server answered anything over a verified connection. */
async function checkTls(ctx: Ctx): Promise<boolean> {
  const { target, host, recorder } = ctx;
  const verified = `The TLS certificate of ${host} was verified${target.caCertificate ? ' (with the given CA certificate)' : ''}.`;
  const verifiedWords = [
    phrase(target.caCertificate ? 'storage.tls.verifiedWithCa' : 'storage.tls.verified', { host }),
  ];
  try {
    await ctx.call((o) => ctx.s3.client.send(new HeadBucketCommand({ Bucket: target.bucket }), o));
    recorder.pass('tls', verified, verifiedWords);
    return true;
  } catch (err) {
    const f = describeS3Error(err);
    if (f.status !== undefined) {
      recorder.pass('tls', verified, verifiedWords);
      return true;
    }
    if (f.kind === 'tls') {
      recorder.fail(
        'tls',
        'STORAGE_TLS_FAILED',
        `The TLS certificate of ${host} could not be verified (${f.text}). ` +
          (target.caCertificate
            ? 'It is not signed by the given CA certificate.'
            : 'If the storage uses a private CA, add its CA certificate. Verification is never turned off.'),
        undefined,
        [
          phrase('storage.tls.failed', { host, detail: f.text }),
          phrase(target.caCertificate ? 'storage.tls.notByCa' : 'storage.tls.addCa'),
        ],
      );
      return false;
    }
    recorder.fail(
      'tls',
      codeFor(f.kind),
      `Could not reach ${target.endpoint} (${f.text}).`,
      undefined,
      [phrase('storage.unreachable', { endpoint: target.endpoint, detail: f.text })],
    );
    return false;
  }
}

/** GetBucketLocation, judged per provider; fail closed for everything but own storage. */
async function checkLocation(ctx: Ctx): Promise<boolean> {
  const { target, host, recorder } = ctx;
  let raw: string | undefined;
  try {
    const answer = await ctx.call((o) =>
      ctx.s3.client.send(new GetBucketLocationCommand({ Bucket: target.bucket }), o),
    );
    raw = answer.LocationConstraint;
  } catch (err) {
    const f = describeS3Error(err);
    if (keysRejected(f)) {
      recorder.fail(
        'location',
        'STORAGE_ACCESS_DENIED',
        `The storage at ${host} rejected the keys (${f.name}): check the access key id and the secret access key.`,
        undefined,
        [phrase('storage.keysRejected', { host, detail: f.name })],
      );
    } else if (f.kind === 'noSuchBucket') {
      recorder.fail(
        'location',
        'STORAGE_ACCESS_DENIED',
        `Bucket "${target.bucket}" does not exist at ${host}.`,
        undefined,
        [phrase('storage.noSuchBucket', { bucket: target.bucket, host })],
      );
    } else if (f.kind === 'denied') {
      recorder.fail(
        'location',
        'STORAGE_ACCESS_DENIED',
        `The keys may not read the location of bucket "${target.bucket}" (${f.text}); it is needed to verify the bucket is in the EU.`,
        undefined,
        [phrase('storage.location.denied', { bucket: target.bucket, detail: f.text })],
      );
    } else if (f.kind === 'other' && recorder.provider === 'own') {
      recorder.warn(
        'location',
        `The storage does not report a location (${f.text}). Own storage: you vouch for where it is.`,
        [phrase('storage.location.notReportedOwn', { detail: f.text })],
      );
      return true;
    } else if (f.kind === 'other') {
      recorder.fail(
        'location',
        'STORAGE_NOT_EU',
        `Refused, nothing was uploaded: the location of bucket "${target.bucket}" at ${host} cannot be verified (${f.text}).`,
        undefined,
        [
          phrase('storage.location.unverifiable', {
            bucket: target.bucket,
            host,
            detail: f.text,
          }),
        ],
      );
    } else {
      recorder.fail(
        'location',
        codeFor(f.kind),
        `Could not read the bucket location at ${host} (${f.text}).`,
        undefined,
        [phrase('storage.location.unreadable', { host, detail: f.text })],
      );
    }
    return false;
  }
  recorder.location = normalizeLocation(raw);
  const verdict = judgeLocation(recorder.provider, recorder.location);
  if (!verdict.accepted) {
    recorder.fail(
      'location',
      'STORAGE_NOT_EU',
      `Refused, nothing was uploaded: bucket "${target.bucket}" at ${host}: ${verdict.detail}`,
      verdict.detail,
      verdict.words,
    );
    return false;
  }
  // Own storage's location is the admin's word, not a check: amber, never green (issue 16 §2).
  if (recorder.provider === 'own') recorder.warn('location', verdict.detail, verdict.words);
  else recorder.pass('location', verdict.detail, verdict.words);
  return true;
}

/** Report item states of the shared verdict's findings: exposed is red, never a refusal. */
const FINDING_STATES = {
  ok: 'pass',
  warning: 'warn',
  exposed: 'flag',
  unknown: 'skip',
} as const;

/**
 * Can these keys destroy history (issue 15 §3)? The probe's version delete, judged with the
 * bucket's versioning, Object Lock and lifecycle (shared/agent/bucket-protection.ts, the same
 * verdict the agent's heartbeat and drills report). Never a refusal: red and amber lines and
 * the report's `protection` tell the admin, with advice.
 */
async function judgeProtection(ctx: Ctx): Promise<void> {
  const { recorder } = ctx;
  const settings = await readBucketSettings(ctx.s3.client, ctx.target.bucket, ctx.call);
  const verdict = judgeBucketProtection(
    { ...settings, versionDelete: recorder.versionDelete },
    requiredRetentionDays(),
    new Date(),
  );
  recorder.versioning = settings.versioning;
  recorder.objectLock = settings.objectLock.state;
  recorder.protection = verdict.level;
  for (const finding of verdict.findings) {
    recorder[FINDING_STATES[finding.level]](finding.id, finding.text, finding.phrases);
  }
}

/** The restore key, when given: reads, lists, may not write (restore-key-check.ts). */
async function judgeRestoreKey(
  ctx: Ctx,
  classification: EndpointClassification,
  timeoutMs: number,
): Promise<void> {
  const { target, recorder } = ctx;
  if (!target.restoreKey) {
    noRestoreKey(recorder);
    return;
  }
  const restore = createS3Client({
    ...addressingFor(target.endpoint, classification),
    region: target.region,
    accessKeyId: target.restoreKey.accessKeyId,
    secretAccessKey: target.restoreKey.secretAccessKey,
    caCertificate: target.caCertificate,
    timeoutMs,
    maxAttempts: 1,
  });
  try {
    await checkRestoreKey({
      capture: ctx.s3.client,
      restore: restore.client,
      bucket: target.bucket,
      host: ctx.host,
      recorder,
      call: ctx.call,
    });
  } finally {
    restore.close();
  }
}
