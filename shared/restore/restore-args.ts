import { isoToMicros } from './recovery-log';

/**
 * The arguments of `pgbackrest restore` into a scratch data directory, for the app's restore job
 * (which runs them over SSH) and the agent's drill (which runs them locally).
 */

/**
 * A moment as PostgreSQL's recovery_target_time reads it: `2026-11-26 17:38:06+00`, with
 * microseconds when the moment has them. The explicit offset keeps the server's own time zone
 * out of it.
 */
export function pgTargetTime(iso: string): string {
  const micros = isoToMicros(iso);
  const seconds = Math.floor(micros / 1e6);
  const frac = micros - seconds * 1e6;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return `${base}${frac ? `.${String(frac).padStart(6, '0')}` : ''}+00`;
}

/** What pgBackRest is asked to restore (from the catalog's resolution, or a drill's point). */
export interface RestoreTargetArgs {
  type: 'time' | 'immediate' | 'default';
  /**
   * The base backup; null for the repository's latest (pgBackRest's default set: a drill starts
   * restoring it while it still checks which recovery point to restore).
   */
  backupLabel: string | null;
  targetTime: string | null;
  /** The timeline the target lies on: the same moment may exist on two after a switch. */
  timeline: number;
}

/** The scratch environment's own folders pgBackRest writes into. */
export interface ScratchRestorePaths {
  data: string;
  lock: string;
  pgbackrestLog: string;
  spool: string;
}

/**
 * Everything after `pgbackrest --config=… --stanza=…`:
 * - lock, log and spool paths are the scratch environment's own (a production archive-push or
 *   backup holds the production ones);
 * - `--set` pins the base backup, for time targets too, and `--target-timeline` the timeline
 *   the target lies on;
 * - `--archive-mode=off` and `--target-action=promote` (PostgreSQL then starts a new timeline,
 *   which must never reach the production repository: DESIGN.md §7).
 * The restore_command pgBackRest writes carries the same path options, so WAL fetched during
 * replay also uses the scratch spool.
 */
export function pgbackrestRestoreArgs(
  paths: ScratchRestorePaths,
  target: RestoreTargetArgs,
): string[] {
  const args = [
    `--lock-path=${paths.lock}`,
    `--log-path=${paths.pgbackrestLog}`,
    `--spool-path=${paths.spool}`,
    '--log-level-console=warn',
    'restore',
    `--pg1-path=${paths.data}`,
    ...(target.backupLabel === null ? [] : [`--set=${target.backupLabel}`]),
    '--archive-mode=off',
  ];
  // An immediate target stays on the backup's own timeline (pgBackRest writes 'current' and
  // refuses --target-timeline for it).
  if (target.type !== 'immediate') args.push(`--target-timeline=${target.timeline}`);
  if (target.type === 'time') {
    if (!target.targetTime) throw new Error('a time restore needs a target time');
    args.push(
      '--type=time',
      `--target=${pgTargetTime(target.targetTime)}`,
      '--target-action=promote',
    );
  } else if (target.type === 'immediate') {
    args.push('--type=immediate', '--target-action=promote');
  }
  // 'default': replay all WAL there is, then promote (pgBackRest refuses --target-action here).
  return args;
}
