import { isoToMicros } from './recovery-log';
import type { RestoreSite } from './restore-site';
import { shq } from './restore-shell';
import type { ScratchPaths } from './scratch-paths';

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

/** What pgBackRest is asked to restore (from the catalog's resolution). */
export interface RestoreTargetArgs {
  type: 'time' | 'immediate' | 'default';
  backupLabel: string;
  targetTime: string | null;
  /** The timeline the target lies on: the same moment may exist on two after a switch. */
  timeline: number;
}

/**
 * `pgbackrest restore` into the scratch data directory, as the site's OS user:
 * - the agent's config reaches the repository, but lock, log and spool paths are the
 *   scratch environment's own (a production archive-push or backup holds the agent's locks);
 * - `--set` pins the base backup the plan chose, for time targets too, and
 *   `--target-timeline` the timeline the catalog found the target on;
 * - `--archive-mode=off` and `--target-action=promote` (PostgreSQL then starts a new timeline,
 *   which must never reach the production repository: DESIGN.md §7).
 * The restore_command pgBackRest writes carries the same path options, so WAL fetched during
 * replay also uses the scratch spool.
 */
export function pgbackrestRestoreCommand(
  site: Pick<RestoreSite, 'pgbackrestConfigPath' | 'stanza'>,
  paths: ScratchPaths,
  target: RestoreTargetArgs,
): string {
  const args = [
    'pgbackrest',
    `--config=${site.pgbackrestConfigPath}`,
    `--stanza=${site.stanza}`,
    `--lock-path=${paths.lock}`,
    `--log-path=${paths.pgbackrestLog}`,
    `--spool-path=${paths.spool}`,
    '--log-level-console=warn',
    'restore',
    `--pg1-path=${paths.data}`,
    `--set=${target.backupLabel}`,
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
  return args.map(shq).join(' ');
}
