import fs from 'node:fs';
import path from 'node:path';
import type { Catalog, Job, Result, Server } from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';

/** What the demo's first run sets up through the console's own commands. */
export interface DemoSeedInput {
  core: AppCore;
  sshd: {
    host: string;
    port: number;
    user: string;
    clientPrivateKey: string;
    hostFingerprint: string;
  };
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  s3CaFile: string;
  bucket: string;
  dataDirectory: string;
  attachedDir: string;
  /** Where the demo keeps the exported recovery kit. */
  kitDir: string;
  step: (text: string) => void;
}

/** Calls a contract command the way the console does; a refusal becomes an Error with its code. */
export async function call<T>(core: AppCore, name: string, input: unknown): Promise<T> {
  const result = (await core.dispatch(name, input)) as Result<T>;
  if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Starts a job command and waits for its end, printing its phase changes as progress. */
export async function runJob(
  core: AppCore,
  name: string,
  input: unknown,
  step: (text: string) => void,
): Promise<Job> {
  const { jobId } = await call<{ jobId: string }>(core, name, input);
  let lastPhase: string | null = null;
  const stop = core.onEvent((event, payload) => {
    const job = payload as Job;
    if (event !== 'job.progress' || job.id !== jobId || !job.phase || job.phase === lastPhase)
      return;
    lastPhase = job.phase;
    step(`  ${job.phase}`);
  });
  try {
    const job = await core.jobs.wait(jobId);
    if (job.state !== 'succeeded')
      throw new Error(`${name}: ${job.state}: ${job.error?.message ?? 'no reason given'}`);
    return job;
  } finally {
    stop();
  }
}

/**
 * Registers the demo server (its host key pinned: the demo made that key itself, which is the
 * out-of-band check a real admin does by comparing fingerprints), connects, saves the storage
 * target (the demo S3 with its private CA, as the customer's own storage) and installs the
 * agent on the chinook cluster with the attached-files folder. The install takes the first
 * recovery point. Returns the server's id.
 */
export async function seedDemoServer(input: DemoSeedInput): Promise<string> {
  const { core, sshd, s3, step } = input;
  step('registering the demo server and pinning its host key');
  const server = await call<Server>(core, 'servers.add', {
    name: 'Demo (chinook)',
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    auth: { kind: 'privateKey', privateKey: sshd.clientPrivateKey },
  });
  await call(core, 'servers.trustHostKey', { id: server.id, fingerprint: sshd.hostFingerprint });
  await runJob(core, 'servers.connect', { id: server.id }, step);
  step('saving the storage target (demo S3 with its private CA, own storage)');
  await call(core, 'storage.save', {
    serverId: server.id,
    target: {
      endpoint: s3.endpoint,
      bucket: input.bucket,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      ownStorage: true,
      caCertificate: fs.readFileSync(input.s3CaFile, 'utf8'),
    },
  });
  step('installing the agent and taking the first recovery point');
  await runJob(
    core,
    'agent.install',
    {
      serverId: server.id,
      dataDirectory: input.dataDirectory,
      attachedPaths: [input.attachedDir],
      confirmRestart: true,
    },
    step,
  );
  await confirmDemoKit(core, server.id, input.kitDir, step);
  return server.id;
}

/**
 * Exports the recovery kit and confirms it, as an admin does after setup: until then the server
 * does not count as protected (issue 15 §3). A demo from before the gate is confirmed on its
 * next start. Everything here is one machine, so the kit stays in the demo folder; a real
 * admin prints it or stores it away from the server.
 */
export async function confirmDemoKit(
  core: AppCore,
  serverId: string,
  kitDir: string,
  step: (text: string) => void,
): Promise<void> {
  const status = await call<{ acknowledgedAt: string | null }>(core, 'recoveryKit.status', {
    serverId,
  });
  if (status.acknowledgedAt) return;
  step(`exporting the recovery kit to ${kitDir} and confirming it is stored`);
  const kit = await call<{ sha256: string }>(core, 'recoveryKit.export', {
    serverId,
    outputDirectory: kitDir,
  });
  await call(core, 'recoveryKit.acknowledge', { serverId, sha256: kit.sha256 });
}

/** A few "uploaded" files for restic to back up beside the database. */
export function writeDemoAttachments(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (let i = 1; i <= 5; i++) {
    fs.writeFileSync(
      path.join(dir, `invoice-${String(i).padStart(4, '0')}.pdf`),
      `%PDF-1.4\n% Kumiko demo invoice ${i}\n`,
    );
  }
}

/** Seconds of restorable time the catalog shows (0 when none yet). */
export function coverageSeconds(catalog: Catalog): number {
  if (!catalog.firstRestorable || !catalog.lastRestorable) return 0;
  return Math.max(
    0,
    (Date.parse(catalog.lastRestorable) - Date.parse(catalog.firstRestorable)) / 1000,
  );
}

/**
 * Waits until the timeline shows `seconds` of captured WAL (the writer commits each second and
 * PostgreSQL switches segments every `archive_timeout`), printing how far it is.
 */
export async function waitForCoverage(
  core: AppCore,
  serverId: string,
  seconds: number,
  step: (text: string) => void,
  timeoutMs = 300_000,
): Promise<Catalog> {
  const deadline = Date.now() + timeoutMs;
  let shown = -1;
  for (;;) {
    const catalog = await call<Catalog>(core, 'catalog.get', { serverId, refresh: true });
    const covered = Math.floor(coverageSeconds(catalog));
    if (covered >= seconds) return catalog;
    if (Date.now() > deadline)
      throw new Error(`only ${covered} s of captured WAL after ${timeoutMs / 1000} s`);
    if (Math.floor(covered / 30) !== Math.floor(shown / 30)) {
      step(`  captured WAL so far: ${covered} s of ${seconds} s (archived once a minute)`);
      shown = covered;
    }
    await new Promise((r) => setTimeout(r, 5_000));
  }
}
