import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Job,
  ProductionRestorePlan,
  ProductionRestoreResult,
  ScratchEnvironment,
} from '../../shared/contract';
import { startInstalledAgent, type InstalledAgent } from '../harness/installed-agent';
import { isAlive, pidsWithArgument } from '../harness/proc-table';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Issue 15 §2 for the one restore engine (the agent, issue 15 §1): the postgres OS user (so any
// database superuser, through COPY … TO PROGRAM) must not get root through an app restore. The
// agent (root) makes each scratch environment like a drill's: its own 0711 folder, the data
// directory, WAL staging, pgBackRest and socket folders the cluster user's. Here postgres,
// from the moment it sees a restore running (pgBackRest's command line, as any local user can
// read it in /proc), plants what would make root read, write, delete or signal outside:
// - during a restore, the restored pg_hba.conf swapped for a symlink to a root-only file (root
//   reads it to write the scratch cluster's own pg_hba.conf, a file postgres can read);
// - in a kept environment, before the admin drops it, postmaster.pid naming an innocent root
//   process, symlinks to root's files in every folder it owns, and a trap for a recursive
//   delete (setTrap: when a delete has begun inside a folder, postgres swaps the folder above
//   it for a symlink to a root-only folder, and a delete that goes on by path lands there);
// - the same trap in the work folder a restore over production leaves (its socket folder is
//   postgres's), sprung by the next restore over production.
// Root's files stay as they were, the innocent process lives, each restore succeeds or fails
// with a sentence naming the planted file, and a drop the trap makes fail says so and the next
// drop removes the environment. Runs end to end through the app core with a writer committing
// to production.

let fx: InstalledAgent;
let load: WriteLoad;
let victims: string;
let scratchRoot: string;
let stateDir: string;
const attackers: ChildProcess[] = [];
const timings: Record<string, number> = {};

beforeAll(async () => {
  const t0 = Date.now();
  fx = await startInstalledAgent({ chinook: false, attachedFiles: false });
  timings.install_s = (Date.now() - t0) / 1000;
  stateDir = path.join(fx.remoteRoot, 'var/lib/kumiko-agent');
  scratchRoot = path.join(stateDir, 'scratch');
  load = await startWriteLoad(fx.pg, { markerDb: 'postgres', pgbenchDb: 'postgres' });
  // Root's files (stand-ins for /etc/shadow, /etc/sudoers.d, the agent's key folder): postgres
  // may point symlinks at them but can neither read nor change them itself.
  victims = path.join(fx.dir, 'root-only');
  fs.mkdirSync(path.join(victims, 'folder'), { recursive: true, mode: 0o755 });
  fs.mkdirSync(path.join(victims, 'pr', 'z'), { recursive: true, mode: 0o755 });
  fs.chmodSync(victims, 0o755);
  fs.writeFileSync(path.join(victims, 'shadow'), `root:shadow:${crypto.randomUUID()}\n`, {
    mode: 0o600,
  });
  fs.writeFileSync(path.join(victims, 'folder', 'keep'), 'root only\n', { mode: 0o600 });
  for (const name of treeNames()) {
    fs.writeFileSync(path.join(victims, 'pr', 'z', name), 'root only\n', { mode: 0o600 });
  }
  // What the attackers write down: a folder of postgres's own.
  fs.mkdirSync(path.join(fx.dir, 'loot'), { mode: 0o700 });
  fs.chownSync(path.join(fx.dir, 'loot'), idsOf('postgres').uid, idsOf('postgres').gid);
}, 240_000);

afterAll(async () => {
  console.info(`[restore-privilege] ${JSON.stringify(timings)}`);
  for (const attacker of attackers) stopAttacker(attacker);
  await load?.stop();
  await fx?.stop();
});

/** The 3,000 names in a trap for a recursive delete (and of root's files it aims at). */
function treeNames(): string[] {
  return Array.from({ length: 3000 }, (_, i) => `f${String(i).padStart(4, '0')}`);
}

function idsOf(user: string): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  const fields = line?.split(':') ?? [];
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** Content hash, owner and mode of every file and folder under `dir` (and `dir` itself). */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string): void => {
    const st = fs.lstatSync(p);
    const content = st.isFile()
      ? crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')
      : '';
    out[path.relative(dir, p) || '.'] =
      `${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)} ${content}`;
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
  };
  walk(dir);
  return out;
}

/** An attacker: a Node script run as the postgres OS user, its output collected. */
interface Attacker {
  child: ChildProcess;
  output(): string;
  ended: Promise<void>;
}

/**
 * Starts `script` as postgres; it finds its `args` in `ARGS`. They reach it base64-encoded, so
 * no path of a scratch environment is in its command line: scratch-drop stops the helpers whose
 * command line names the environment, and an attacker would not name it there either.
 */
function startAttacker(script: string, args: string[]): Attacker {
  const encoded = Buffer.from(JSON.stringify(args)).toString('base64');
  const prelude = "const ARGS = JSON.parse(Buffer.from(process.argv[1], 'base64').toString());";
  const child = spawn(
    'runuser',
    ['-u', 'postgres', '--', process.execPath, '-e', `${prelude}\n${script}`, encoded],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: stopAttacker reaches node under runuser too.
      detached: true,
    },
  );
  attackers.push(child);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const ended = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return { child, output: () => output, ended };
}

function stopAttacker(child: ChildProcess): void {
  if (child.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
}

/** The attacker's last line, a JSON summary (empty when it ended without one). */
function summary<T extends object>(attacker: Attacker): Partial<T> {
  const lines = attacker.output().trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1] ?? '') as Partial<T>;
  } catch {
    return {};
  }
}

// Shared by the attackers: a 1 ms pause without a busy loop, and the folder of the restore that
// runs now, found the way any local user can: pgBackRest's command line names its data directory.
const FIND_RESTORE = `
const fs = require('fs');
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
function findRestore(scratchRoot, until) {
  const flag = '--pg1-path=' + scratchRoot + '/';
  while (Date.now() < until) {
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\\d+$/.test(pid)) continue;
      let argv = [];
      try { argv = fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0'); } catch { continue; }
      const arg = argv.find((a) => a.startsWith(flag) && a.endsWith('/data'));
      if (arg) return arg.slice('--pg1-path='.length, -'/data'.length);
    }
    pause(2);
  }
  return null;
}
`;

/** Nothing of a scratch restore may remain: no folder, no process naming one. */
function expectNoScratchLeftovers(): void {
  expect(fs.existsSync(scratchRoot) ? fs.readdirSync(scratchRoot) : []).toEqual([]);
  expect(pidsWithArgument(`${scratchRoot}/`).filter(isAlive)).toEqual([]);
}

/**
 * Postgres's trap for a recursive delete by root: 3,000 empty files in `<folder>/d/z`; when
 * the first of them is deleted, `<folder>/d` is swapped at once for a symlink to root's folder
 * `victims/pr`, whose `z` holds files of the same names, so a delete that goes on by path
 * (`<folder>/d/z/<name>`) deletes root's files. The attacker sits in `folder` (its working
 * directory follows the folder wherever it is moved). Resolves once the trap is set.
 */
async function setTrap(folder: string): Promise<Attacker> {
  const attacker = startAttacker(
    `
const fs = require('fs');
const [folder, victimFolder, count] = ARGS;
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
process.chdir(folder);
fs.mkdirSync('d/z', { recursive: true });
for (let i = 0; i < Number(count); i++) fs.writeFileSync('d/z/f' + String(i).padStart(4, '0'), '');
const first = 'd/z/' + fs.readdirSync('d/z')[0];
console.log('ready');
const until = Date.now() + 120000;
let swapped = false;
while (Date.now() < until && !swapped) {
  if (!fs.existsSync(first)) {
    fs.renameSync('d', 'd.moved');
    fs.symlinkSync(victimFolder, 'd');
    swapped = true;
  }
  pause(1);
}
console.log(JSON.stringify({ swapped }));`,
    [folder, path.join(victims, 'pr'), String(treeNames().length)],
  );
  await expect.poll(() => attacker.output(), { timeout: 30_000, interval: 50 }).toMatch(/ready/);
  return attacker;
}

async function restoreToScratch(): Promise<Job> {
  const request = {
    serverId: fx.serverId,
    target: { kind: 'latest' },
    destination: { kind: 'scratch' },
  };
  await fx.call('restore.plan', request);
  return fx.runJob('restore.start', { ...request, keepHours: 1 });
}

describe('the agent restoring for the app, while the postgres OS user attacks', () => {
  it('a restore whose restored pg_hba.conf becomes a symlink to a root-only file fails, and root reads nothing through it', async () => {
    const before = fingerprint(victims);
    const secret = fs.readFileSync(path.join(victims, 'shadow'), 'utf8').trim();
    const loot = path.join(fx.dir, 'loot', 'hba-copies');
    // Waits for pgBackRest to write its recovery settings (the last thing its restore does),
    // then swaps the restored pg_hba.conf for a symlink: the agent reads that file next, to
    // write the scratch cluster's own pg_hba.conf (a file of postgres's, beside the data
    // directory), which this attacker copies the moment it appears. Also tries to plant in the
    // agent's own folder, which must be refused.
    const attacker = startAttacker(
      `${FIND_RESTORE}
const [scratchRoot, victim, victimFolder, loot] = ARGS;
const until = Date.now() + 90000;
const root = findRestore(scratchRoot, until);
const out = { root, tries: {}, planted: false, copies: 0 };
if (root) {
  for (const [name, target] of [['pg_hba.conf', victim], ['server.log', victim], ['files', victimFolder]]) {
    try { fs.symlinkSync(target, root + '/' + name); out.tries[name] = 'planted'; }
    catch (e) { out.tries[name] = e.code; }
  }
  const seen = new Set();
  while (Date.now() < until) {
    if (!out.planted) {
      let text = '';
      try { text = fs.readFileSync(root + '/data/postgresql.auto.conf', 'utf8'); } catch {}
      if (text.includes('generated by pgBackRest restore')) {
        fs.rmSync(root + '/data/pg_hba.conf', { force: true });
        fs.symlinkSync(victim, root + '/data/pg_hba.conf');
        out.planted = true;
      }
    }
    try {
      const copy = fs.readFileSync(root + '/pg_hba.conf', 'utf8');
      if (!seen.has(copy)) { seen.add(copy); fs.appendFileSync(loot, copy); out.copies++; }
    } catch {}
    if (out.planted && !fs.existsSync(root)) break;
    pause(1);
  }
}
console.log(JSON.stringify(out));`,
      [scratchRoot, path.join(victims, 'shadow'), path.join(victims, 'folder'), loot],
    );
    const t0 = Date.now();
    const job = await restoreToScratch();
    timings.hba_attack_restore_s = (Date.now() - t0) / 1000;
    await attacker.ended;
    const seen = summary<{
      root: string | null;
      tries: Record<string, string>;
      planted: boolean;
      copies: number;
    }>(attacker);
    console.log(`pg_hba attack: ${JSON.stringify(seen)}; job: ${job.error?.message}`);

    expect(seen.root?.startsWith(`${scratchRoot}/`)).toBe(true);
    // The agent's own folder (0711) takes no entry from postgres.
    expect(Object.keys(seen.tries ?? {})).toHaveLength(3);
    expect(Object.values(seen.tries ?? {})).not.toContain('planted');
    expect(seen.planted).toBe(true);
    // The secret never reached a file postgres can read.
    const copied = fs.existsSync(loot) ? fs.readFileSync(loot, 'utf8') : '';
    expect(copied).not.toContain(secret);
    expect(fingerprint(victims)).toEqual(before);
    // The restore refused the planted file, said which and why, and removed everything.
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('RESTORE_FAILED');
    expect(job.error?.message).toMatch(/pg_hba\.conf is a symbolic link, not a regular file/);
    expectNoScratchLeftovers();
    const listed = await fx.call<ScratchEnvironment[]>('scratch.list', {});
    expect(listed.filter((e) => e.state !== 'removed')).toEqual([]);
  }, 120_000);

  it('a kept environment with a forged postmaster.pid, symlinks and a delete trap is dropped without signalling or deleting outside', async () => {
    const t0 = Date.now();
    const job = await restoreToScratch();
    timings.kept_restore_s = (Date.now() - t0) / 1000;
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const env = job.result as ScratchEnvironment;
    expect(env.checks.every((c) => c.ok)).toBe(true);
    const root = path.dirname(env.dataDirectory);
    const pidFile = path.join(env.dataDirectory, 'postmaster.pid');
    // postmaster.pid: pid on line 1, socket folder on line 5 (in /tmp when the state folder is
    // as deep as this test's: the socket address has a length limit).
    const pidLines = fs.readFileSync(pidFile, 'utf8').split('\n');
    const realPid = Number(pidLines[0]);
    const socketDir = pidLines[4] ?? '';
    expect(isAlive(realPid)).toBe(true);
    expect(fs.lstatSync(socketDir).uid).toBe(idsOf('postgres').uid);

    // An innocent root process: what a forged postmaster.pid would have root SIGKILL.
    const innocent = spawn('sleep', ['600'], { stdio: 'ignore' });
    const innocentPid = innocent.pid as number;
    try {
      const before = fingerprint(victims);
      // The environment runs for hours until the admin drops it: postgres rewrites its pid
      // file to name the innocent process and leaves symlinks to root's files in each folder
      // of its own (data, WAL staging, pgBackRest's, the socket folder).
      const attacker = startAttacker(
        `
const fs = require('fs');
const [pidFile, innocent, victim, victimFolder, ...folders] = ARGS;
const lines = fs.readFileSync(pidFile, 'utf8').split('\\n');
lines[0] = innocent;
fs.writeFileSync(pidFile + '.forged', lines.join('\\n'));
fs.renameSync(pidFile + '.forged', pidFile);
const planted = [];
for (const dir of folders) {
  fs.symlinkSync(victim, dir + '/outside-file');
  fs.symlinkSync(victimFolder, dir + '/outside-folder');
  fs.mkdirSync(dir + '/nested', { recursive: true });
  fs.symlinkSync(victimFolder, dir + '/nested/outside-folder');
  planted.push(dir);
}
console.log(JSON.stringify({ forged: fs.readFileSync(pidFile, 'utf8').split('\\n')[0], planted }));`,
        [
          pidFile,
          String(innocentPid),
          path.join(victims, 'shadow'),
          path.join(victims, 'folder'),
          env.dataDirectory,
          path.join(root, 'wal'),
          path.join(root, 'pgbackrest', 'spool'),
          path.join(root, 'pgbackrest', 'log'),
          socketDir,
        ],
      );
      await attacker.ended;
      const seen = summary<{ forged: string; planted: string[] }>(attacker);
      expect(seen.forged).toBe(String(innocentPid));
      expect(seen.planted?.length).toBe(5);

      // And sets its trap for a recursive delete in the data directory (see setTrap).
      const trap = await setTrap(env.dataDirectory);

      const t1 = Date.now();
      const drop = () => fx.call<ScratchEnvironment>('scratch.drop', { id: env.id });
      // The trap may make emptying the data directory (as postgres) fail: then the drop says
      // so, keeps the environment recognisable, and the next drop removes it.
      const first = await drop().then(
        (dropped) => ({ dropped, error: null }),
        (error: Error) => ({ dropped: null, error }),
      );
      const dropped = first.dropped ?? (await drop());
      timings.drop_s = (Date.now() - t1) / 1000;
      stopAttacker(trap.child);
      await trap.ended;
      console.log(
        `drop attack: ${trap.output().trim().split('\n').pop()}; first drop: ${first.error?.message ?? 'removed'}`,
      );
      expect(isAlive(innocentPid), 'the innocent root process was signalled').toBe(true);
      expect(fingerprint(victims)).toEqual(before);
      expect(summary<{ swapped: boolean }>(trap).swapped).toBe(true);
      if (first.error) expect(first.error.message).toMatch(/could not be removed completely/);
      expect(dropped.state).toBe('removed');
      // The environment's own postmaster was found and stopped all the same (gone, or a
      // zombie its new parent has not reaped yet), and its folders are gone.
      await expect
        .poll(
          () => {
            try {
              return fs.readFileSync(`/proc/${realPid}/stat`, 'utf8').split(') ')[1]?.[0] ?? '';
            } catch {
              return 'gone';
            }
          },
          { timeout: 10_000, interval: 200 },
        )
        .toMatch(/^(gone|Z|X)$/);
      expect(fs.existsSync(root)).toBe(false);
      expect(fs.existsSync(socketDir)).toBe(false);
      expectNoScratchLeftovers();
    } finally {
      innocent.kill('SIGKILL');
    }
  }, 120_000);

  it('a restore over production never deletes through the work folder an earlier one left to postgres', async () => {
    const work = path.join(stateDir, 'production-restore');
    const request = { serverId: fx.serverId, target: { kind: 'latest' } };
    const restoreProduction = async (): Promise<Job> => {
      const plan = await fx.call<ProductionRestorePlan>('restore.production.plan', request);
      return fx.runJob('restore.production.start', { ...request, confirmName: plan.confirmName });
    };
    let t0 = Date.now();
    const first = await restoreProduction();
    timings.production_restore_1_s = (Date.now() - t0) / 1000;
    expect(first.state, JSON.stringify(first.error)).toBe('succeeded');
    // What it leaves: the agent's folder with the private start's socket folder, postgres's.
    const sock = path.join(work, 'sock');
    expect(fs.lstatSync(sock).uid).toBe(idsOf('postgres').uid);

    // Postgres sets its trap (see setTrap) in its socket folder; the next restore clears the
    // folder.
    const before = fingerprint(victims);
    const attacker = await setTrap(sock);

    const markersBefore = load.markers;
    t0 = Date.now();
    const second = await restoreProduction();
    timings.production_restore_2_s = (Date.now() - t0) / 1000;
    stopAttacker(attacker.child);
    await attacker.ended;
    console.log(`work folder attack: ${attacker.output().trim().split('\n').pop()}`);
    const seen = summary<{ swapped?: boolean }>(attacker);

    // Root's files are all there; the attacker did swap the folder while the old work folder
    // was being removed.
    expect(fingerprint(victims)).toEqual(before);
    expect(seen.swapped).toBe(true);
    // The restore was not held up by what postgres left: it ran, and capture goes on.
    expect(second.state, JSON.stringify(second.error)).toBe('succeeded');
    const result = second.result as ProductionRestoreResult;
    expect(result.checks.every((c) => c.ok)).toBe(true);
    await expect
      .poll(() => load.markers, { timeout: 30_000, interval: 200 })
      .toBeGreaterThan(markersBefore);
  }, 180_000);
});
