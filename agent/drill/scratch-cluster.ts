import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { readRecoveryLog, type RecoveryOutcome } from '../../shared/restore/recovery-log';
import { psqlQuery } from '../engines/psql';
import { AgentError } from '../runtime/errors';
import { runTool } from '../runtime/exec';
import { readNoFollow } from '../runtime/no-follow';
import { waitForExit } from '../runtime/pid';
import {
  findScratchPostmaster,
  isScratchPostmaster,
  postmasterPidFromFile,
  signalScratchPostmaster,
  type ScratchCluster,
} from './postmaster';
import { scratchConfig, type DrillPaths } from './scratch-paths';

// The drill's scratch cluster: started, watched until promoted, stopped, by pg_ctl as the
// cluster's OS user. scratch-configure.ts made it unable to harm production beforehand.

/** A PostgreSQL binary of the version the server runs. */
export const pgBin = (config: AgentConfig, tool: string): string =>
  path.join(config.pg.binDirectory, tool);

/**
 * Starts the scratch postmaster and waits until it accepts connections (read-only ones count:
 * see {@link waitForPromotion}). archive_mode=off and the port also go on the command line,
 * where no file in the restored data directory can override them. `pg_ctl -w` looks every
 * 100 ms; postmaster.pid says so the moment it happens, so whichever is first ends the wait
 * (pg_ctl then returns within its next look).
 * @throws AgentError with pg_ctl's message (the caller adds the server log).
 */
export async function startScratch(
  config: AgentConfig,
  paths: DrillPaths,
  port: number,
  signal?: AbortSignal,
): Promise<void> {
  const started = runTool(
    pgBin(config, 'pg_ctl'),
    [
      '-D',
      paths.data,
      '-l',
      paths.log,
      '-o',
      `-c archive_mode=off -c port=${port}`,
      '-w',
      '-t',
      '3600',
      'start',
    ],
    { runAs: config.pg.osUser, step: 'start the scratch cluster', signal, timeoutMs: 3_660_000 },
  );
  // A failure of pg_ctl after the cluster came up is waitForPromotion's to notice.
  started.catch(() => undefined);
  const stop = new AbortController();
  try {
    await Promise.race([started, untilAccepting(paths.data, stop.signal)]);
  } finally {
    stop.abort();
  }
}

/** Resolves once postmaster.pid says standby or ready (polled every 20 ms), or on `stop`. */
async function untilAccepting(dataDir: string, stop: AbortSignal): Promise<void> {
  while (!stop.aborted) {
    const status = postmasterStatus(dataDir);
    if (status === 'standby' || status === 'ready') return;
    await sleep(20);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The postmaster's own status line in postmaster.pid (its 8th line: starting, standby, ready,
 * stopping), or null when there is no such file or line. `ready` once recovery has ended and
 * the cluster was promoted. Read without following a symlink and never from a FIFO: the data
 * directory is the cluster's OS user's.
 */
export function postmasterStatus(dataDir: string): string | null {
  try {
    const text = readNoFollow(
      path.join(dataDir, 'postmaster.pid'),
      null,
      'postmaster.pid',
      64 * 1024,
    );
    return text?.split('\n')[7]?.trim() || null;
  } catch {
    return null;
  }
}

/**
 * How long a postmaster started without waiting (`pg_ctl -W`: a restore over production) may
 * take to write its postmaster.pid before the watcher calls it gone. Until then a missing file
 * means "starting", not "stopped"; a file naming anything but this cluster's postmaster is
 * gone at once.
 */
const PID_FILE_GRACE_MS = 15_000;

/** The postmaster is gone: its pid file names no postmaster of this cluster, or never came. */
function postmasterGone(config: AgentConfig, paths: ScratchCluster, since: number): boolean {
  const pid = postmasterPidFromFile(config, paths.data);
  if (pid === undefined) return Date.now() - since > PID_FILE_GRACE_MS;
  return !isScratchPostmaster(config, paths, pid);
}

/**
 * `pg_ctl -w` returns once read-only connections are allowed, before recovery has reached its
 * target; this waits until pg_is_in_recovery() is false (DESIGN.md §7) and returns what
 * the server log says about where recovery stopped.
 * @throws AgentError when the postmaster dies, recovery pauses, or it takes over `timeoutMs`.
 */
export async function waitForPromotion(
  config: AgentConfig,
  paths: Pick<DrillPaths, 'root' | 'data' | 'socket' | 'log'>,
  port: number,
  options: {
    signal?: AbortSignal;
    timeoutMs?: number;
    /** Hears the replay position (e.g. `0/5A00000`) on every look while recovery runs. */
    onReplay?: (lsn: string) => void;
  } = {},
): Promise<RecoveryOutcome> {
  const deadline = Date.now() + (options.timeoutMs ?? 2 * 3600_000);
  const scratch = scratchConfig(config, paths, port);
  const sql =
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 'promoted' WHEN pg_is_wal_replay_paused() THEN 'paused' ELSE 'recovery' END || '|' || coalesce(pg_last_wal_replay_lsn()::text, '')";
  let asked = 0;
  const watching = Date.now();
  for (;;) {
    if (options.signal?.aborted) throw new AgentError('start', 'aborted');
    // The pid file's status line is read every 20 ms (the RTO clock runs, and the table
    // comparison already takes the cores: no psql process per look); the server is asked
    // when it says ready, and every 250 ms anyway, which also notices a paused recovery.
    if (postmasterStatus(paths.data) !== 'ready' && Date.now() - asked < 250) {
      await sleep(20);
      continue;
    }
    asked = Date.now();
    let state = '';
    try {
      const [answer = '', lsn = ''] = (
        await psqlQuery(scratch, sql, 'watch the recovery', 'postgres', options.signal)
      ).split('|');
      state = answer;
      if (lsn && state === 'recovery') options.onReplay?.(lsn);
    } catch {
      // Refused while starting up: try again while the postmaster lives.
    }
    if (state === 'promoted') return readRecoveryLog(serverLogTail(paths));
    if (state === 'paused' || postmasterGone(config, paths, watching)) {
      const outcome = readRecoveryLog(serverLogTail(paths));
      const why = outcome.fatal.slice(-3).join(' / ') || 'no FATAL line in its log';
      throw new AgentError(
        'start',
        state === 'paused'
          ? `recovery paused instead of promoting: ${why}`
          : `the scratch cluster stopped during recovery: ${why}`,
      );
    }
    if (Date.now() > deadline) throw new AgentError('start', 'recovery did not finish in time');
    await sleep(20);
  }
}

/**
 * Waits until recovery holds at its `pause` stop (a read-only look at that state comes next).
 * @throws AgentError when the postmaster dies (e.g. the WAL ran out before the stop) or the
 *   cluster was promoted instead, or after `timeoutMs`.
 */
export async function waitForPause(
  config: AgentConfig,
  paths: Pick<DrillPaths, 'root' | 'data' | 'socket' | 'log'>,
  port: number,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 2 * 3600_000);
  const scratch = scratchConfig(config, paths, port);
  const watching = Date.now();
  const sql =
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 'promoted' ELSE pg_get_wal_replay_pause_state() END";
  for (;;) {
    if (options.signal?.aborted) throw new AgentError('start', 'aborted');
    let state = '';
    try {
      state = await psqlQuery(scratch, sql, 'watch the recovery', 'postgres', options.signal);
    } catch {
      // Refused while starting up: try again while the postmaster lives.
    }
    if (state === 'paused') return;
    // Gone, with the pid file's grace: a restore over production starts with pg_ctl -W.
    if (state === 'promoted' || postmasterGone(config, paths, watching)) {
      const why = readRecoveryLog(serverLogTail(paths)).fatal.slice(-3).join(' / ');
      throw new AgentError(
        'start',
        state === 'promoted'
          ? 'recovery was promoted instead of pausing at an exact position'
          : `the scratch cluster stopped during recovery: ${why || 'no FATAL line in its log'}`,
      );
    }
    if (Date.now() > deadline) throw new AgentError('start', 'recovery did not pause in time');
    await sleep(50);
  }
}

/**
 * The end of the scratch cluster's server log (the recovery's end is what matters). Its folder
 * entry is the agent's; the file is the cluster's OS user's, so it is read without following a
 * symlink and never from a FIFO.
 */
export function serverLogTail(paths: Pick<DrillPaths, 'log'>, bytes = 256 * 1024): string {
  try {
    return readNoFollow(paths.log, null, 'server log', bytes) ?? '';
  } catch {
    return '';
  }
}

/**
 * Stops a scratch cluster if it runs: fast shutdown, then immediate, then SIGKILL to the
 * postmaster. Only ever signals the drill's own postmaster, as /proc confirms it (postmaster.ts):
 * pg_ctl, run as the cluster's OS user, when postmaster.pid names it; the agent itself when
 * that file was rewritten (pg_ctl would signal whatever it names). A process that is not the
 * drill's postmaster is never signalled, whatever the file says. Never throws for a cluster
 * that is already gone; never uses an abort signal (cleanup must finish when the drill was
 * aborted).
 */
export async function stopScratchCluster(
  config: AgentConfig,
  cluster: ScratchCluster,
): Promise<void> {
  for (const [mode, signal] of [
    ['fast', 'SIGINT'],
    ['immediate', 'SIGQUIT'],
  ] as const) {
    const pid = findScratchPostmaster(config, cluster);
    if (pid === undefined) return;
    if (postmasterPidFromFile(config, cluster.data) === pid) {
      try {
        await runTool(
          pgBin(config, 'pg_ctl'),
          ['-D', cluster.data, '-m', mode, '-w', '-t', '60', 'stop'],
          {
            runAs: config.pg.osUser,
            step: 'stop the scratch cluster',
            check: false,
            timeoutMs: 90_000,
          },
        );
      } catch {
        // pg_ctl itself hung or could not run: the next way down.
      }
    } else if (signalScratchPostmaster(config, cluster, pid, signal)) {
      await waitForExit(pid, 60_000);
    }
  }
  const pid = findScratchPostmaster(config, cluster);
  if (pid === undefined) return;
  if (!signalScratchPostmaster(config, cluster, pid, 'SIGKILL')) {
    if (findScratchPostmaster(config, cluster) === undefined) return;
    throw new AgentError('cleanup', `could not kill the scratch postmaster ${pid}`);
  }
  if (!(await waitForExit(pid, 10_000))) {
    throw new AgentError('cleanup', `the scratch postmaster ${pid} does not stop`);
  }
}
