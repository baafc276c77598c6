import {
  CreateBucketCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeartbeat } from '../../agent/heartbeat/heartbeat';
import { makeContext } from '../../agent/runtime/context';
import { silentLogger } from '../../agent/runtime/log';
import { AgentConfig } from '../../shared/agent/config';
import { evaluateHealth } from '../../shared/agent/health';
import { openVault } from '../../electron/services/secrets/vault';
import { StorageService } from '../../electron/services/storage/storage-service';
import { openDatabase, type Db } from '../../electron/services/store/database';
import { startRadosgw, type Radosgw } from '../harness/radosgw';

// Fault 9: the bucket's Object Lock keeps uploads for less time than the retention needs them
// (7 days against 93: 30 days of WAL, monthly backups for 3 months). Backups older than the
// lock are deletable by a stolen key, so the setup's storage check and the agent's heartbeat
// must both warn, with both numbers. A real S3 server with Object Lock (Ceph radosgw, ~1 s to
// start); the agent's heartbeat runs in process against it, without a database behind it (the
// bucket is the fault here, not capture).

const LOCK_DAYS = 7;
const BUCKET = 'short-lock';

let rgw: Radosgw;
let ca: string;
let dir: string;
let db: Db;

beforeAll(async () => {
  rgw = await startRadosgw({ users: ['owner'] });
  ca = fs.readFileSync(rgw.caFile, 'utf8');
  const owner = rgw.users.owner;
  if (!owner) throw new Error('no owner user');
  const s3 = new S3Client({
    endpoint: rgw.endpoint,
    region: rgw.region,
    forcePathStyle: true,
    credentials: { accessKeyId: owner.accessKeyId, secretAccessKey: owner.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { httpsAgent: new https.Agent({ ca }) },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
  await s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket: BUCKET,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: LOCK_DAYS } },
      },
    }),
  );
  s3.destroy();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-short-lock-'));
  db = openDatabase(dir);
}, 120_000);

afterAll(async () => {
  db?.close();
  await rgw?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const owner = () => rgw.users.owner as NonNullable<Radosgw['users'][string]>;

describe('fault 9: Object Lock shorter than the retention', () => {
  it('setup warns with both numbers, never passes it', async () => {
    const service = new StorageService({
      db,
      secrets: await openVault(path.join(dir, 'secrets.vault'), 'short-lock-test'),
    });
    const report = await service.check({
      endpoint: rgw.endpoint,
      bucket: BUCKET,
      region: rgw.region,
      accessKeyId: owner().accessKeyId,
      secretAccessKey: owner().secretAccessKey,
      ownStorage: true,
      caCertificate: ca,
    });
    const lock = report.items.find((i) => i.id === 'objectLock');
    console.info(`[fault 9] setup: ${lock?.state}: ${lock?.detail}`);
    expect(lock?.state).toBe('warning');
    expect(lock?.detail).toMatch(
      new RegExp(`${LOCK_DAYS} days, shorter than the retention \\(93 days`),
    );
    expect(report.protection).not.toBe('protected');
  });

  it('the heartbeat warns with both numbers on the Bucket protection tile', async () => {
    const stateDir = fs.mkdtempSync(path.join(dir, 'agent-'));
    const caFile = path.join(stateDir, 'ca.crt');
    fs.writeFileSync(caFile, ca);
    const config = AgentConfig.parse({
      version: 1,
      serverId: 'srv-short-lock',
      stanza: 'main',
      stateDir,
      pg: {
        version: '15',
        dataDirectory: path.join(stateDir, 'no-data'),
        port: 1,
        socketDirectory: path.join(stateDir, 'no-socket'),
        binDirectory: '/usr/lib/postgresql/15/bin',
        osUser: 'root',
      },
      pgbackrest: { configPath: path.join(stateDir, 'no-pgbackrest.conf') },
      s3: {
        endpoint: rgw.endpoint,
        bucket: BUCKET,
        region: rgw.region,
        accessKeyId: owner().accessKeyId,
        secretAccessKey: owner().secretAccessKey,
        caFile,
        prefix: 'kumiko/srv-short-lock/',
      },
      restic: { repository: 's3:x', passwordFile: '/nonexistent', paths: [] },
      signingKeyFile: '/nonexistent',
      schedule: {},
      retention: {},
      alerts: {},
      drill: { scratchRoot: path.join(stateDir, 'drills') },
    });
    const run = await runHeartbeat(makeContext(config, silentLogger));
    const protection = evaluateHealth(run.heartbeat, new Date()).find(
      (t) => t.id === 'bucketProtection',
    );
    console.info(`[fault 9] heartbeat tile: ${protection?.level}: ${protection?.reason}`);
    expect(protection?.level).not.toBe('ok');
    const findings = JSON.stringify(run.heartbeat.bucketProtection);
    expect(findings).toMatch(
      new RegExp(`${LOCK_DAYS} days, shorter than the retention \\(93 days`),
    );
  });
});
