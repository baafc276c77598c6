import type { RestoreShell } from './restore-shell';
import { shq } from './restore-shell';
import { removeScratch, stopScratch } from './scratch-cluster';
import type { ScratchRecord } from './scratch-repo';

/**
 * The script that stops what a restore may have left running for the environment under `root`:
 * pgBackRest (restore and the asynchronous archive-get it spawns for the scratch cluster) and
 * restic. They are found by the environment's own folder in their command line
 * (`--pg1-path=<root>/data`, `--target <root>/files`): a path with part of the environment's
 * UUID in it, so nothing else matches, and no pid file that a later process could have
 * inherited the number of. restic gets SIGINT, the one signal on which it removes its lock from
 * the agent's repository (on SIGTERM it leaves the lock, and the agent's next repository check
 * and prune find it "already locked"); everything else SIGTERM.
 */
export function stopStragglersScript(root: string): string {
  return [
    'set +e',
    'me=$$',
    'for p in /proc/[0-9]*; do',
    '  pid=${p#/proc/}',
    '  [ "$pid" = "$me" ] && continue',
    `  tr '\\000' ' ' < "$p/cmdline" 2>/dev/null | grep -qF -- ${shq(`${root}/`)} || continue`,
    '  if [ "$(cat "$p/comm" 2>/dev/null)" = restic ]; then kill -INT "$pid"; else kill -TERM "$pid"; fi 2>/dev/null',
    'done',
    'sleep 1',
    'exit 0',
  ].join('\n');
}

/** Stops the restore's helpers still running for this environment ({@link stopStragglersScript}). */
export async function stopStragglers(
  shell: RestoreShell,
  host: ScratchRecord['host'],
  signal?: AbortSignal,
): Promise<void> {
  await shell.run('stop scratch helpers', stopStragglersScript(host.root), {
    signal,
    allowFailure: true,
  });
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
