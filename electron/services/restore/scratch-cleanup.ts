import type { RestoreShell } from './restore-shell';
import { shq } from './restore-shell';
import { removeScratch, stopScratch } from './scratch-cluster';
import type { ScratchRecord } from './scratch-repo';

/**
 * Stops what a restore may have left running for this environment: pgBackRest (restore and the
 * asynchronous archive-get it spawns for the scratch cluster) and restic. They are found by
 * the environment's own folder in their command line (`--pg1-path=<root>/data`,
 * `--target <root>/files`): a path with part of the environment's UUID in it, so nothing else
 * matches, and no pid file that a later process could have inherited the number of.
 */
export async function stopStragglers(
  shell: RestoreShell,
  host: ScratchRecord['host'],
  signal?: AbortSignal,
): Promise<void> {
  const root = host.root;
  await shell.run(
    'stop scratch helpers',
    [
      'set +e',
      'me=$$',
      'for p in /proc/[0-9]*; do',
      '  pid=${p#/proc/}',
      '  [ "$pid" = "$me" ] && continue',
      `  if tr '\\000' ' ' < "$p/cmdline" 2>/dev/null | grep -qF -- ${shq(`${root}/`)}; then kill -TERM "$pid" 2>/dev/null; fi`,
      'done',
      'sleep 1',
      'exit 0',
    ].join('\n'),
    { signal, allowFailure: true },
  );
}

/** Stops the scratch cluster and its helpers and deletes the environment's folder. */
export async function dismantle(
  shell: RestoreShell,
  host: ScratchRecord['host'],
  signal?: AbortSignal,
): Promise<void> {
  await stopScratch(shell, host, signal);
  await stopStragglers(shell, host, signal);
  await removeScratch(shell, host, signal);
}
