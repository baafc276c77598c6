import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import fs from 'node:fs';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isAlive,
  pendingCleanups,
  startRadosgw,
  stopAll,
  type Radosgw,
  type RadosgwUser,
} from '../harness';

// The harness's radosgw (one mon, one memstore OSD, radosgw with TLS): it starts, answers
// S3 over HTTPS verified with the harness CA, keeps versions and enforces Object Lock, and
// stop() leaves no process and no folder behind. One cluster for the file (~1.2 s to start).

let rgw: Radosgw;
let startMs = 0;

function client(user: RadosgwUser): S3Client {
  return new S3Client({
    endpoint: rgw.endpoint,
    region: rgw.region,
    forcePathStyle: true,
    credentials: { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { httpsAgent: new https.Agent({ ca: fs.readFileSync(rgw.caFile) }) },
  });
}

beforeAll(async () => {
  const t0 = Date.now();
  rgw = await startRadosgw({ users: ['alice'] });
  startMs = Date.now() - t0;
});

afterAll(async () => {
  await rgw?.stop();
  await stopAll();
});

describe('radosgw harness', () => {
  it('starts and serves PUT/GET over HTTPS verified with the harness CA', async () => {
    expect(startMs).toBeGreaterThan(0);
    const s3 = client(rgw.users.alice as RadosgwUser);
    await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
    await s3.send(new PutObjectCommand({ Bucket: 'plain', Key: 'a/b.txt', Body: 'hello' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'plain', Key: 'a/b.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');
    // Without the CA the certificate does not verify: TLS is real.
    const untrusting = new S3Client({
      endpoint: rgw.endpoint,
      region: rgw.region,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    await expect(
      untrusting.send(new GetObjectCommand({ Bucket: 'plain', Key: 'a/b.txt' })),
    ).rejects.toThrow(/certificate/i);
    s3.destroy();
    untrusting.destroy();
  });

  it('keeps versions and refuses to delete a version under COMPLIANCE Object Lock', async () => {
    const s3 = client(rgw.users.alice as RadosgwUser);
    const Bucket = 'locked';
    await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1 } },
        },
      }),
    );
    const lock = await s3.send(new GetObjectLockConfigurationCommand({ Bucket }));
    expect(lock.ObjectLockConfiguration?.Rule?.DefaultRetention).toMatchObject({
      Mode: 'COMPLIANCE',
      Days: 1,
    });
    const first = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'two' }));
    expect(first.VersionId).toBeTruthy();
    await expect(
      s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: first.VersionId })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(versions.Versions?.length).toBe(2);
    s3.destroy();
  });

  it('stop() kills every process and deletes the folder', async () => {
    const second = await startRadosgw();
    const pids = second.pids;
    expect(pids.length).toBe(3);
    for (const pid of pids) expect(isAlive(pid)).toBe(true);
    expect(pendingCleanups().some((n) => n.startsWith(`radosgw ${second.dir}`))).toBe(true);
    await second.stop();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(fs.existsSync(second.dir)).toBe(false);
  });
});
