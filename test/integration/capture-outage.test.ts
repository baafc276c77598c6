import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthTile, Job, Result, Server, ServerHealth } from '../../shared/contract';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { openVault } from '../../electron/services/secrets/vault';
import {
  pidsWithArgument,
  repoRoot,
  startPostgres,
  startS3,
  startSshd,
  type PostgresCluster,
  type S3Server,
  type SshdServer,
  NODE_RUNTIME_CACHE,
  installedAgentNode,
} from '../harness';
import { buildAgentBundle } from '../harness/agent-env';
import { startSmtpReceiver, type SmtpReceiver } from '../harness/smtp-receiver';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/webhook-receiver';

const OUTAGE_MS = 120_000;

/**
 * The bucket goes away for two minutes under load: the dashboard says capture is failing
 * within 90 s, with the reason; once S3 is back capture catches up with no hole in the WAL,
 * and mail and webhook each carry exactly one failure alert and one recovery notice.
 */
describe('capture during an S3 outage', () => {
  let pg: PostgresCluster;
  let sshd: SshdServer;
  let s3: S3Server;
  let smtp: SmtpReceiver;
  let hooks: WebhookReceiver;
  let core: AppCore;
  let tmp: string;
  let serverId: string;
  let load: ChildProcess | undefined;

  async function call<T>(name: string, input: unknown): Promise<T> {
    const result = (await core.dispatch(name, input)) as Result<T>;
    if (!result.ok)
      throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value;
  }
  const lagTile = async (): Promise<HealthTile | undefined> =>
    (await call<ServerHealth>('status.get', { serverId })).tiles.find((t) => t.id === 'captureLag');

  beforeAll(async () => {
    await buildAgentBundle();
    [pg, sshd, s3, smtp, hooks] = await Promise.all([
      startPostgres(),
      startSshd(),
      startS3({ buckets: ['kumiko'] }),
      startSmtpReceiver(),
      startWebhookReceiver(),
    ]);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-outage-'));
    fs.chmodSync(tmp, 0o755);
    core = await createAppCore({
      dataDir: path.join(tmp, 'app'),
      secrets: await openVault(path.join(tmp, 'app', 'secrets.vault'), 'outage-test-passphrase'),
      transport: 'cli',
      agentBundlePath: path.join(repoRoot, 'dist/agent/kumiko-agent.cjs'),
      agentRemoteRoot: path.join(tmp, 'server-root'),
      nodeRuntimeCacheDir: NODE_RUNTIME_CACHE,
    });
    serverId = (
      await call<Server>('servers.add', {
        name: 'db1',
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        auth: { kind: 'privateKey', privateKey: sshd.clientPrivateKey },
      })
    ).id;
    await call('servers.trustHostKey', { id: serverId, fingerprint: sshd.hostFingerprint });
    await core.jobs.wait(
      (await call<{ jobId: string }>('servers.connect', { id: serverId })).jobId,
    );
    await call('storage.save', {
      serverId,
      target: {
        endpoint: s3.endpoint,
        bucket: 'kumiko',
        region: s3.region,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        ownStorage: true,
        caCertificate: fs.readFileSync(s3.caFile, 'utf8'),
      },
    });
    const install: Job = await core.jobs.wait(
      (
        await call<{ jobId: string }>('agent.install', {
          serverId,
          dataDirectory: pg.dataDir,
          confirmRestart: true,
          schedule: {
            snapshotAt: '02:30',
            heartbeatIntervalSeconds: 10,
            retentionIntervalSeconds: 86_400,
          },
          alerts: {
            smtp: {
              host: smtp.host,
              port: smtp.port,
              secure: false,
              from: 'agent@kumiko.test',
              to: ['admin@kumiko.test'],
            },
            webhooks: [{ url: `${hooks.url}/alerts`, format: 'json' }],
            captureLagSeconds: 120,
            recoveryPointMaxAgeHours: 26,
          },
        })
      ).jobId,
    );
    expect(install.state, JSON.stringify(install.error)).toBe('succeeded');
    execFileSync(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        path.join(pg.binDir, 'pgbench'),
        '-i',
        '-q',
        '-s',
        '1',
        '-h',
        pg.socketDir,
        '-p',
        String(pg.port),
        'postgres',
      ],
      { stdio: 'ignore' },
    );
  }, 300_000);

  afterAll(async () => {
    load?.kill('SIGKILL');
    const root = path.join(tmp ?? '/nonexistent', 'server-root');
    spawn(await installedAgentNode(root), [
      path.join(root, 'opt/kumiko-agent/kumiko-agent.cjs'),
      'stop',
      '--config',
      path.join(root, 'etc/kumiko-agent/config.json'),
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    await core?.close();
    for (const pid of pidsWithArgument(root)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    await pg?.stop();
    await Promise.all([sshd?.stop(), s3?.stop(), smtp?.stop(), hooks?.stop()]);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('shows capture failing within 90 s, catches up after, and alerts exactly once each way', async () => {
    expect((await lagTile())?.level).toBe('ok');
    // Steady load for the whole outage and the catch-up.
    load = spawn(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        path.join(pg.binDir, 'pgbench'),
        '-h',
        pg.socketDir,
        '-p',
        String(pg.port),
        '-c',
        '2',
        '-R',
        '30',
        '-T',
        '330',
        'postgres',
      ],
      { stdio: 'ignore' },
    );
    const archivedBefore = Number(await pg.psql('SELECT archived_count FROM pg_stat_archiver'));

    const stoppedAt = Date.now();
    await s3.stopServer();
    let failingAfterMs = -1;
    while (Date.now() - stoppedAt < 90_000) {
      await pg.psql('SELECT pg_switch_wal()');
      const tile = await lagTile();
      if (tile?.level === 'critical') {
        failingAfterMs = Date.now() - stoppedAt;
        expect(tile.reason).toMatch(/failing|could not be archived/i);
        break;
      }
      await new Promise((r) => setTimeout(r, 5_000));
    }
    expect(failingAfterMs, 'capture should show as failing within 90 s').toBeGreaterThan(0);
    console.info(
      `[outage] dashboard showed capture failing ${Math.round(failingAfterMs / 1000)} s after S3 stopped`,
    );

    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))));
    await s3.start();
    await pg.psql('SELECT pg_switch_wal()');
    await expect
      .poll(async () => (await lagTile())?.level, { timeout: 150_000, interval: 5_000 })
      .toBe('ok');
    expect(Number(await pg.psql('SELECT archived_count FROM pg_stat_archiver'))).toBeGreaterThan(
      archivedBefore,
    );

    // No hole: every segment between the first and the last archived one is in the bucket.
    const segments = s3
      .listKeys('kumiko', `kumiko/${serverId}/pgbackrest/archive/main/`)
      .map((k) => /\/([0-9A-F]{24})-[0-9a-f]{40}/.exec(k)?.[1])
      .filter((s): s is string => Boolean(s))
      .map((name) => ({
        tli: name.slice(0, 8),
        n: parseInt(name.slice(8, 16), 16) * 256 + parseInt(name.slice(16), 16),
      }))
      .filter((s) => s.tli === '00000002' || s.tli === '00000001');
    const byTimeline = new Map<string, number[]>();
    for (const s of segments) byTimeline.set(s.tli, [...(byTimeline.get(s.tli) ?? []), s.n]);
    for (const numbers of byTimeline.values()) {
      const sorted = [...new Set(numbers)].sort((a, b) => a - b);
      const first = sorted[0] as number;
      expect(sorted).toEqual(sorted.map((_, i) => first + i));
    }

    // Exactly one failure alert and one recovery notice per channel.
    await expect
      .poll(() => smtp.mails.length, { timeout: 60_000, interval: 2_000 })
      .toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 15_000));
    const mails = smtp.mails.map((m) => m.subject);
    expect(
      mails.filter((s) => /capture/i.test(s)),
      mails.join('\n'),
    ).toHaveLength(2);
    const posts = hooks.to('/alerts').map((r) => r.json as { kind: string; state: string });
    const capture = posts.filter((p) => p.kind === 'capture-failing');
    expect(capture.map((p) => p.state)).toEqual(['open', 'resolved']);
  }, 600_000);
});
