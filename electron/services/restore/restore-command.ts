import {
  pgbackrestRestoreArgs,
  type RestoreTargetArgs,
} from '../../../shared/restore/restore-args';
import type { RestoreSite } from './restore-site';
import { shq } from './restore-shell';
import type { ScratchPaths } from './scratch-paths';

// Moved to shared/restore with the rest of the restore arguments; the bench still imports it here.
export { pgTargetTime } from '../../../shared/restore/restore-args';

/**
 * `pgbackrest restore` into the scratch data directory, as the site's OS user: the agent's
 * config reaches the repository; everything else (own lock, log and spool paths, the pinned
 * set, `--archive-mode=off`, promote) is {@link pgbackrestRestoreArgs}, shared with the
 * agent's drill.
 */
export function pgbackrestRestoreCommand(
  site: Pick<RestoreSite, 'pgbackrestConfigPath' | 'stanza'>,
  paths: ScratchPaths,
  target: RestoreTargetArgs,
): string {
  return pgbackrestCommand(site, pgbackrestRestoreArgs(paths, target));
}

/** `pgbackrest --config=… --stanza=… <args>`, shell-quoted: the agent's config reaches the repository. */
export function pgbackrestCommand(
  site: Pick<RestoreSite, 'pgbackrestConfigPath' | 'stanza'>,
  args: readonly string[],
): string {
  return ['pgbackrest', `--config=${site.pgbackrestConfigPath}`, `--stanza=${site.stanza}`, ...args]
    .map(shq)
    .join(' ');
}
