import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import type {
  AgentInstallPlan,
  Job,
  Result,
  SentScriptRecord,
  Server,
} from '../../shared/contract';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { remoteLayout, type RemoteLayout } from '../../electron/services/agent-install/layout';
import { resolveRuntimeTarball } from '../../electron/services/node-runtime/resolve-runtime';
import { NODE_RUNTIME_VERSION } from '../../electron/services/node-runtime/runtime-pin';
import { openVault } from '../../electron/services/secrets/vault';
import {
  isAlive,
  NODE_RUNTIME_CACHE as RUNTIME_CACHE,
  pidsWithArgument,
  pinnedRuntimeTarball,
  repoRoot,
  startPostgres,
  startS3,
  startSshd,
  type PostgresCluster,
  type S3Server,
  type SshdServer,
} from '../harness';
import { buildAgentBundle } from '../harness/agent-env';

/**
 * A server whose `node` is v20 (end-of-life since April 2026; the floor is 22): the
 * installer uploads the pinned Node.js runtime over SSH and every agent process runs on it; a
 * re-install does not upload it again; uninstall removes it. Real sshd, PostgreSQL 15, TLS S3,
 * pgBackRest, and the real npm tarball.
 */
describe('agent install with an uploaded Node runtime', () => {
  let pg: PostgresCluster;
  let sshd: SshdServer;
  let s3: S3Server;
  let core: AppCore;
  let tmp: string;
  let remoteRoot: string;
  let layout: RemoteLayout;
  let serverId: string;

  async function call<T>(name: string, input: unknown): Promise<T> {
    const result = (await core.dispatch(name, input)) as Result<T>;
    if (!result.ok)
      throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value;
  }

  /** Runs a job; returns it with the time each phase was first reported. */
  async function runJob(
    name: string,
    input: unknown,
  ): Promise<Job & { phases: Map<string, number> }> {
    const phases = new Map<string, number>();
    let jobId = '';
    const stop = core.onEvent((event, payload) => {
      const job = payload as Job;
      if (event === 'job.progress' && job.id === jobId && job.phase && !phases.has(job.phase))
        phases.set(job.phase, Date.now());
    });
    try {
      jobId = (await call<{ jobId: string }>(name, input)).jobId;
      return Object.assign(await core.jobs.wait(jobId), { phases });
    } finally {
      stop();
    }
  }

  const request = () => ({
    serverId,
    dataDirectory: pg.dataDir,
    confirmRestart: true,
    schedule: {
      snapshotAt: '02:30',
      heartbeatIntervalSeconds: 10,
      retentionIntervalSeconds: 86_400,
    },
  });
  const install = () => runJob('agent.install', request());

  /**
   * Issue 15 §2: what the job sent (name, user, SHA-256 with secrets as placeholders) is the
   * plan's list, the runtime steps only where the runtime had to be uploaded; returns the
   * names sent.
   */
  async function expectRanAsPlanned(plan: AgentInstallPlan, job: Job): Promise<string[]> {
    const sent = (job.result as { scripts: SentScriptRecord[] }).scripts;
    const names = new Set(sent.map((x) => x.name));
    const planned = plan.scripts.filter((x) => !x.onlyIfRuntimeDiffers || names.has(x.name));
    const pick = (x: { name: string; runAs: string; sha256: string }) => ({
      name: x.name,
      runAs: x.runAs,
      sha256: x.sha256,
    });
    expect(sent.map(pick)).toEqual(planned.map(pick));
    return sent.map((x) => x.name);
  }

  const daemonPid = (): number =>
    Number(fs.readFileSync(path.join(layout.stateDir, 'agent.pid'), 'utf8').trim());

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-agent-runtime-'));
    // A stand-in for the server's '/': traversable like the real one, so postgres can reach /etc.
    fs.chmodSync(tmp, 0o755);
    remoteRoot = path.join(tmp, 'server-root');
    layout = remoteLayout(remoteRoot);
    // The server's `node`: answers --version like Node 20 and runs nothing.
    const oldNode = path.join(tmp, 'old-node');
    fs.mkdirSync(oldNode);
    fs.writeFileSync(
      path.join(oldNode, 'node'),
      '#!/bin/sh\n[ "$1" = --version ] && { echo v20.20.2; exit 0; }\necho "node 20 stand-in: $*" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    await buildAgentBundle();
    [pg, sshd, s3] = await Promise.all([
      startPostgres(),
      startSshd({ sessionPath: [oldNode, '/usr/sbin', '/usr/bin', '/sbin', '/bin'] }),
      startS3({ buckets: ['kumiko'] }),
    ]);
    core = await createAppCore({
      dataDir: path.join(tmp, 'app'),
      secrets: await openVault(path.join(tmp, 'app', 'secrets.vault'), 'agent-runtime-passphrase'),
      transport: 'cli',
      agentBundlePath: path.join(repoRoot, 'dist/agent/kumiko-agent.cjs'),
      agentRemoteRoot: remoteRoot,
      nodeRuntimeCacheDir: RUNTIME_CACHE,
    });
    const server = await call<Server>('servers.add', {
      name: 'old-node',
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
    if (layout && fs.existsSync(path.join(layout.stateDir, 'agent.pid'))) {
      spawnSync(layout.bundledNodePath, [layout.bundlePath, 'stop', '--config', layout.configPath]);
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

  it('plans the upload instead of refusing', async () => {
    const plan = await call<{ uploadsNodeRuntime: boolean; warnings: string[] }>('agent.plan', {
      serverId,
      dataDirectory: pg.dataDir,
    });
    expect(plan.uploadsNodeRuntime).toBe(true);
    expect(plan.warnings.join(' ')).not.toMatch(/Node/);
  });

  it('removes the runtime again when the admin cancels while it is installed', async () => {
    let jobId = '';
    const stop = core.onEvent((event, payload) => {
      const job = payload as Job;
      // Into the upload of the pieces, which the server unpacks as they arrive (~1 s).
      if (event === 'job.progress' && job.id === jobId && job.phase === 'runtime')
        setTimeout(() => void core.dispatch('jobs.cancel', { id: jobId }), 1_000);
    });
    try {
      jobId = (
        await call<{ jobId: string }>('agent.install', {
          serverId,
          dataDirectory: pg.dataDir,
          confirmRestart: true,
        })
      ).jobId;
      const job = await core.jobs.wait(jobId);
      expect(job.state).toBe('cancelled');
      expect(job.phase).toBe('runtime');
    } finally {
      stop();
    }
    expect(fs.existsSync(layout.libDir)).toBe(false);
  });

  it('uploads the runtime and runs the first backup and the daemon on it', async () => {
    const plan = await call<AgentInstallPlan>('agent.plan', request());
    const job = await install();
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(await expectRanAsPlanned(plan, job)).toContain('upload Node runtime');
    const upload = plan.scripts.find((x) => x.id === 'upload-runtime');
    expect(
      (job.result as { scripts: SentScriptRecord[] }).scripts.find(
        (x) => x.name === 'upload Node runtime',
      )?.payloadSha256,
    ).toBe(upload?.payload?.sha256);
    expect([...job.phases.keys()]).toEqual(
      expect.arrayContaining(['packages', 'runtime', 'files', 'first-backup', 'verify']),
    );
    const runtimeMs = (job.phases.get('files') ?? 0) - (job.phases.get('runtime') ?? 0);
    const tarball = fs
      .readdirSync(RUNTIME_CACHE)
      .find((f) => f.endsWith(`-${NODE_RUNTIME_VERSION}.tgz`)) as string;
    const size = fs.statSync(path.join(RUNTIME_CACHE, tarball)).size;
    console.info(
      `runtime phase (resolve + upload + unpack): ${runtimeMs} ms, tarball ${size} bytes`,
    );

    const version = spawnSync(layout.bundledNodePath, ['--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(`v${NODE_RUNTIME_VERSION}`);
    // Only the binary and its licence are unpacked, no headers.
    expect(fs.readdirSync(layout.runtimeDir).sort()).toEqual([
      'LICENSE',
      'bin',
      'kumiko-runtime.txt',
    ]);
    expect(fs.readdirSync(layout.libDir).sort()).toEqual(['kumiko-agent.cjs', 'runtime']);

    // The supervised daemon (and so its workers, via process.execPath) runs the uploaded node.
    const pid = daemonPid();
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(argv[0]).toBe(layout.bundledNodePath);
    expect(argv).toContain('supervise');
    expect(pidsWithArgument(layout.bundledNodePath)).toContain(pid);
    // The first backup ran on it too: its signed manifest is in the bucket.
    expect(
      s3
        .listKeys('kumiko', bucketLayout.manifestsPrefix(serverId))
        .some((k) => k.endsWith('.json')),
    ).toBe(true);
    const status = await call<{ source: string }>('status.get', { serverId });
    expect(status.source).toBe('server');
  });

  it('re-runs without uploading the same runtime again', async () => {
    const before = fs.statSync(layout.bundledNodePath);
    const plan = await call<AgentInstallPlan>('agent.plan', request());
    const job = await install();
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const sent = await expectRanAsPlanned(plan, job);
    expect(sent).toContain('check Node runtime');
    expect(sent).not.toContain('upload Node runtime');
    expect(job.phases.has('runtime')).toBe(true);
    const after = fs.statSync(layout.bundledNodePath);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    const runtimeMs = (job.phases.get('files') ?? 0) - (job.phases.get('runtime') ?? 0);
    console.info(`runtime phase on re-install (already there): ${runtimeMs} ms`);
  });

  it('uninstalls: the daemon stops and the runtime is gone with the agent folder', async () => {
    const pid = daemonPid();
    const job = await runJob('agent.uninstall', { serverId });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    await expect.poll(() => isAlive(pid), { timeout: 15_000, interval: 200 }).toBe(false);
    expect(fs.existsSync(layout.libDir)).toBe(false);
    expect(pidsWithArgument(layout.bundledNodePath)).toEqual([]);
  });
});

describe('the verified runtime tarball, remembered per app', () => {
  it('is hashed once while the file stays the same, and verified again once it changed', async () => {
    const pinned = await pinnedRuntimeTarball();
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-runtime-memo-'));
    try {
      const file = path.join(cacheDir, path.basename(pinned.path));
      fs.copyFileSync(pinned.path, file);
      const sources = { cacheDir, registry: 'https://127.0.0.1:9' };
      const first = await resolveRuntimeTarball(pinned.arch, sources);
      expect(first.sha256).toBe(pinned.sha256);
      const again = await resolveRuntimeTarball(pinned.arch, sources);
      expect(again).toBe(first);
      // Another app core (its own sources) verifies for itself.
      expect(await resolveRuntimeTarball(pinned.arch, { ...sources })).not.toBe(first);
      // The same size, other bytes: the remembered digest is not taken for it.
      const fd = fs.openSync(file, 'r+');
      const byte = Buffer.alloc(1);
      fs.readSync(fd, byte, 0, 1, 1000);
      fs.writeSync(fd, Buffer.from([(byte[0] ?? 0) ^ 0xff]), 0, 1, 1000);
      fs.closeSync(fd);
      await expect(resolveRuntimeTarball(pinned.arch, sources)).rejects.toMatchObject({
        message: expect.stringMatching(/pinned checksum/),
      });
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
