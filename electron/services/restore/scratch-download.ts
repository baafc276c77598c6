import { AppError } from '../app-error';
import type { RestoreTargetArgs } from '../../../shared/restore/restore-args';
import { pgbackrestRestoreCommand } from './restore-command';
import type { RestoreSite } from './restore-site';
import { folderSizes } from './scratch-cluster';
import type { ScratchPaths } from './scratch-paths';

/**
 * Runs `pgbackrest restore` into the scratch data directory as the cluster's OS user and
 * reports the bytes restored so far (`du` of the data directory every two seconds, over a
 * second SSH channel).
 */
export async function downloadBackup(
  site: RestoreSite,
  paths: ScratchPaths,
  target: RestoreTargetArgs,
  options: { signal?: AbortSignal; onBytes?: (bytes: number) => void; pollMs?: number } = {},
): Promise<void> {
  const command = pgbackrestRestoreCommand(site, paths, target);
  let finished = false;
  let wake: (() => void) | null = null;
  const restore = site.shell
    .run(
      'pgbackrest restore',
      // A cancel closes this channel; the clean-up then stops pgBackRest by its command line,
      // which names the scratch folder.
      `exec ${command} </dev/null`,
      { asUser: site.osUser, signal: options.signal },
    )
    .finally(() => {
      finished = true;
      // The watcher's pause ends with the restore, not two seconds later.
      wake?.();
    });
  const watch = (async () => {
    while (!finished && !options.signal?.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs ?? 2000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (finished) break;
      try {
        const sizes = await folderSizes(site.shell, [paths.data], options.signal);
        const bytes = sizes.get(paths.data);
        if (bytes !== undefined && !finished) options.onBytes?.(bytes);
      } catch (err) {
        // Progress is best effort; the restore's own result decides.
        if (err instanceof AppError && err.code === 'CANCELLED') break;
      }
    }
  })();
  try {
    await restore;
  } finally {
    await watch;
  }
}
