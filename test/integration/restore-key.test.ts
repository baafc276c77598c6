import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestorePlan, ScratchEnvironment, StorageTarget } from '../../shared/contract';
import {
  startInstalledAgent,
  startRadosgw,
  stopAll,
  type InstalledAgent,
  type Radosgw,
  type RadosgwUser,
} from '../harness';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Issue 15 §3, keys by role: a restore onto another host gets a key that may only read. The
// bucket (Ceph radosgw, versioned) grants the agent's capture key what capture needs and a
// restore key get and list only. The storage check proves the restore key reads and is refused
// a write; a restore onto another host, with a writer committing on the source, gets that key
// (never the capture key), and restic reads the attached files without taking a lock it could
// not write. Seen failing with the fix reverted: with the capture key handed over
// (restore-hosts.ts credentials()), the host's config named the capture key; without
// --no-lock, restic could not restore the files with the read-only key.

const BUCKET = 'kumiko-roles';
let rgw: Radosgw;
let ca: string;
let fx: InstalledAgent;
let load: WriteLoad;

const user = (uid: 'owner' | 'capture' | 'restore'): RadosgwUser => rgw.users[uid] as RadosgwUser;
const arn = (uid: string) => `arn:aws:iam:::user/${uid}`;

/** The capture key's policy of docs/security.md, and the restore key's: get and list only. */
function policy(bucket: string): string {
  const Resource = [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`];
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Capture',
        Effect: 'Allow',
        Principal: { AWS: [arn('capture')] },
        Action: [
          's3:GetObject',
          's3:PutObject',
          's3:DeleteObject',
          's3:ListBucket',
          's3:ListBucketMultipartUploads',
          's3:AbortMultipartUpload',
          's3:ListMultipartUploadParts',
          's3:GetBucketLocation',
          's3:GetBucketVersioning',
          's3:GetBucketObjectLockConfiguration',
          's3:GetLifecycleConfiguration',
        ],
        Resource,
      },
      {
        Sid: 'CaptureCannotDestroyHistory',
        Effect: 'Deny',
        Principal: { AWS: [arn('capture')] },
        Action: ['s3:DeleteObjectVersion', 's3:BypassGovernanceRetention'],
        Resource,
      },
      {
        Sid: 'RestoreReadsOnly',
        Effect: 'Allow',
        Principal: { AWS: [arn('restore')] },
        Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'],
        Resource,
      },
    ],
  });
}

function client(key: RadosgwUser): S3Client {
  return new S3Client({
    endpoint: rgw.endpoint,
    region: rgw.region,
    forcePathStyle: true,
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    requestHandler: { httpsAgent: new https.Agent({ ca }) },
  });
}

const draft = (restore: RadosgwUser | null, capture = user('capture')) => ({
  endpoint: rgw.endpoint,
  bucket: BUCKET,
  region: rgw.region,
  accessKeyId: capture.accessKeyId,
  secretAccessKey: capture.secretAccessKey,
  ownStorage: true,
  caCertificate: ca,
  ...(restore
    ? {
        restoreKey: {
          accessKeyId: restore.accessKeyId,
          secretAccessKey: restore.secretAccessKey,
        },
      }
    : {}),
});

beforeAll(async () => {
  rgw = await startRadosgw({ users: ['owner', 'capture', 'restore'] });
  ca = fs.readFileSync(rgw.caFile, 'utf8');
  const owner = client(user('owner'));
  await owner.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await owner.send(
    new PutBucketVersioningCommand({
      Bucket: BUCKET,
      VersioningConfiguration: { Status: 'Enabled' },
    }),
  );
  await owner.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policy(BUCKET) }));
  owner.destroy();
  fx = await startInstalledAgent({ storage: draft(user('restore')) });
  load = await startWriteLoad(fx.pg, { markerDb: 'chinook', pgbenchDb: 'postgres' });
}, 300_000);

afterAll(async () => {
  await load?.stop();
  await fx?.stop();
  await rgw?.stop();
  await stopAll();
});

describe('a read-only restore key (issue 15 §3)', () => {
  it('the storage check proves the restore key reads, lists and may not write', async () => {
    const saved = await fx.call<StorageTarget>('storage.get', { serverId: fx.serverId });
    const item = saved.report.items.find((i) => i.id === 'restoreKey');
    expect(item?.state, item?.detail).toBe('passed');
    expect(saved.restoreKeyHint).toBe(
      `${user('restore').accessKeyId.slice(0, 4)}…${user('restore').accessKeyId.slice(-2)}`,
    );
    // The fixture's key really is read-only: the storage refuses it a write.
    const restore = client(user('restore'));
    await expect(
      restore.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kumiko/x', Body: 'x' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    restore.destroy();

    // The capture key offered as restore key works, but is red: it can write.
    const writable = await fx.call<{ items: { id: string; state: string; detail: string }[] }>(
      'storage.check',
      draft(user('capture')),
    );
    const red = writable.items.find((i) => i.id === 'restoreKey');
    expect(red?.state).toBe('failed');
    expect(red?.detail).toMatch(/not read-only/);

    // A restore key that cannot read is refused, so it never waits for the worst day.
    const wrong = { ...user('restore'), secretAccessKey: 'wrong-secret-0000000000' };
    await expect(fx.call('storage.check', draft(wrong))).rejects.toMatchObject({
      code: 'STORAGE_ACCESS_DENIED',
    });
  }, 60_000);

  it('a restore onto another host gets the restore key, never the capture key', async () => {
    const host = await fx.call<{ id: string }>('servers.add', {
      name: 'restore-host',
      host: fx.sshd.host,
      port: fx.sshd.port,
      user: fx.sshd.user,
      auth: { kind: 'privateKey', privateKey: fx.sshd.clientPrivateKey },
    });
    await fx.call('servers.trustHostKey', { id: host.id, fingerprint: fx.sshd.hostFingerprint });
    expect((await fx.runJob('servers.connect', { id: host.id })).state).toBe('succeeded');
    const request = {
      serverId: fx.serverId,
      target: { kind: 'latest' },
      destination: { kind: 'host', serverId: host.id },
    };
    const plan = await fx.call<RestorePlan>('restore.plan', request);
    expect(plan.warnings.join(' ')).toMatch(/read-only restore key/);

    // The keys the host's config holds while the restore runs.
    const restoresDir = path.join(fx.remoteRoot, 'var/lib/kumiko-restore/restores');
    const seen = new Set<string>();
    const watch = setInterval(() => {
      for (const id of fs.existsSync(restoresDir) ? fs.readdirSync(restoresDir) : []) {
        try {
          const config = JSON.parse(
            fs.readFileSync(path.join(restoresDir, id, 'config.json'), 'utf8'),
          ) as { s3: { accessKeyId: string; readOnly?: boolean } };
          if (config.s3.accessKeyId) seen.add(`${config.s3.accessKeyId}:${config.s3.readOnly}`);
        } catch {
          // Being written or removed.
        }
      }
    }, 20);
    const job = await fx.runJob('restore.start', request).finally(() => clearInterval(watch));
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const env = job.result as ScratchEnvironment;
    expect([...seen]).toEqual([`${user('restore').accessKeyId}:true`]);
    const checks = Object.fromEntries(env.checks.map((c) => [c.name, c]));
    expect(
      env.checks.every((c) => c.ok),
      JSON.stringify(env.checks),
    ).toBe(true);
    expect(checks.files?.ok, checks.files?.detail).toBe(true);
    expect(load.markers).toBeGreaterThan(0);
    await fx.call('scratch.drop', { id: env.id });
  }, 300_000);
});
