import { AppError } from '../app-error';
import { readRecoveryLog, type RecoveryOutcome } from '../../../shared/restore/recovery-log';
import { shq } from './restore-shell';
import type { RestoreSite } from './restore-site';
import { scratchPsql } from './scratch-cluster';
import type { ScratchPaths } from './scratch-paths';

/** One look at a starting scratch cluster. */
export interface ReplayStatus {
  alive: boolean;
  /** null while it accepts no connections yet. */
  state: 'recovery' | 'paused' | 'promoted' | null;
  /** Replay position from SQL, else from the log's progress lines. */
  replayLsn: string | null;
}

/** Parses the poll script's `key=value` lines. */
export function parseReplayStatus(text: string): ReplayStatus {
  const lines = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) lines.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const [mode, paused, lsn] = (lines.get('sql') ?? '').split('|');
  const state =
    mode === 'promoted'
      ? 'promoted'
      : mode === 'recovery'
        ? paused === 'true'
          ? 'paused'
          : 'recovery'
        : null;
  const fromLog = readRecoveryLog(lines.get('log') ?? '').replayLsn;
  return { alive: lines.get('alive') === 'yes', state, replayLsn: lsn || fromLog };
}

const STATUS_SQL =
  "SELECT CASE WHEN pg_is_in_recovery() THEN 'recovery|' || pg_is_wal_replay_paused()::text || '|' || " +
  "coalesce(pg_last_wal_replay_lsn()::text, '') ELSE 'promoted||' END";

async function poll(
  site: RestoreSite,
  paths: ScratchPaths,
  port: number,
  signal?: AbortSignal,
): Promise<ReplayStatus> {
  const pid = shq(`${paths.data}/postmaster.pid`);
  const out = await site.shell.run(
    'watch the recovery',
    [
      'set +e',
      `if [ -f ${pid} ] && kill -0 "$(head -1 ${pid})" 2>/dev/null; then echo alive=yes; else echo alive=no; fi`,
      `${scratchPsql(site, paths, port, 'postgres')} -c ${shq(STATUS_SQL)} 2>/dev/null | sed 's/^/sql=/'`,
      `grep -E 'redo in progress|redo done at' ${shq(paths.log)} 2>/dev/null | tail -1 | sed 's/^/log=/'`,
    ].join('\n'),
    { asUser: site.osUser, signal, allowFailure: true },
  );
  return parseReplayStatus(out.stdout);
}

/** The scratch cluster's server log (its last 4 MB: the recovery's end is what matters). */
export async function readScratchLog(
  site: RestoreSite,
  paths: ScratchPaths,
  signal?: AbortSignal,
): Promise<string> {
  const out = await site.shell.run('read the scratch log', `tail -c 4000000 ${shq(paths.log)}`, {
    asUser: site.osUser,
    signal,
    allowFailure: true,
  });
  return out.stdout;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AppError('CANCELLED', 'Cancelled.'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AppError('CANCELLED', 'Cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Options of {@link waitForPromotion}. */
export interface WaitOptions {
  signal?: AbortSignal;
  /** Called with each new replay position. */
  onReplay?: (lsn: string) => void;
  /** Fail when replay has not moved for this long (default 10 minutes). */
  stallMs?: number;
  pollMs?: number;
  /** The target, for the message when the WAL ends before it. */
  targetDescription: string;
}

/**
 * Waits until the scratch cluster has replayed to its target and promoted: `pg_ctl -w` would
 * return as soon as read-only connections are allowed, so this polls `pg_is_in_recovery()`
 * until it is false (DESIGN.md §7). Returns what the log says about where recovery stopped.
 * @throws RESTORE_NOT_COVERED when the WAL ended before the target; RESTORE_FAILED when the
 * postmaster died, recovery paused, or replay stalled.
 */
export async function waitForPromotion(
  site: RestoreSite,
  paths: ScratchPaths,
  port: number,
  options: WaitOptions,
): Promise<RecoveryOutcome> {
  const stallMs = options.stallMs ?? 10 * 60_000;
  const pollMs = options.pollMs ?? 300;
  let lastLsn: string | null = null;
  let lastMove = Date.now();
  let deadPolls = 0;
  for (;;) {
    await sleep(pollMs, options.signal);
    const status = await poll(site, paths, port, options.signal);
    if (status.replayLsn && status.replayLsn !== lastLsn) {
      lastLsn = status.replayLsn;
      lastMove = Date.now();
      options.onReplay?.(status.replayLsn);
    }
    if (status.state === 'promoted')
      return readRecoveryLog(await readScratchLog(site, paths, options.signal));
    // pg_ctl -W returns before the pid file exists: one miss is a start, two are a death.
    deadPolls = status.alive ? 0 : deadPolls + 1;
    if (deadPolls >= 2 || status.state === 'paused') {
      const outcome = readRecoveryLog(await readScratchLog(site, paths, options.signal));
      if (outcome.targetNotReached) {
        throw new AppError(
          'RESTORE_NOT_COVERED',
          `The WAL in the repository ends before ${options.targetDescription}: PostgreSQL replayed all of it ` +
            `without reaching the target ("recovery ended before configured recovery target was reached"). ` +
            'Pick an earlier moment, or wait until capture has archived WAL past it.',
        );
      }
      const why = outcome.fatal.slice(-3).join(' / ') || 'no FATAL line in its log';
      throw new AppError(
        'RESTORE_FAILED',
        status.state === 'paused'
          ? `Recovery paused instead of promoting: ${why}`
          : `The scratch cluster stopped during recovery: ${why}`,
      );
    }
    if (Date.now() - lastMove > stallMs) {
      throw new AppError(
        'RESTORE_FAILED',
        `Recovery made no progress for ${Math.round(stallMs / 60_000)} minutes (stuck at ${lastLsn ?? 'the start'}).`,
      );
    }
  }
}
