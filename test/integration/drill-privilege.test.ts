import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DRILL_EXIT_FAILED_CHECKS,
  DrillRunSummary,
  parseDrillProgressLine,
  type DrillPhase,
} from '../../shared/agent/drill';
import { ReportJson } from '../../shared/report/report-json';
import { AGENT_BUNDLE, buildAgentBundle, startAgentEnv, type AgentEnv } from '../harness/agent-env';
import { isAlive, pidsWithArgument, stopAll } from '../harness';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Issue 15 §2: the postgres OS user (so any database superuser, through COPY … TO PROGRAM) must
// not get root through a drill. The drill hands parts of its scratch folder to postgres, and
// root then used to write into them following whatever postgres left there: a pg_hba.conf or
// postgresql.auto.conf replaced by a symlink made root write (and chown to postgres) the file it
// pointed to, a symlinked `<name>.absent` in the WAL staging folder made root empty one, a
// symlinked `files` folder made restic restore as root into any folder, and a postmaster.pid
// naming another process made root SIGKILL it. Here postgres plants each of those during a real
// drill (with production being written to): root's files stay as they were, the innocent
// process lives, and the drill passes or fails with a clear reason, leaving nothing behind.

let env: AgentEnv;
let load: WriteLoad;
let scratchRoot: string;
let victims: string;

beforeAll(async () => {
  [env] = await Promise.all([startAgentEnv({}), buildAgentBundle()]);
  // The cluster's OS user must reach drill.scratchRoot inside the env's (0700) temp folder.
  fs.chmodSync(env.dir, 0o711);
  scratchRoot = env.config.drill.scratchRoot;
  load = await startWriteLoad(env.pg, { markerDb: 'postgres', pgbenchDb: 'postgres' });
  const snapshot = await env.agent(['snapshot']);
  expect(snapshot.code, snapshot.stderr).toBe(0);
  // Root's files outside the drill (stand-ins for /etc/shadow, /etc/sudoers.d, /root/.ssh):
  // postgres may point symlinks at them, but can neither read nor change them itself.
  victims = path.join(env.dir, 'root-only');
  fs.mkdirSync(path.join(victims, 'folder'), { recursive: true, mode: 0o755 });
  fs.chmodSync(victims, 0o755);
  for (const name of ['shadow', 'hba', 'absent']) {
    fs.writeFileSync(path.join(victims, name), `root:${name}:${crypto.randomUUID()}\n`, {
      mode: 0o600,
    });
  }
  fs.writeFileSync(path.join(victims, 'folder', 'keep'), 'root only\n', { mode: 0o600 });
}, 240_000);

afterAll(async () => {
  await load?.stop();
  for (const pid of scratchRoot ? pidsWithArgument(scratchRoot) : []) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  await env?.stop();
  await stopAll();
});

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

/** Runs a shell script as the postgres OS user, as a database superuser could. */
function asPostgres(script: string, ...args: string[]): { code: number | null; output: string } {
  const run = spawnSync('runuser', ['-u', 'postgres', '--', 'sh', '-c', script, 'sh', ...args], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

/** The folder of the drill that runs now (the only one under scratchRoot). */
function drillRoot(): string | undefined {
  const names = fs.existsSync(scratchRoot) ? fs.readdirSync(scratchRoot) : [];
  const name = names.find((n) => n.startsWith('drill-'));
  return name ? path.join(scratchRoot, name) : undefined;
}

const phasesIn = (stderr: string): DrillPhase[] =>
  stderr
    .split('\n')
    .map((l) => parseDrillProgressLine(l)?.phase)
    .filter((p): p is DrillPhase => p !== undefined);

/**
 * `kumiko-agent drill --progress`; `watch` sees the progress phases so far and the stderr on
 * every chunk and every 20 ms.
 */
async function runDrill(
  watch: (phases: DrillPhase[], stderr: string) => void,
): Promise<{ code: number | null; summary: DrillRunSummary; stderr: string; ms: number }> {
  const t0 = Date.now();
  const child = spawn(env.node, [AGENT_BUNDLE, 'drill', '--progress', '--config', env.configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const look = (): void => watch(phasesIn(stderr), stderr);
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    look();
  });
  const poll = setInterval(look, 20);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearInterval(poll);
  expect(stdout, stderr).not.toBe('');
  return { code, summary: DrillRunSummary.parse(JSON.parse(stdout)), stderr, ms: Date.now() - t0 };
}

function report(summary: DrillRunSummary): ReportJson {
  return ReportJson.parse(JSON.parse(env.object(`${summary.bundlePrefix}report.json`).toString()));
}

/** Nothing of a drill may remain: no folder under scratchRoot, no process naming it. */
function expectNoLeftovers(): void {
  expect(fs.existsSync(scratchRoot) ? fs.readdirSync(scratchRoot) : []).toEqual([]);
  expect(pidsWithArgument(scratchRoot)).toEqual([]);
}

describe('a drill whose scratch folder the postgres OS user tampers with', () => {
  it('writes, chowns and restores into no file outside it', async () => {
    const before = fingerprint(victims);
    const planted: Record<string, string> = {};
    let watcher: ChildProcess | undefined;
    let watcherOutput = '';
    let plantedAt: DrillPhase[] | undefined;
    let run: Awaited<ReturnType<typeof runDrill>>;
    try {
      run = await runDrill((phases) => {
        if (plantedAt || !phases.includes('prepare')) return;
        const root = drillRoot();
        if (!root) return;
        plantedAt = phases;
        // The drill's folder exists, its restore runs; the scratch cluster's configuration,
        // the WAL staging's markers and the attached files come later.
        const plant = (name: string, link: string, target: string): void => {
          const r = asPostgres('ln -s "$2" "$1"', link, target);
          planted[name] = r.code === 0 ? 'planted' : `refused: ${r.output}`;
        };
        plant('hba', path.join(root, 'pg_hba.conf'), path.join(victims, 'hba'));
        plant('files', path.join(root, 'files'), path.join(victims, 'folder'));
        for (const timeline of ['00000001', '00000002']) {
          const link = path.join(root, 'wal', `${timeline}.history.absent`);
          plant(`absent ${timeline}`, link, path.join(victims, 'absent'));
        }
        // postgresql.auto.conf is restored and then rewritten by pgBackRest at the end of its
        // restore: a watcher as postgres swaps it for a symlink the moment pgBackRest has
        // written its recovery settings, before the drill configures the scratch cluster.
        watcher = spawn(
          'runuser',
          [
            '-u',
            'postgres',
            '--',
            'sh',
            '-c',
            `end=$(($(date +%s) + 300))
             while [ "$(date +%s)" -lt "$end" ]; do
               if [ ! -L "$1" ] && grep -q 'generated by pgBackRest restore' "$1" 2>/dev/null; then
                 ln -sf "$2" "$1" && echo planted; exit 0
               fi
               sleep 0.005
             done
             echo 'never saw pgBackRest write it'`,
            'sh',
            path.join(root, 'data', 'postgresql.auto.conf'),
            path.join(victims, 'shadow'),
          ],
          { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
        );
        watcher.stdout?.on('data', (c: Buffer) => (watcherOutput += c.toString()));
        watcher.stderr?.on('data', (c: Buffer) => (watcherOutput += c.toString()));
      });
    } finally {
      if (watcher?.pid && watcher.exitCode === null) {
        try {
          process.kill(-watcher.pid, 'SIGKILL');
        } catch {
          // Gone.
        }
      }
    }
    console.log(`tampered drill took ${run.ms} ms; planted: ${JSON.stringify(planted)}`);
    // The plants came while the restore ran, before the scratch cluster was configured.
    expect(plantedAt).toBeDefined();
    expect(plantedAt).not.toContain('start');
    expect(watcherOutput.trim()).toBe('planted');

    // Root's files and folders: same content, owner and mode; nothing restored into the folder.
    expect(fingerprint(victims)).toEqual(before);

    // The drill noticed and said why: the scratch cluster was not started from a data
    // directory whose configuration file is a symlink. The attached files were restored where
    // postgres could not redirect them, and checked.
    expect(run.code, run.stderr).toBe(DRILL_EXIT_FAILED_CHECKS);
    const checks = report(run.summary).drill.checks;
    const check = (id: string) => checks.find((c) => c.id === id);
    expect(check('cluster-starts')?.passed).toBe(false);
    expect(check('cluster-starts')?.detail).toMatch(/postgresql\.auto\.conf.*not a regular file/);
    expect(check('files-hash')).toMatchObject({ passed: true });
    expectNoLeftovers();
  });

  it('never signals a process that a forged postmaster.pid names', async () => {
    // An innocent root process: what a forged postmaster.pid would have root SIGKILL.
    const innocent = spawn('sleep', ['3600'], { stdio: 'ignore' });
    const pid = innocent.pid as number;
    let forged: { phases: DrillPhase[]; realPid: string; output: string } | undefined;
    let run: Awaited<ReturnType<typeof runDrill>>;
    try {
      run = await runDrill((phases) => {
        if (forged || !phases.includes('verify')) return;
        const root = drillRoot();
        if (!root) return;
        // The restored cluster runs (the verification reads it): postgres rewrites its pid
        // file's first line to name the innocent process.
        const file = path.join(root, 'data', 'postmaster.pid');
        const realPid = fs.existsSync(file)
          ? (fs.readFileSync(file, 'utf8').split('\n')[0] ?? '')
          : '';
        const r = asPostgres(
          'sed "1s/.*/$2/" "$1" > "$1.forged" && mv -f "$1.forged" "$1"',
          file,
          String(pid),
        );
        forged = { phases, realPid, output: r.code === 0 ? 'forged' : r.output };
      });
      console.log(`drill with a forged pid file took ${run.ms} ms`);
      expect(forged?.output).toBe('forged');
      // Forged while the cluster ran, before the clean-up stops it.
      expect(forged?.phases).not.toContain('cleanup');
      expect(isAlive(pid), 'the innocent root process was killed').toBe(true);
      // The drill's own postmaster was found and stopped all the same.
      expect(isAlive(Number(forged?.realPid)), 'the scratch postmaster outlived the drill').toBe(
        false,
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.summary.passed).toBe(true);
      expectNoLeftovers();
    } finally {
      innocent.kill('SIGKILL');
    }
  });
});
