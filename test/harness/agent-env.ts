import crypto from 'node:crypto';
import { freePort } from './ports';
import { DrillSettings } from '../../shared/agent/drill';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { loadChinook, type ChinookCounts } from './chinook';
import { agentNode } from './node-runtime';
import { repoRoot } from './paths';
import {
  writePgBackRestConfig,
  runPgBackRest,
  setArchiving,
  type PgBackRestConfig,
} from './pgbackrest';
import { startPostgres, type PostgresCluster } from './postgres';
import { runCommand, type CommandResult } from './processes';
import { registerCleanup } from './registry';
import { startS3, type S3Server } from './s3';

/** The agent bundle the tests run (built by {@link buildAgentBundle}). */
export const AGENT_BUNDLE = path.join(repoRoot, 'dist', 'agent', 'kumiko-agent.cjs');

/**
 * Builds dist/agent/kumiko-agent.cjs with the project's build script (proves the bundle
 * works) unless it is newer than every source it is made of. `npm test` builds once up front,
 * so test files running side by side never rewrite the bundle under each other.
 */
export async function buildAgentBundle(): Promise<void> {
  if (bundleIsFresh()) return;
  await runCommand(process.execPath, ['scripts/build-node.mjs'], {
    cwd: repoRoot,
    name: 'build-node',
    timeoutMs: 120_000,
  });
}

function bundleIsFresh(): boolean {
  let built: number;
  try {
    built = fs.statSync(AGENT_BUNDLE).mtimeMs;
  } catch {
    return false;
  }
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return Math.max(max, newest(full));
      return entry.name.endsWith('.ts') ? Math.max(max, fs.statSync(full).mtimeMs) : max;
    }, 0);
  return (
    built > Math.max(...['agent', 'node', 'shared'].map((d) => newest(path.join(repoRoot, d))))
  );
}

/** Options for {@link startAgentEnv}. */
export interface AgentEnvOptions {
  chinook?: boolean;
  /** Extra [global] pgBackRest options (e.g. archive-timeout). */
  pgbackrestGlobal?: Record<string, string | number | boolean>;
  /** Changes to the generated agent config (schedule, retention, alerts …). */
  config?: (config: AgentConfig) => AgentConfig;
  /** Attached files for restic; default a folder with a few files. False: none. */
  attachedFiles?: boolean;
  /**
   * Puts something between the clients and the S3 server (the fault suite's proxy): pgBackRest,
   * restic and the agent are configured with the S3 server this returns.
   */
  s3Front?: (s3: S3Server) => Promise<S3Server>;
}

/** A "customer server" with the agent configured as the installer would configure it. */
export interface AgentEnv {
  readonly pg: PostgresCluster;
  readonly s3: S3Server;
  readonly pgbackrest: PgBackRestConfig;
  readonly config: AgentConfig;
  readonly configPath: string;
  readonly serverId: string;
  readonly stanza: string;
  readonly dir: string;
  readonly attachedDir: string | undefined;
  readonly chinook: ChinookCounts | undefined;
  /** OpenSSH public key line of the agent's signing key. */
  readonly publicKeyLine: string;
  /** The Node.js the agent runs on (the pinned runtime: the Node running the tests is older). */
  readonly node: string;
  /** The app's key (PKCS#8 PEM) that signs GDPR ledger entries; its public half is pinned in config.gdpr. */
  readonly ledgerSigningKeyPem: string;
  /** Runs the bundled agent: `node kumiko-agent.cjs <args> --config <configPath>`. */
  agent(args: string[], timeoutMs?: number): Promise<CommandResult>;
  /** Runs restic against the env's repository (e.g. ['snapshots', '--json']). */
  restic(args: string[]): Promise<CommandResult>;
  /** An object's bytes, read from s3rver's data folder. */
  object(key: string): Buffer;
  keys(prefix: string): string[];
  /** Rewrites the agent config file. */
  writeConfig(config: AgentConfig): void;
  stop(): Promise<void>;
}

function sshPublicKeyLine(publicKey: crypto.KeyObject, comment: string): string {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const str = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}

/**
 * PostgreSQL (optionally with Chinook) + TLS S3 + pgBackRest (stanza created, async archiving
 * on) + an initialised restic repository + an Ed25519 signing key + an agent config with the
 * state dir in a temp folder. Everything is stopped by stop() or stopAll().
 */
export async function startAgentEnv(options: AgentEnvOptions = {}): Promise<AgentEnv> {
  const serverId = crypto.randomUUID();
  const stanza = 'main';
  const node = await agentNode();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-agent-'));
  const [pg, s3server] = await Promise.all([startPostgres(), startS3({ buckets: ['kumiko'] })]);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    unregister();
    await pg.stop();
    await s3server.stop();
    if (process.env.KUMIKO_KEEP_TEST_DIRS !== '1') fs.rmSync(dir, { recursive: true, force: true });
  };
  const unregister = registerCleanup({ name: `agent env ${dir}`, stop, killNow: () => undefined });
  try {
    const s3 = options.s3Front ? await options.s3Front(s3server) : s3server;
    const pgbackrest = writePgBackRestConfig({
      pg,
      s3,
      stanza,
      repoPath: bucketLayout.pgbackrestPath(serverId),
      // As the installer writes it: the agent's GFS retention decides, not pgBackRest's count.
      // Bundling keeps a backup to a few objects, so the tests' backups take seconds.
      global: { 'repo1-retention-full': 9999, 'repo1-bundle': true, ...options.pgbackrestGlobal },
    });
    const chinook = options.chinook ? await loadChinook(pg) : undefined;
    await runPgBackRest(pgbackrest, [`--stanza=${stanza}`, 'stanza-create'], { check: true });
    await setArchiving(pg, pgbackrest, stanza);

    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const signingKeyFile = path.join(dir, 'agent-signing.key');
    fs.writeFileSync(signingKeyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      mode: 0o600,
    });
    const publicKeyLine = sshPublicKeyLine(publicKey, `kumiko-agent@${serverId}`);
    // The app's key that signs GDPR ledger entries, pinned in the agent config with the ledger key.
    const appKey = crypto.generateKeyPairSync('ed25519');
    const ledgerSigningKeyPem = appKey.privateKey
      .export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const ledgerKey = crypto.randomBytes(32).toString('hex');
    const passwordFile = path.join(dir, 'restic.pass');
    fs.writeFileSync(passwordFile, crypto.randomBytes(24).toString('base64url'), { mode: 0o600 });
    let attachedDir: string | undefined;
    if (options.attachedFiles !== false) {
      attachedDir = path.join(dir, 'attached');
      fs.mkdirSync(path.join(attachedDir, 'invoices'), { recursive: true });
      fs.writeFileSync(path.join(attachedDir, 'invoices', 'INV-1.pdf'), crypto.randomBytes(4096));
      fs.writeFileSync(path.join(attachedDir, 'invoices', 'INV-2.pdf'), crypto.randomBytes(8192));
      fs.writeFileSync(path.join(attachedDir, 'audit.log'), 'login alice\nlogout alice\n');
    }
    const base: AgentConfig = {
      version: 1,
      serverId,
      stanza,
      stateDir: path.join(dir, 'state'),
      pg: {
        version: '15',
        dataDirectory: pg.dataDir,
        port: pg.port,
        socketDirectory: pg.socketDir,
        binDirectory: pg.binDir,
        osUser: 'postgres',
      },
      pgbackrest: { configPath: pgbackrest.configPath },
      s3: {
        endpoint: s3.endpoint,
        bucket: 'kumiko',
        region: s3.region,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        caFile: s3.caFile,
        prefix: bucketLayout.prefix(serverId),
      },
      restic: {
        repository: `s3:${s3.endpoint}/kumiko/${bucketLayout.resticPath(serverId)}`,
        passwordFile,
        paths: attachedDir ? [attachedDir] : [],
      },
      signingKeyFile,
      gdpr: { ledgerKey, signerKey: sshPublicKeyLine(appKey.publicKey, 'kumiko-app@test') },
      schedule: {
        snapshotAt: '02:30',
        heartbeatIntervalSeconds: 60,
        retentionIntervalSeconds: 86_400,
      },
      retention: { daily: 7, weekly: 4, monthly: 3, pitrDays: 30 },
      alerts: { webhooks: [], captureLagSeconds: 300, recoveryPointMaxAgeHours: 26 },
      // A port of its own: test files run side by side, and two drills scanning up from
      // 55432 at the same moment would race for one port.
      drill: DrillSettings.parse({ scratchRoot: path.join(dir, 'drills'), port: await freePort() }),
    };
    const config = options.config ? options.config(base) : base;
    const configPath = path.join(dir, 'config.json');
    const writeConfig = (c: AgentConfig): void =>
      fs.writeFileSync(configPath, JSON.stringify(c, null, 2), { mode: 0o600 });
    writeConfig(config);

    const resticEnv = {
      ...process.env,
      RESTIC_REPOSITORY: config.restic.repository,
      RESTIC_PASSWORD_FILE: passwordFile,
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      RESTIC_CACHE_DIR: path.join(dir, 'restic-cache-test'),
    };
    const restic = (args: string[]): Promise<CommandResult> =>
      runCommand('restic', ['--cacert', s3.caFile, ...args], {
        env: resticEnv,
        name: `restic ${args[0]}`,
        timeoutMs: 60_000,
      });
    if (attachedDir) await restic(['init']);

    const keyFile = (key: string): string =>
      path.join(s3.dataDir, 'kumiko', `${key}._S3rver_object`);
    return {
      pg,
      s3,
      pgbackrest,
      config,
      configPath,
      serverId,
      stanza,
      dir,
      attachedDir,
      chinook,
      publicKeyLine,
      node,
      ledgerSigningKeyPem,
      agent: (args, timeoutMs = 170_000) =>
        runCommand(node, [AGENT_BUNDLE, ...args, '--config', configPath], {
          name: `kumiko-agent ${args[0]}`,
          check: false,
          timeoutMs,
        }),
      restic,
      object: (key) => fs.readFileSync(keyFile(key)),
      keys: (prefix) => s3.listKeys('kumiko', prefix),
      writeConfig,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
