import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Job, Result, Server, StorageTargetDraft } from '../../shared/contract';
import type { AgentInstallRequest } from '../../shared/contract/agent';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { openVault } from '../../electron/services/secrets/vault';
import { buildAgentBundle, AGENT_BUNDLE } from './agent-env';
import { loadChinook, type ChinookCounts } from './chinook';
import { installedAgentNode, NODE_RUNTIME_CACHE } from './node-runtime';
import { pidsWithArgument } from './proc-table';
import { startPostgres, type PostgresCluster } from './postgres';
import { startS3, type S3Server } from './s3';
import { startSshd, type SshdServer } from './sshd';

/** Options for {@link startInstalledAgent}. */
export interface InstalledAgentOptions {
  /** Load the Chinook sample database (default true). */
  chinook?: boolean;
  /** Create an attached-files folder with a few files and back it up with restic (default true). */
  attachedFiles?: boolean;
  /** Install settings beyond server, cluster, paths and the restart confirmation. */
  install?: Partial<Omit<AgentInstallRequest, 'serverId' | 'dataDirectory'>>;
  /**
   * The storage target to save instead of the harness's s3rver bucket (e.g. radosgw with
   * versioning, Object Lock and keys by role). The s3rver still runs, unused.
   */
  storage?: StorageTargetDraft;
  /** Extra settings for the PostgreSQL cluster (postgresql.conf lines). */
  postgresSettings?: Record<string, string | number>;
  /** Extra sshd_config lines (e.g. a SetEnv every session on the "server" gets). */
  sshdConfig?: string[];
}

/**
 * A "customer server" (PostgreSQL 15 behind a private sshd) with its bucket on the TLS S3
 * server, added to an app core, trusted, connected and with the agent installed over SSH, as
 * an admin would do it through the wizard. Tests that need capture running start here instead
 * of repeating the install steps.
 */
export interface InstalledAgent {
  readonly pg: PostgresCluster;
  readonly sshd: SshdServer;
  readonly s3: S3Server;
  readonly core: AppCore;
  readonly serverId: string;
  readonly bucket: string;
  /** Stand-in for the server's '/', under which the agent installed (etc/, opt/, var/lib/). */
  readonly remoteRoot: string;
  readonly attachedDir: string | undefined;
  readonly chinook: ChinookCounts | undefined;
  /** Temp folder of this fixture (app data dir, vault, remote root). */
  readonly dir: string;
  /** The install job as it finished. */
  readonly installJob: Job;
  /** The node the agent runs on: the runtime the installer uploaded (this machine's is 20). */
  readonly agentNode: string;
  /** Calls a contract command; throws an Error carrying `code` when it fails. */
  call<T>(name: string, input: unknown): Promise<T>;
  /** Starts a job command and waits until it ends; `onProgress` sees every progress event. */
  runJob(name: string, input: unknown, onProgress?: (job: Job) => void): Promise<Job>;
  /** Runs the installed agent bundle with its config: `kumiko-agent <args>`. */
  agent(args: string[]): { code: number | null; stdout: string; stderr: string };
  /** Stops the agent daemon, the async archivers, the app core, PostgreSQL, sshd and S3. */
  stop(): Promise<void>;
}

/** Starts everything and installs the agent; see {@link InstalledAgent}. */
export async function startInstalledAgent(
  options: InstalledAgentOptions = {},
): Promise<InstalledAgent> {
  await buildAgentBundle();
  const [pg, sshd, s3] = await Promise.all([
    startPostgres(options.postgresSettings ? { settings: options.postgresSettings } : {}),
    startSshd(options.sshdConfig ? { extraConfig: options.sshdConfig } : {}),
    startS3({ buckets: ['kumiko'] }),
  ]);
  const chinook = options.chinook === false ? undefined : await loadChinook(pg);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-installed-'));
  // A stand-in for the server's '/': traversable like the real one, so postgres can reach it.
  fs.chmodSync(dir, 0o755);
  const remoteRoot = path.join(dir, 'server-root');
  let attachedDir: string | undefined;
  if (options.attachedFiles !== false) {
    attachedDir = path.join(dir, 'uploads');
    fs.mkdirSync(attachedDir, { recursive: true });
    for (let i = 0; i < 5; i++)
      fs.writeFileSync(path.join(attachedDir, `invoice-${i}.pdf`), `%PDF-1.4 invoice ${i}\n`);
  }
  const secrets = await openVault(path.join(dir, 'app', 'secrets.vault'), 'fixture-passphrase');
  const core = await createAppCore({
    dataDir: path.join(dir, 'app'),
    secrets,
    transport: 'cli',
    agentBundlePath: AGENT_BUNDLE,
    agentRemoteRoot: remoteRoot,
    nodeRuntimeCacheDir: NODE_RUNTIME_CACHE,
  });

  async function call<T>(name: string, input: unknown): Promise<T> {
    const result = (await core.dispatch(name, input)) as Result<T>;
    if (!result.ok)
      throw Object.assign(new Error(`${name}: ${result.error.message}`), {
        code: result.error.code,
        details: result.error.details,
      });
    return result.value;
  }

  async function runJob(
    name: string,
    input: unknown,
    onProgress?: (job: Job) => void,
  ): Promise<Job> {
    const stopListening = core.onEvent((event, payload) => {
      if (event === 'job.progress') onProgress?.(payload as Job);
    });
    try {
      const { jobId } = await call<{ jobId: string }>(name, input);
      return await core.jobs.wait(jobId);
    } finally {
      stopListening();
    }
  }

  const configPath = path.join(remoteRoot, 'etc/kumiko-agent/config.json');
  const bundlePath = path.join(remoteRoot, 'opt/kumiko-agent/kumiko-agent.cjs');
  // Until the install is done: the runtime it uploads on this machine (stop() may run first).
  let agentNode = path.join(remoteRoot, 'opt/kumiko-agent/runtime/bin/node');
  const agent = (args: string[]) => {
    const run = spawnSync(agentNode, [bundlePath, ...args, '--config', configPath], {
      encoding: 'utf8',
      timeout: 600_000,
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  async function stop(): Promise<void> {
    // The daemon first: it runs pgBackRest against the cluster.
    if (fs.existsSync(path.join(remoteRoot, 'var/lib/kumiko-agent/agent.pid'))) agent(['stop']);
    await core.close();
    // pgBackRest's async archiver outlives its archive_command: stop what this fixture started.
    for (const pid of pidsWithArgument(remoteRoot)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await pg.stop();
    await sshd.stop();
    await s3.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  try {
    const server = await call<Server>('servers.add', {
      name: 'db1',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'privateKey', privateKey: sshd.clientPrivateKey },
    });
    await call('servers.trustHostKey', { id: server.id, fingerprint: sshd.hostFingerprint });
    const connected = await runJob('servers.connect', { id: server.id });
    if (connected.state !== 'succeeded') throw new Error(`connect: ${connected.error?.message}`);
    await call('storage.save', {
      serverId: server.id,
      target: options.storage ?? {
        endpoint: s3.endpoint,
        bucket: 'kumiko',
        region: s3.region,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        ownStorage: true,
        caCertificate: fs.readFileSync(s3.caFile, 'utf8'),
      },
    });
    const installJob = await runJob('agent.install', {
      ...options.install,
      serverId: server.id,
      dataDirectory: pg.dataDir,
      attachedPaths: attachedDir ? [attachedDir] : [],
      confirmRestart: true,
    });
    if (installJob.state !== 'succeeded')
      throw new Error(`agent install: ${installJob.error?.code} ${installJob.error?.message}`);
    agentNode = await installedAgentNode(remoteRoot);
    return {
      pg,
      sshd,
      s3,
      core,
      serverId: server.id,
      bucket: options.storage?.bucket ?? 'kumiko',
      remoteRoot,
      attachedDir,
      chinook,
      dir,
      installJob,
      agentNode,
      call,
      runJob,
      agent,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
