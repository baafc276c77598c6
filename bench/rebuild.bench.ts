import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppCore, type AppCore } from '../electron/ipc/app-core';
import { openVault } from '../electron/services/secrets/vault';
import type { Job, RebuildPlan, RebuildResult, Result, Server } from '../shared/contract';
import {
  chownTo,
  freePort,
  NODE_RUNTIME_CACHE,
  startInstalledAgent,
  startSshd,
  type InstalledAgent,
  type SshdServer,
} from '../test/harness';
import { AGENT_BUNDLE } from '../test/harness/agent-env';
import { stopRebuiltHost } from '../test/harness/rebuilt-host';
import {
  canMakeFreshHosts,
  freshHostImage,
  startFreshHost,
  warmMirror,
  type FreshHost,
} from './fresh-host';
import { installByHand, prepareHandConfig, restoreAndStartByHand } from './hand-rebuild';
import { asPostgres, q, restoreByHand } from './hand-restore';
import { round } from './measure';
import type { BenchSuite } from './suites';

/** pgbench scale 140 ≈ 2.1 GB of data (the issue asks for ≥ 2 GB); KUMIKO_BENCH_SCALE overrides. */
const SCALE = Number(process.env.KUMIKO_BENCH_SCALE ?? 140);
const VAULT_PASSPHRASE = 'bench-rebuild-console';
/** What the issue extrapolates to. */
const TARGET_BYTES = 20e9;

/**
 * Disaster recovery end to end (issue 19): a server with a ≥ 2 GB cluster and a recovery point
 * in the bucket is destroyed; a fresh console imports its recovery kit and `rebuild.start`
 * brings it back on a new host (pre-flight, the agent's restore engine with its verification
 * and the erasure ledger, the cluster put in place and started as the host's own, capture set
 * up again and checked). The new host is a fresh Debian 12 root (bench/fresh-host.ts: made
 * with debootstrap, entered with chroot, its own sshd) without PostgreSQL, pgBackRest or restic.
 * The anchor is what the issue names, by hand on another such host, same machine and bucket:
 * the packages with apt, `pgbackrest restore --set=<label> --type=default` + start until
 * promoted: the rebuild's own target ('latest': replay every archived WAL, then look for more
 * and promote; an immediate stop would skip that search and be cheaper than the work compared),
 * no verification, no attached files and no capture. Both download from Debian's mirror, warmed
 * once before either side. Where this machine cannot make such a host (not root, no
 * debootstrap), both run here, where the packages are installed, and the keys say so
 * (`rebuild.manual_packages_s` is missing).
 *
 * Keys: `rebuild.rto_s`: from the rebuild's start until the database serves on the new host
 * (pre-flight with the packages, restore with verification, place); `rebuild.total_s`: until
 * capture runs again there and was checked; `rebuild.rto_vs_manual`: rto_s over the hand-run
 * packages, restore and start; `rebuild.engine_vs_manual`: the agent's restore, start and
 * replay over the hand's (packages left out of both); `rebuild.manual_packages_s` and
 * `rebuild.preflight_with_packages_s`: apt by hand, and the rebuild's pre-flight with apt;
 * `rebuild.extrapolated_20gb_min`: total_s scaled to 20 GB as if every second of it grew with
 * the data (an upper bound: SSH, pre-flight and the agent's install do not).
 */
export const rebuildSuite: BenchSuite = {
  name: 'rebuild',
  description: `rebuild of pgbench scale ${SCALE} on a new host against a hand-run restore`,
  async run(log) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-bench-rebuild-'));
    fs.chmodSync(work, 0o755);
    chownTo(work, 'postgres');
    let fx: InstalledAgent | undefined;
    let fresh: AppCore | undefined;
    let newHost: SshdServer | FreshHost | undefined;
    // The new host's '/' stand-in, root's own like the real one (the agent refuses a scratch
    // root inside a folder another user can change, and `work` is postgres's for the anchor).
    const newRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-bench-new-host-'));
    let newDataDir = '';
    try {
      log('starting PostgreSQL, sshd and S3, installing the agent…');
      fx = await startInstalledAgent({ chinook: false });
      const { pg } = fx;
      log(`loading pgbench scale ${SCALE}…`);
      await asPostgres(
        `${q(path.join(pg.binDir, 'pgbench'))} -h ${q(pg.socketDir)} -p ${pg.port} -i -q -s ${SCALE} postgres`,
      );
      const clusterBytes = Number(
        await pg.psql('SELECT sum(pg_database_size(datname)) FROM pg_database'),
      );
      log(`cluster ${(clusterBytes / 1e9).toFixed(2)} GB; full recovery point through the agent…`);
      const snap = fx.agent(['snapshot', '--type', 'full']);
      if (snap.code !== 0) throw new Error(`snapshot: ${snap.stderr}`);
      const label = (JSON.parse(snap.stdout) as { label: string }).label;

      // On a fresh Debian root when this machine can make one (root, debootstrap): both sides
      // install the server packages from Debian's mirror first, as on a new server. Else both
      // run where PostgreSQL and pgBackRest are installed already.
      const image = canMakeFreshHosts() ? await freshHostImage(log) : null;
      if (image) await warmMirror(image, ['postgresql-15', 'pgbackrest', 'restic']);
      log(`the anchor: the same restore by hand${image ? ' on a fresh Debian host' : ''}…`);
      // Each side starts with nothing left to write back: the 2 GB the side before wrote
      // (the load, the other restore) would otherwise be flushed during the next one.
      const hand = image
        ? await handOnFreshHost(log, image, fx, label, settleDisk)
        : await handHere(work, fx, label, settleDisk);
      log(
        `by hand: ${hand.seconds.toFixed(1)} s${hand.packageSeconds === null ? '' : ` (packages ${hand.packageSeconds.toFixed(1)} s)`}`,
      );
      const manualSeconds = hand.seconds;

      const kit = await fx.call<{ textPath: string }>('recoveryKit.export', {
        serverId: fx.serverId,
        outputDirectory: path.join(fx.dir, 'kit'),
      });
      const kitText = fs.readFileSync(kit.textPath, 'utf8');
      log('the disaster: the agent, PostgreSQL, its data and sshd go…');
      await destroy(fx);

      fs.chmodSync(newRoot, 0o755);
      const appDir = path.join(newRoot, '..', `${path.basename(newRoot)}-console`);
      fresh = await createAppCore({
        dataDir: appDir,
        secrets: await openVault(path.join(appDir, 'secrets.vault'), VAULT_PASSPHRASE),
        transport: 'cli',
        agentBundlePath: AGENT_BUNDLE,
        // A fresh host is a whole root of its own: the agent's paths are its real ones.
        ...(image ? {} : { agentRemoteRoot: newRoot }),
        nodeRuntimeCacheDir: NODE_RUNTIME_CACHE,
      });
      const core = fresh;
      const call = async <T>(name: string, input: unknown): Promise<T> => {
        const result = (await core.dispatch(name, input)) as Result<T>;
        if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
        return result.value;
      };
      await call('recoveryKit.import', { text: kitText, ownStorage: true });
      newHost = image ? await startFreshHost(image) : await startSshd();
      const hostRoot = 'root' in newHost ? newHost.root : newRoot;
      const host = await call<Server>('servers.add', {
        name: 'rebuilt-db',
        host: newHost.host,
        port: newHost.port,
        user: newHost.user,
        auth: { kind: 'privateKey', privateKey: newHost.clientPrivateKey },
      });
      await call('servers.trustHostKey', { id: host.id, fingerprint: newHost.hostFingerprint });
      const connect = await call<{ jobId: string }>('servers.connect', { id: host.id });
      const connected = await core.jobs.wait(connect.jobId);
      if (connected.state !== 'succeeded') throw new Error('the new host did not connect');

      const request = {
        serverId: fx.serverId,
        target: { kind: 'latest' },
        hostId: host.id,
        port: await freePort(),
      };
      const plan = await call<RebuildPlan>('rebuild.plan', request);
      if (!plan.ready) throw new Error(`rebuild plan not ready: ${JSON.stringify(plan.checks)}`);
      // A fresh host's paths are inside its root, which stops with it.
      if (!image) newDataDir = plan.dataDirectory;
      log('rebuilding on the new host…');
      settleDisk();
      const timeline = phaseTimeline(core);
      const started = await call<{ jobId: string }>('rebuild.start', request);
      const job: Job = await core.jobs.wait(started.jobId);
      log(`where the time went (s from the start, by job and phase): ${timeline.stop()}`);
      const agentLines = agentStepLines(hostRoot);
      for (const line of agentLines) log(`agent: ${line}`);
      if (job.state !== 'succeeded') throw new Error(`rebuild: ${JSON.stringify(job.error)}`);
      const result = job.result as RebuildResult;
      if (!result.checks.every((c) => c.ok)) {
        throw new Error(`rebuild checks failed: ${JSON.stringify(result.checks)}`);
      }
      const s = (phase: string): number => result.seconds[phase] ?? 0;
      log(`phases: ${JSON.stringify(result.seconds)}; total ${result.rtoSeconds} s`);
      const rto = s('preflight') + s('restore') + s('place');
      // An upper bound: every second of the rebuild scaled with the data, fixed costs (SSH,
      // pre-flight, the agent's install) included, which do not grow with it.
      const extrapolated = result.rtoSeconds * (TARGET_BYTES / clusterBytes);
      // The engine's share of the same work the anchor does (pgBackRest's restore, the start,
      // the replay until promoted), from the agent's own step timings: what is left of the RTO
      // is the app's (pre-flight, connecting, the agent's runtime and keys on the host, the
      // checks, the place step).
      const steps = stepSeconds(agentLines.find((l) => l.includes('restore ')) ?? '');
      const engine =
        (steps['pgbackrest restore'] ?? NaN) +
        (steps['configured and started (accepting)'] ?? NaN) +
        (steps['replayed and promoted'] ?? NaN);
      return {
        'rebuild.cluster_gb': round(clusterBytes / 1e9, 2),
        'rebuild.manual_s': round(manualSeconds, 1),
        'rebuild.rto_s': round(rto, 1),
        'rebuild.total_s': round(result.rtoSeconds, 1),
        'rebuild.rto_vs_manual': round(rto / manualSeconds),
        'rebuild.engine_s': round(engine, 1),
        'rebuild.engine_vs_manual': round(engine / hand.restoreSeconds),
        ...(hand.packageSeconds === null
          ? {}
          : {
              'rebuild.manual_packages_s': round(hand.packageSeconds, 1),
              'rebuild.preflight_with_packages_s': round(s('preflight'), 1),
            }),
        'rebuild.extrapolated_20gb_min': round(extrapolated / 60, 1),
      };
    } finally {
      await fresh?.close();
      await stopRebuiltHost(newRoot, newDataDir);
      await newHost?.stop();
      await fx?.stop();
      fs.rmSync(work, { recursive: true, force: true });
      fs.rmSync(newRoot, { recursive: true, force: true });
      fs.rmSync(`${newRoot}-console`, { recursive: true, force: true });
    }
  },
};

/** The anchor's time: all of it, its packages (null: none installed) and the rest. */
interface HandTime {
  seconds: number;
  packageSeconds: number | null;
  restoreSeconds: number;
}

/** Packages, restore and start by hand on a fresh Debian host (bench/hand-rebuild.ts). */
async function handOnFreshHost(
  log: (line: string) => void,
  image: string,
  fx: InstalledAgent,
  label: string,
  settle: () => void,
): Promise<HandTime> {
  const host = await startFreshHost(image);
  try {
    const pgMajor = '15';
    const dataDir = `/var/lib/postgresql/${pgMajor}/main`;
    const conf = prepareHandConfig(
      host,
      path.join(fx.remoteRoot, 'etc/kumiko-agent/pgbackrest.conf'),
      'main',
      dataDir,
    );
    settle();
    const started = Date.now();
    const packageSeconds = await installByHand(host, pgMajor);
    await restoreAndStartByHand(host, {
      conf,
      stanza: 'main',
      label,
      dataDir,
      pgMajor,
      port: await freePort(),
    });
    const seconds = (Date.now() - started) / 1000;
    const restoredAt = Number(
      fs.readFileSync(path.join(host.root, 'var/lib/postgresql/hand/restored-at'), 'utf8'),
    );
    const pgbackrest = restoredAt - started / 1000 - packageSeconds;
    log(
      `by hand: pgbackrest restore ${pgbackrest.toFixed(1)} s, start until promoted ${(seconds - packageSeconds - pgbackrest).toFixed(1)} s`,
    );
    return { seconds, packageSeconds, restoreSeconds: seconds - packageSeconds };
  } finally {
    await host.stop();
  }
}

/** The restore and start by hand on this machine, where the packages are installed. */
async function handHere(
  work: string,
  fx: InstalledAgent,
  label: string,
  settle: () => void,
): Promise<HandTime> {
  settle();
  const started = Date.now();
  const cleanUp = await restoreByHand({
    work,
    conf: path.join(fx.remoteRoot, 'etc/kumiko-agent/pgbackrest.conf'),
    label,
    targetArgs: ['--type=default'],
    binDir: fx.pg.binDir,
  });
  const seconds = (Date.now() - started) / 1000;
  await cleanUp();
  return { seconds, packageSeconds: null, restoreSeconds: seconds };
}

/**
 * When each job's phase was first reported (the rebuild's, and its child restore's: plan,
 * download, replay, verify, files), in seconds from the first event: where the restore's
 * time goes, as the app sees it.
 */
function phaseTimeline(core: AppCore): { stop(): string } {
  const seen = new Map<string, number>();
  let first = 0;
  const unsubscribe = core.onEvent((event, payload) => {
    const job = payload as Job;
    if (event !== 'job.progress' || !job.phase) return;
    const now = Date.now();
    if (!first) first = now;
    // The restore's plan in its steps (catalog and host, then the host's keys): the app's
    // share before the agent starts.
    // The rebuild's pre-flight too: its packages (apt, beside the agent's upload) start at 1.
    const stepped = job.phase === 'plan' || job.phase === 'preflight';
    const key = `${job.kind}:${job.phase}${stepped ? `:${job.done}` : ''}`;
    if (!seen.has(key)) seen.set(key, now);
  });
  return {
    stop() {
      unsubscribe();
      return [...seen].map(([key, at]) => `${key} ${((at - first) / 1000).toFixed(1)}`).join(', ');
    },
  };
}

/** The restore agent's own step timings on the new host (its log, under the host's root). */
function agentStepLines(root: string): string[] {
  try {
    const text = fs.readFileSync(path.join(root, 'var/lib/kumiko-restore/agent.log'), 'utf8');
    return text.split('\n').filter((l) => l.includes('steps (s):'));
  } catch {
    return [];
  }
}

/** `steps (s): plan 0.03, pgbackrest restore 8.68, …` as step → seconds. */
function stepSeconds(line: string): Record<string, number> {
  const list = line.split('steps (s): ')[1] ?? '';
  return Object.fromEntries(
    list.split(', ').map((part) => {
      const at = part.lastIndexOf(' ');
      return [part.slice(0, at), Number(part.slice(at + 1))];
    }),
  );
}

/**
 * Each side starts from the same state: nothing dirty left to write back, and nothing of the
 * repository in the page cache. In a disaster the bucket is off-site, never in this machine's
 * memory; and from ~10 GB on, the side measured first (the hand restore) found the freshly
 * written backup cached while the rebuild, after the 10+ GB the first side wrote, read it from
 * disk (15.7 GB: pgBackRest's restore 26.7 s by hand against 35.8 s in the rebuild).
 * Dropping caches needs root (the bench runs as root, like CI); without it only `sync` runs.
 */
function settleDisk(): void {
  execFileSync('sync');
  try {
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
  } catch {
    // Not root: the sides may differ in what they find cached.
  }
}

/** The old server goes as in a real disaster: no shutdown checkpoint, data and sshd gone. */
async function destroy(fx: InstalledAgent): Promise<void> {
  fx.agent(['stop']);
  const pidFile = path.join(fx.pg.dataDir, 'postmaster.pid');
  const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (postmaster > 1) process.kill(postmaster, 'SIGKILL');
  await fx.pg.stop();
  await fx.sshd.stopServer();
}
