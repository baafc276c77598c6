import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import type {
  AccountabilityList,
  AccountabilityVerdict,
  AgentInstallPlan,
  AgentUninstallResult,
  Catalog,
  Job,
  Result,
  SentScriptRecord,
  Server,
  ServerHealth,
} from '../../shared/contract';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import type { SecretStore } from '../../electron/services/secrets/secret-store';
import { openVault } from '../../electron/services/secrets/vault';
import {
  loadChinook,
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

/**
 * The agent installed over a real sshd onto a real PostgreSQL 15 cluster, shipping to the
 * TLS S3 server with the real pgBackRest and restic: failure leaves the server as it was,
 * success leaves WAL, a backup, a restic snapshot and a signed manifest in the bucket.
 */
describe('agent install over SSH', () => {
  let pg: PostgresCluster;
  let sshd: SshdServer;
  let s3: S3Server;
  let core: AppCore;
  let tmp: string;
  let serverId: string;
  let remoteRoot: string;
  let attached: string;
  let publicKey = '';
  let secrets: SecretStore;
  let autoConfBefore = '';

  async function call<T>(name: string, input: unknown): Promise<T> {
    const result = (await core.dispatch(name, input)) as Result<T>;
    if (!result.ok)
      throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value;
  }

  async function runJob(
    name: string,
    input: unknown,
    onPhase?: (phase: string) => void,
  ): Promise<Job> {
    const stop = core.onEvent((event, payload) => {
      const job = payload as Job;
      if (event === 'job.progress' && job.phase) onPhase?.(job.phase);
    });
    try {
      const { jobId } = await call<{ jobId: string }>(name, input);
      return await core.jobs.wait(jobId);
    } finally {
      stop();
    }
  }

  /**
   * Issue 15 §2: the scripts the job sent (its SHA-256 of each, secrets as placeholders) are
   * the plan's, in the plan's order, and the plan shows no secret the install used.
   */
  async function expectRanAsPlanned(plan: AgentInstallPlan, job: Job): Promise<void> {
    const sent = (job.result as { scripts: SentScriptRecord[] }).scripts;
    const ranNames = new Set(sent.map((x) => x.name));
    const planned = plan.scripts
      .filter((x) => !x.onlyIfRuntimeDiffers || ranNames.has(x.name))
      .map((x) => ({ name: x.name, runAs: x.runAs, sha256: x.sha256 }));
    expect(sent.map((x) => ({ name: x.name, runAs: x.runAs, sha256: x.sha256 }))).toEqual(planned);
    const bundle = fs.readFileSync(path.join(repoRoot, 'dist/agent/kumiko-agent.cjs'));
    const bundleSha = crypto.createHash('sha256').update(bundle).digest('hex');
    expect(plan.agentBundle.sha256).toBe(bundleSha);
    expect(sent.find((x) => x.name === 'upload agent')?.payloadSha256).toBe(bundleSha);
    for (const x of plan.scripts) {
      expect(crypto.createHash('sha256').update(x.script).digest('hex')).toBe(x.sha256);
    }
    const shown = plan.scripts.map((x) => x.script).join('\n');
    // The harness's S3 keys are short words: look for them where a key would stand.
    for (const key of [s3.accessKeyId, s3.secretAccessKey]) {
      for (const where of [
        `repo1-s3-key=${key}\n`,
        `repo1-s3-key-secret=${key}\n`,
        `='${key}'`,
        `: "${key}"`,
      ])
        expect(shown).not.toContain(where);
    }
    for (const name of ['pgbackrest-cipher-pass', 'restic-password']) {
      const secret = (await secrets.get(`agent:${serverId}:${name}`)) as string;
      expect(secret.length).toBeGreaterThan(20);
      expect(shown).not.toContain(secret);
    }
    expect(shown).toContain('repo1-s3-key=<secret: S3 access key ID>');
    expect(shown).toContain('"secretAccessKey": "<secret: S3 secret key>"');
    expect(shown).toContain('repo1-s3-key-secret=<secret: S3 secret key>');
  }

  const setting = async (name: string) =>
    pg.psql(`SELECT setting FROM pg_settings WHERE name = '${name}'`);

  beforeAll(async () => {
    await buildAgentBundle();
    [pg, sshd, s3] = await Promise.all([
      startPostgres(),
      startSshd(),
      startS3({ buckets: ['kumiko'] }),
    ]);
    await loadChinook(pg);
    autoConfBefore = fs.readFileSync(path.join(pg.dataDir, 'postgresql.auto.conf'), 'utf8');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-agent-install-'));
    // A stand-in for the server's '/': traversable like the real one, so postgres can reach /etc.
    fs.chmodSync(tmp, 0o755);
    remoteRoot = path.join(tmp, 'server-root');
    attached = path.join(tmp, 'uploads');
    fs.mkdirSync(attached, { recursive: true });
    for (let i = 0; i < 5; i++)
      fs.writeFileSync(path.join(attached, `invoice-${i}.pdf`), `%PDF-1.4 invoice ${i}\n`);
    secrets = await openVault(path.join(tmp, 'app', 'secrets.vault'), 'agent-install-passphrase');
    core = await createAppCore({
      dataDir: path.join(tmp, 'app'),
      secrets,
      transport: 'cli',
      agentBundlePath: path.join(repoRoot, 'dist/agent/kumiko-agent.cjs'),
      agentRemoteRoot: remoteRoot,
      nodeRuntimeCacheDir: NODE_RUNTIME_CACHE,
    });
    const server = await call<Server>('servers.add', {
      name: 'db1',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'privateKey', privateKey: sshd.clientPrivateKey },
    });
    serverId = server.id;
    await call('servers.trustHostKey', { id: serverId, fingerprint: sshd.hostFingerprint });
    expect((await runJob('servers.connect', { id: serverId })).state).toBe('succeeded');
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
  });

  afterAll(async () => {
    // Stop the agent daemon first: it runs pgBackRest against the cluster.
    const pidFile = path.join(remoteRoot ?? '/nonexistent', 'var/lib/kumiko-agent/agent.pid');
    if (fs.existsSync(pidFile)) {
      spawnSync(await installedAgentNode(remoteRoot), [
        path.join(remoteRoot, 'opt/kumiko-agent/kumiko-agent.cjs'),
        'stop',
        '--config',
        path.join(remoteRoot, 'etc/kumiko-agent/config.json'),
      ]);
    }
    await core?.close();
    // pgBackRest's async archiver outlives its archive_command: stop what this test started.
    for (const pid of pidsWithArgument(remoteRoot ?? '/nonexistent')) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await pg?.stop();
    await sshd?.stop();
    await s3?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('plans the change and refuses to restart PostgreSQL without a yes', async () => {
    const plan = await call<{
      restartRequired: boolean;
      settingsToChange: { name: string }[];
      packagesToInstall: string[];
    }>('agent.plan', {
      serverId,
      dataDirectory: pg.dataDir,
    });
    expect(plan.restartRequired).toBe(true);
    // This machine has pgBackRest, restic and eatmydata (.ci/run): the preflight sees all three.
    expect(plan.packagesToInstall).toEqual([]);
    expect(plan.settingsToChange.map((s) => s.name)).toEqual(
      expect.arrayContaining(['archive_mode', 'archive_command', 'archive_timeout']),
    );
    const job = await runJob('agent.install', { serverId, dataDirectory: pg.dataDir });
    expect(job.error?.code).toBe('RESTART_NOT_CONFIRMED');
    expect(await setting('archive_mode')).toBe('off');
  });

  it('rejects a data directory without PostgreSQL with NO_POSTGRES', async () => {
    await expect(call('agent.plan', { serverId, dataDirectory: tmp })).rejects.toMatchObject({
      code: 'NO_POSTGRES',
    });
  });

  it('leaves the server as it was when S3 is unreachable after the config is written', async () => {
    const before = {
      mode: await setting('archive_mode'),
      command: await setting('archive_command'),
    };
    await s3.stopServer();
    try {
      const job = await runJob('agent.install', {
        serverId,
        dataDirectory: pg.dataDir,
        attachedPaths: [attached],
        confirmRestart: true,
      });
      expect(job.state).toBe('failed');
      expect(job.error?.message).toMatch(/step "stanza"/);
      expect(job.error?.message).toMatch(/restored to its previous state/);
    } finally {
      await s3.start();
    }
    expect(await setting('archive_mode')).toBe(before.mode);
    expect(await setting('archive_command')).toBe(before.command);
    expect(fs.existsSync(path.join(remoteRoot, 'etc/kumiko-agent'))).toBe(false);
    expect(fs.existsSync(path.join(remoteRoot, 'var/lib/kumiko-agent'))).toBe(false);
  }, 240_000);

  it('undoes enabled archiving, with a restart, when the admin cancels late', async () => {
    const before = {
      mode: await setting('archive_mode'),
      command: await setting('archive_command'),
    };
    let jobId = '';
    const stop = core.onEvent((event, payload) => {
      const job = payload as Job;
      if (event === 'job.progress' && job.phase === 'first-backup' && job.id === jobId) {
        void core.dispatch('jobs.cancel', { id: jobId });
      }
    });
    try {
      jobId = (
        await call<{ jobId: string }>('agent.install', {
          serverId,
          dataDirectory: pg.dataDir,
          attachedPaths: [attached],
          confirmRestart: true,
        })
      ).jobId;
      const job = await core.jobs.wait(jobId);
      expect(job.state).toBe('cancelled');
      expect(job.error?.message ?? '').toMatch(/restored|Cancelled/);
    } finally {
      stop();
    }
    expect(await setting('archive_mode')).toBe(before.mode);
    expect(await setting('archive_command')).toBe(before.command);
    expect(fs.existsSync(path.join(remoteRoot, 'etc/kumiko-agent'))).toBe(false);
  }, 240_000);

  it('installs from scratch: WAL, a full backup, a restic snapshot and a signed manifest in the bucket', async () => {
    const request = {
      serverId,
      dataDirectory: pg.dataDir,
      attachedPaths: [attached],
      confirmRestart: true,
      schedule: {
        snapshotAt: '02:30',
        heartbeatIntervalSeconds: 10,
        retentionIntervalSeconds: 86_400,
      },
    };
    const plan = await call<AgentInstallPlan>('agent.plan', request);
    const job = await runJob('agent.install', request);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    await expectRanAsPlanned(plan, job);
    publicKey = (job.result as { publicKey: string }).publicKey;
    expect(publicKey).toMatch(/^ssh-ed25519 /);
    expect(await setting('archive_mode')).toBe('on');
    expect(await setting('archive_timeout')).toBe('60');
    // Recovery points take their checksums in a logical slot's exported snapshot.
    expect(await setting('wal_level')).toBe('logical');
    // The harness reads the postmaster's output through a pipe, as a supervisor would: the
    // restarted postmaster writes to PostgreSQL's own log folder in its data directory, never
    // into the agent's folders (uninstall deletes those).
    const postmaster = fs
      .readFileSync(path.join(pg.dataDir, 'postmaster.pid'), 'utf8')
      .split('\n')[0];
    expect(fs.readlinkSync(`/proc/${postmaster}/fd/2`)).toBe(
      path.join(pg.dataDir, 'log', 'postgresql-restart.log'),
    );

    expect(fs.existsSync(path.join(remoteRoot, 'var/lib/kumiko-agent/pg'))).toBe(false);

    // Load, then make sure a segment is pushed.
    execFileSync(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        '/usr/lib/postgresql/15/bin/pgbench',
        '-i',
        '-s',
        '2',
        '-h',
        pg.socketDir,
        '-p',
        String(pg.port),
        'postgres',
      ],
      { stdio: 'ignore' },
    );
    await pg.psql('SELECT pg_switch_wal()');
    const prefix = `kumiko/${serverId}/`;
    await expect
      .poll(
        () =>
          s3
            .listKeys('kumiko', `${prefix}pgbackrest/archive/`)
            .filter((k) => /\/0000000\w{17}-\w{40}/.test(k)).length,
        {
          timeout: 90_000,
          interval: 2_000,
        },
      )
      .toBeGreaterThan(1);
    expect(
      s3
        .listKeys('kumiko', `${prefix}pgbackrest/backup/main/`)
        .some((k) => /\d{8}-\d{6}F\//.test(k)),
    ).toBe(true);
    expect(s3.listKeys('kumiko', `${prefix}restic/snapshots/`).length).toBeGreaterThan(0);

    // The manifest: signed by the key pinned at install, row counts equal to the database.
    // The newest: the late-cancelled install above may have finished its own first point before
    // the cancel reached it, and its manifest stays, signed by the key its undo removed.
    const manifestKey = s3
      .listKeys('kumiko', bucketLayout.manifestsPrefix(serverId))
      .filter((k) => k.endsWith('.json'))
      .sort()
      .at(-1);
    expect(manifestKey).toBeDefined();
    const object = (key: string) => path.join(s3.dataDir, 'kumiko', `${key}._S3rver_object`);
    const manifestFile = object(manifestKey as string);
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
      databases: { name: string; tables: { table: string; rowCount: number }[] }[];
    };
    const artist = manifest.databases
      .find((d) => d.name === 'chinook')
      ?.tables.find((t) => t.table === 'artist');
    expect(artist?.rowCount).toBe(275);
    const signers = path.join(tmp, 'allowed_signers');
    fs.writeFileSync(signers, `kumiko-agent namespaces="kumiko-manifest" ${publicKey}\n`);
    const verified = spawnSync(
      'ssh-keygen',
      [
        '-Y',
        'verify',
        '-f',
        signers,
        '-I',
        'kumiko-agent',
        '-n',
        'kumiko-manifest',
        '-s',
        object(`${manifestKey}.sig`),
      ],
      { input: fs.readFileSync(manifestFile), encoding: 'utf8' },
    );
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/Good "kumiko-manifest" signature/);
    // The late-cancelled install's first point, where it finished before the cancel, was signed
    // by the key that install's undo destroyed: retired by the undo, the key still vouches for
    // what it signed, so the catalog shows no point as tampered with.
    const catalog = await call<Catalog>('catalog.get', { serverId, refresh: true });
    const signed = catalog.backups.filter((b) => b.manifest);
    expect(signed.length).toBeGreaterThan(0);
    expect(signed.map((b) => b.manifest?.signature)).toEqual(signed.map(() => 'valid'));

    // The scheduler runs with the app gone: the heartbeat in the bucket keeps moving.
    const heartbeatAt = () =>
      (
        JSON.parse(fs.readFileSync(object(bucketLayout.heartbeat(serverId)), 'utf8')) as {
          at: string;
        }
      ).at;
    const first = heartbeatAt();
    await expect.poll(heartbeatAt, { timeout: 40_000, interval: 2_000 }).not.toBe(first);
  });

  it('shows a green dashboard from the live agent', async () => {
    const health = await call<ServerHealth>('status.get', { serverId });
    expect(health.source).toBe('server');
    const lag = health.tiles.find((t) => t.id === 'captureLag');
    expect(lag?.level, JSON.stringify(health.tiles)).toBe('ok');
    expect(health.tiles.find((t) => t.id === 'repository')?.level).toBe('ok');
    expect(health.tiles.find((t) => t.id === 'recoveryPointAge')?.level).toBe('ok');
    const fleet = await call<ServerHealth[]>('status.fleet', {});
    expect(fleet.map((f) => f.serverId)).toContain(serverId);
  });

  it('exports a recovery kit that restores without the app, and takes the acknowledgement', async () => {
    const kit = await call<{ path: string; textPath: string; sha256: string }>(
      'recoveryKit.export',
      {
        serverId,
        outputDirectory: path.join(tmp, 'kits'),
      },
    );
    expect(fs.statSync(kit.path).mode & 0o777).toBe(0o600);
    const text = execFileSync('pdftotext', ['-layout', kit.path, '-'], { encoding: 'utf8' });
    const cipherPass = (await secrets.get(`agent:${serverId}:pgbackrest-cipher-pass`)) as string;
    expect(cipherPass.length).toBeGreaterThan(20);
    const compact = text.replace(/\s+/g, '');
    expect(compact).toContain(cipherPass);
    expect(compact).toContain(s3.secretAccessKey);
    expect(text).toContain('repo1-cipher-type=aes-256-cbc');
    expect(text).toContain('--type=time --target="$RESTORE_TIME" --target-action=promote');
    expect(text).toMatch(/restic --cacert "\$RESTORE_DIR\/storage-ca.pem" restore latest/);
    // The plain-text copy beside the PDF: the same keys, so the same file mode.
    expect(fs.statSync(kit.textPath).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(kit.textPath, 'utf8')).toContain(cipherPass);
    expect(
      (await call<{ acknowledgedAt: string | null }>('recoveryKit.status', { serverId }))
        .acknowledgedAt,
    ).toBeNull();
    await expect(
      call('recoveryKit.acknowledge', { serverId, sha256: '0'.repeat(64) }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await call('recoveryKit.acknowledge', { serverId, sha256: kit.sha256 });
    expect(
      (await call<{ acknowledgedAt: string | null }>('recoveryKit.status', { serverId }))
        .acknowledgedAt,
    ).not.toBeNull();
  });

  it('re-runs idempotently and keeps the agent key', async () => {
    const request = {
      serverId,
      dataDirectory: pg.dataDir,
      attachedPaths: [attached],
      confirmRestart: true,
    };
    const plan = await call<AgentInstallPlan>('agent.plan', request);
    // Archiving is on already: nothing to change, so no ALTER SYSTEM and no restart.
    expect(plan.scripts.map((x) => x.id)).not.toContain('change-settings');
    const job = await runJob('agent.install', request);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    await expectRanAsPlanned(plan, job);
    expect((job.result as { publicKey: string }).publicKey).toBe(publicKey);
  });

  it('uninstalls: capture stops, the agent is gone, every backup stays in the bucket', async () => {
    const before = s3.listKeys('kumiko', `kumiko/${serverId}/pgbackrest/backup/`).length;
    const job = await runJob('agent.uninstall', { serverId });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(fs.existsSync(path.join(remoteRoot, 'etc/kumiko-agent'))).toBe(false);
    // No restart was confirmed: archive_mode stays on until one, and archive_command is 'true'
    // until then (an empty one would keep every WAL segment); the result says both.
    const result = job.result as AgentUninstallResult;
    expect(result.restarted).toBe(false);
    expect(result.restartPending).toBe(true);
    expect(result.interim).toEqual([{ name: 'archive_command', value: 'true' }]);
    expect(await setting('archive_mode')).toBe('on');
    expect(await setting('archive_command')).toBe('true');
    // What the admin is told to do finishes it: restart, then take the interim line out.
    await pg.restart();
    await pg.psql('ALTER SYSTEM RESET archive_command');
    expect(await setting('archive_mode')).toBe('off');
    expect(fs.readFileSync(path.join(pg.dataDir, 'postgresql.auto.conf'), 'utf8')).toBe(
      autoConfBefore,
    );
    expect(
      s3.listKeys('kumiko', `kumiko/${serverId}/pgbackrest/backup/`).length,
    ).toBeGreaterThanOrEqual(before);
  });
  it('recorded each install, cancel, failure and the uninstall in the accountability log', async () => {
    const { entries } = await call<AccountabilityList>('accountability.list', { serverId });
    const oldestFirst = [...entries].reverse();
    const outcomes = oldestFirst
      .filter((e) => e.action.startsWith('agent.') && e.result !== 'started')
      .map((e) => [e.action, e.result, e.errorCode]);
    // Refused without a yes; S3 down: failed; cancelled late; installed; re-run; uninstalled.
    expect(outcomes).toEqual([
      ['agent.install', 'failed', 'RESTART_NOT_CONFIRMED'],
      ['agent.install', 'failed', 'AGENT_INSTALL_FAILED'],
      ['agent.install', 'failed', 'CANCELLED'],
      ['agent.install', 'ok', null],
      ['agent.install', 'ok', null],
      ['agent.uninstall', 'ok', null],
    ]);
    // Each job left an entry when it started and one when it ended, with the same job id (the
    // refusal started no job).
    const started = oldestFirst
      .filter((e) => e.action.startsWith('agent.') && e.result === 'started')
      .map((e) => e.params.jobId);
    const ended = oldestFirst
      .filter((e) => e.action.startsWith('agent.') && e.result !== 'started' && e.params.jobId)
      .map((e) => e.params.jobId);
    expect(started).toEqual(ended);
    expect(oldestFirst.map((e) => e.action)).toEqual(
      expect.arrayContaining(['hostKey.trust', 'storage.save', 'kit.export', 'kit.acknowledge']),
    );
    // Storage saved with its keys: neither key is in the log.
    expect(JSON.stringify(entries)).not.toContain(s3.secretAccessKey);
    expect(await call<AccountabilityVerdict>('accountability.verify', {})).toMatchObject({
      intact: true,
    });
  });
});
