import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { EXIT } from '../runtime/errors';
import type { Logger } from '../runtime/log';
import { acquirePidLock, isAlive, readPidFile, waitForExit } from '../runtime/pid';
import { statePaths } from '../runtime/state-paths';
import { readSchedulerState } from './scheduler-state';

/** Restart backoff: 1 s, doubling to 60 s; reset once a daemon ran this long. */
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;
const STABLE_AFTER_MS = 60_000;
/** How long the supervisor waits for the daemon to stop before SIGKILL. */
const CHILD_STOP_MS = 75_000;

/**
 * `supervise`: for servers without systemd (and without cron). Runs `daemon` as a child and
 * restarts it when it dies, with backoff. stateDir/agent.pid holds the supervisor's PID and
 * doubles as its lock, so a second supervisor refuses to start. SIGTERM (from `stop`) stops
 * the daemon gracefully, then the supervisor. Resolves with the exit code.
 */
export async function runSupervisor(
  configPath: string,
  stateDir: string,
  log: Logger,
): Promise<number> {
  const paths = statePaths(stateDir);
  const lock = acquirePidLock(paths.supervisorPid, 'the agent supervisor');
  const script = process.argv[1] as string;
  let child: ChildProcess | undefined;
  let stopping = false;
  let backoff = BACKOFF_MIN_MS;
  let restartTimer: NodeJS.Timeout | undefined;
  log.info(`supervisor started (pid ${process.pid})`);

  const start = (): void => {
    restartTimer = undefined;
    if (stopping) return;
    const startedAt = Date.now();
    const proc = spawn(
      process.execPath,
      [...process.execArgv, script, 'daemon', '--config', configPath],
      {
        cwd: '/',
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child = proc;
    log.info(`daemon started as pid ${proc.pid}`);
    // The daemon logs to the file itself; stderr carries only what it could not log (a crash).
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) log.error(`daemon: ${line}`);
    });
    proc.once('error', (error) => log.error(`daemon could not start: ${error.message}`));
    proc.once('exit', (code, signal) => {
      child = undefined;
      if (stopping) return;
      if (Date.now() - startedAt > STABLE_AFTER_MS) backoff = BACKOFF_MIN_MS;
      log.warn(
        `daemon (pid ${proc.pid}) exited with ${signal ?? `code ${code}`}; restarting in ${backoff / 1000} s`,
      );
      restartTimer = setTimeout(start, backoff);
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    });
  };
  start();

  await new Promise<void>((resolve) => {
    const stop = async (signal: string): Promise<void> => {
      if (stopping) return;
      stopping = true;
      log.info(`supervisor stopping (${signal})`);
      if (restartTimer) clearTimeout(restartTimer);
      const proc = child;
      if (proc?.pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        if (!(await waitForExit(proc.pid, CHILD_STOP_MS))) proc.kill('SIGKILL');
      }
      resolve();
    };
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      process.on(signal, () => void stop(signal));
    }
  });
  lock.release();
  log.info('supervisor stopped');
  return EXIT.ok;
}

/** The command line of a process (Linux /proc), or undefined when unknown. */
function commandLineOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/**
 * `stop`: SIGTERM to the supervisor named in agent.pid (or, without one, to a daemon holding
 * the daemon lock) and waits until it is gone; SIGKILL after `timeoutMs`.
 * @returns what was stopped, or null when nothing was running.
 */
export async function stopAgent(
  stateDir: string,
  timeoutMs = 120_000,
): Promise<{ pid: number; what: string; forced: boolean } | null> {
  const paths = statePaths(stateDir);
  const candidates: Array<[string, number | undefined, string]> = [
    [paths.supervisorPid, readPidFile(paths.supervisorPid), 'supervisor'],
    [paths.daemonLock, readPidFile(paths.daemonLock), 'daemon'],
  ];
  for (const [, pid, what] of candidates) {
    if (pid === undefined || !isAlive(pid)) continue;
    // A PID file outliving a reboot may name an unrelated process now.
    const cmdline = commandLineOf(pid);
    if (
      cmdline !== undefined &&
      !cmdline.includes(what === 'supervisor' ? 'supervise' : 'daemon')
    ) {
      continue;
    }
    process.kill(pid, 'SIGTERM');
    if (await waitForExit(pid, timeoutMs)) return { pid, what, forced: false };
    process.kill(pid, 'SIGKILL');
    const daemon = readSchedulerState(paths.scheduler)?.pid;
    if (daemon !== undefined && isAlive(daemon)) process.kill(daemon, 'SIGKILL');
    await waitForExit(pid, 5_000);
    return { pid, what, forced: true };
  }
  return null;
}
