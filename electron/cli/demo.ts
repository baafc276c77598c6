import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DrillReportEntry } from '../../shared/contract';
import {
  freePort,
  loadChinook,
  pidsWithArgument,
  startPostgres,
  startS3,
  startSshd,
  stopAll,
  stopOnSignalsInOrder,
  type PostgresCluster,
  type S3Server,
  type SshdServer,
} from '../../test/harness';
import { AGENT_BUNDLE, buildAgentBundle } from '../../test/harness/agent-env';
import { NODE_RUNTIME_CACHE } from '../../test/harness/node-runtime';
import { buildRenderer } from '../../test/harness/browser';
import { createAppCore, type AppCore } from '../ipc/app-core';
import { openSecrets } from './context';
import { startDemoAgent, stopDemoAgent } from './demo-agent';
import {
  call,
  confirmDemoKit,
  runJob,
  seedDemoServer,
  waitForCoverage,
  writeDemoAttachments,
} from './demo-seed';
import { readDemoState, writeDemoState, type DemoState } from './demo-state';
import { startDemoWriter, type DemoWriter } from './demo-writer';
import { serve, untilInterrupted } from './serve';
import type { WebServer } from '../web/server';

/** WAL coverage the first run waits for, so the timeline has minutes to zoom into. */
const FIRST_COVERAGE_SECONDS = 120;
const BUCKET = 'kumiko-demo';

interface DemoServices {
  pg: PostgresCluster;
  spare: PostgresCluster;
  sshd: SshdServer;
  s3: S3Server;
}

/**
 * `kumiko demo`: a "customer server" on this machine (PostgreSQL 15 with chinook behind a
 * private sshd, a TLS S3 server as its own storage) set up through the console's own commands:
 * agent installed, its recovery kit exported and confirmed, a first recovery point, minutes of captured WAL, one drill report, a second
 * cluster left unprotected for the install wizard, and a writer committing once a second. Then
 * the console in browser mode. Everything lives under `dir`; a later run reuses it (seconds)
 * when its ports are free and the agent bundle is unchanged, otherwise starts afresh. Ctrl-C
 * stops every process it started, by PID.
 */
export async function demo(dir: string, port?: number): Promise<number> {
  const root = path.resolve(dir);
  const started = Date.now();
  const step = (text: string): void => {
    const s = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`• [${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}] ${text}\n`);
  };
  let core: AppCore | null = null;
  let services: DemoServices | null = null;
  let writer: DemoWriter | null = null;
  let web: WebServer | null = null;
  const remoteRoot = path.join(root, 'server-root');
  // Ctrl-C is ours to handle: everything is stopped below, PostgreSQL before its storage.
  stopOnSignalsInOrder();
  try {
    step('building the agent bundle (when its sources changed)');
    await buildAgentBundle();
    const bundleSha256 = sha256(AGENT_BUNDLE);

    let saved = readDemoState(root);
    if (saved && saved.agentBundleSha256 !== bundleSha256) {
      step('the agent changed since the last demo: setting the demo up afresh');
      saved = null;
    }
    let reused = false;
    if (saved) {
      try {
        ({ core, services } = await resume(root, remoteRoot, saved, step));
        reused = true;
      } catch (error) {
        step(`the previous demo cannot be reused (${(error as Error).message}): setting up afresh`);
        await stopEverything(null, remoteRoot, services);
        core = null;
        services = null;
      }
    }
    let state = saved;
    if (!reused) {
      ({ core, state, services } = await setUpAfresh(root, remoteRoot, bundleSha256, step));
    }
    if (!core || !state) throw new Error('the demo has no app core');
    const serverId = state.serverId;

    writer = await startDemoWriter(state.ports.postgres);
    if (!reused) {
      step('running a first restore drill (restores the recovery point into a throwaway copy)');
      await runJob(core, 'drill.start', { serverId }, step);
      step(`waiting for ${FIRST_COVERAGE_SECONDS / 60} minutes of captured WAL on the timeline`);
      await waitForCoverage(core, serverId, FIRST_COVERAGE_SECONDS, step);
      writeDemoState(root, state);
    }
    const reports = await call<DrillReportEntry[]>(core, 'reports.list', { serverId });
    step('building the console');
    const consoleDir = path.join(root, 'console');
    await buildRenderer(consoleDir);
    web = await serve(core, port, consoleDir);
    process.stderr.write(
      `\nThe demo is ready (${Math.round((Date.now() - started) / 1000)} s${reused ? ', reused from the last run' : ''}), kept in ${root}\n` +
        `  Open the console URL above. Try first:\n` +
        `  1. Servers → "Demo (chinook)" → Timeline / Restore: pick a second, restore it into a scratch database.\n` +
        `  2. Drills: ${reports.length} signed report(s); open one, download its PDF, run another drill.\n` +
        `  3. The second cluster (port ${state.ports.spare}) is not protected: try the install wizard on it.\n` +
        `  A writer commits one row a second into chinook.demo_activity, so the timeline moves.\n` +
        `  Press Ctrl-C to stop everything the demo started. \`rm -rf ${dir}\` forgets the demo.\n`,
    );
    await untilInterrupted();
    step('stopping');
    return 0;
  } finally {
    await writer?.stop();
    await web?.close();
    await stopEverything(core, remoteRoot, services);
    step('stopped: nothing the demo started is running any more');
  }
}

/** Starts the services on the saved ports, opens the saved store and brings the agent back. */
async function resume(
  root: string,
  remoteRoot: string,
  saved: DemoState,
  step: (text: string) => void,
): Promise<{ core: AppCore; services: DemoServices }> {
  step('starting the demo server again (PostgreSQL, sshd, S3) on the ports it had');
  const services = await startServices(root, saved.ports);
  const core = await openDemoCore(root, remoteRoot, saved.vaultPassphrase);
  try {
    step('starting the agent daemon and reconnecting');
    await startDemoAgent(remoteRoot);
    await runJob(core, 'servers.connect', { id: saved.serverId }, step);
    await confirmDemoKit(core, saved.serverId, path.join(root, 'recovery-kit'), step);
    return { core, services };
  } catch (error) {
    await core.close();
    await stopEverything(null, remoteRoot, services);
    throw error;
  }
}

async function setUpAfresh(
  root: string,
  remoteRoot: string,
  agentBundleSha256: string,
  step: (text: string) => void,
): Promise<{ core: AppCore; state: DemoState; services: DemoServices }> {
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  fs.chmodSync(root, 0o755);
  const [postgres, spare, sshd, s3] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const ports = { postgres, spare, sshd, s3 };
  step('starting PostgreSQL 15 (chinook and a second, unprotected cluster), sshd and the TLS S3');
  const services = await startServices(root, ports);
  step('loading the chinook sample database');
  await Promise.all([loadChinook(services.pg), seedSpareCluster(services.spare)]);
  const attachedDir = path.join(root, 'uploads');
  writeDemoAttachments(attachedDir);
  const vaultPassphrase = crypto.randomBytes(24).toString('base64url');
  const core = await openDemoCore(root, remoteRoot, vaultPassphrase);
  try {
    const serverId = await seedDemoServer({
      core,
      sshd: services.sshd,
      s3: services.s3,
      s3CaFile: services.s3.caFile,
      bucket: BUCKET,
      dataDirectory: services.pg.dataDir,
      attachedDir,
      kitDir: path.join(root, 'recovery-kit'),
      step,
    });
    const state: DemoState = {
      version: 1,
      ports,
      vaultPassphrase,
      serverId,
      agentBundleSha256,
      createdAt: new Date().toISOString(),
    };
    return { core, state, services };
  } catch (error) {
    await core.close();
    throw error;
  }
}

async function startServices(root: string, ports: DemoState['ports']): Promise<DemoServices> {
  const [pg, spare, sshd, s3] = await Promise.all([
    startPostgres({ baseDir: path.join(root, 'postgres'), port: ports.postgres }),
    startPostgres({ baseDir: path.join(root, 'postgres-spare'), port: ports.spare }),
    startSshd({ baseDir: path.join(root, 'sshd'), port: ports.sshd }),
    startS3({ baseDir: path.join(root, 's3'), buckets: [BUCKET], port: ports.s3 }),
  ]);
  return { pg, spare, sshd, s3 };
}

/** A small second database, so the install wizard has something real to protect. */
async function seedSpareCluster(spare: PostgresCluster): Promise<void> {
  await spare.psql('CREATE DATABASE crm');
  await spare.psql(
    `CREATE TABLE contact (id serial PRIMARY KEY, name text NOT NULL, email text NOT NULL);
     INSERT INTO contact (name, email)
       SELECT 'Contact ' || i, 'contact' || i || '@example.org' FROM generate_series(1, 500) i;`,
    'crm',
  );
}

/** The demo's app store: under the demo folder, the agent installed under its server root. */
async function openDemoCore(
  root: string,
  remoteRoot: string,
  passphrase: string,
): Promise<AppCore> {
  const dataDir = path.join(root, 'app');
  const secrets = await openSecrets(dataDir, passphrase);
  return createAppCore({
    dataDir,
    secrets,
    transport: 'web',
    agentBundlePath: AGENT_BUNDLE,
    agentRemoteRoot: remoteRoot,
    // Kept across demo runs (a fresh setup empties the demo folder): one download per checkout.
    nodeRuntimeCacheDir: NODE_RUNTIME_CACHE,
    log: (line) => process.stderr.write(`${line}\n`),
  });
}

/**
 * Stops the agent daemon (it runs pgBackRest against the cluster), the app core, PostgreSQL
 * (while S3 still answers: its shutdown archives the last WAL, which would hang without the
 * storage, and a postmaster killed after the wait leaves a stale postmaster.pid), then sshd
 * and S3, then pgBackRest's async archivers (they outlive their archive_command).
 */
async function stopEverything(
  core: AppCore | null,
  remoteRoot: string,
  services: DemoServices | null,
): Promise<void> {
  await stopDemoAgent(remoteRoot);
  await core?.close();
  await Promise.all([services?.pg.stop(), services?.spare.stop()]);
  await stopAll();
  // After PostgreSQL: its archiver starts one more archive-push while it shuts down.
  for (const pid of pidsWithArgument(remoteRoot)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
