import fs from 'node:fs';
import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { pgbackrestRestoreArgs, type RestoreTargetArgs } from '../../shared/restore/restore-args';
import { pgbackrest, withRedactionMarks } from '../engines/pgbackrest';
import { errorMessage } from '../runtime/errors';
import { diskSyncSkipper } from '../runtime/exec';
import { folderUsage } from '../heartbeat/local-facts';
import { readNoFollow } from '../runtime/no-follow';
import { clusterOwner } from './cluster-user';
import type { DrillPaths } from './scratch-paths';

/** How the restore went, with pgBackRest's words for the evidence. */
export interface RestoreOutcome {
  ok: boolean;
  /** Why it failed (pgBackRest's last lines); null when it succeeded. */
  error: string | null;
  /** pgBackRest's console output and the end of its restore log. */
  evidence: string;
  /** Restored under eatmydata: nothing was forced to disk (the report says so). */
  unsynced: boolean;
}

/**
 * The end of pgBackRest's own log of this restore (its log path is the drill's), without the
 * DETAIL lines a `log-level-file=detail` config adds (one per restored file: thousands).
 */
function restoreLogTail(config: AgentConfig, paths: DrillPaths, bytes = 32 * 1024): string {
  try {
    // The log folder is the cluster's OS user's: only its regular files, never a symlink.
    const owners = [clusterOwner(config).uid];
    const files = fs.readdirSync(paths.pgbackrestLog).filter((f) => f.endsWith('-restore.log'));
    const text = files
      .map((f) => readNoFollow(path.join(paths.pgbackrestLog, f), owners, 'restore log') ?? '')
      .join('\n')
      .split('\n')
      .filter((line) => !/ P\d+ DETAIL: /.test(line))
      .join('\n');
    return text.slice(-bytes);
  } catch {
    return '';
  }
}

/**
 * `pgbackrest restore --set=<label> --type=immediate --target-action=promote --archive-mode=off`
 * into the drill's data directory, as the cluster's OS user, with the drill's own lock, log and
 * spool paths (shared/restore/restore-args.ts, as the app's restore uses them): the restored
 * cluster stops where the backup became consistent and never archives into production's
 * repository (DESIGN.md §7). `label` null: without --set, the repository's latest backup.
 * Under `eatmydata` where the server has it (RunToolOptions.skipDiskSync): the environment is
 * thrown away after the drill, so nothing it writes needs to reach the disk; the evidence says
 * which way it ran.
 * `onBytes` hears how much is on disk every two seconds (the folder's size: cheap next to the
 * restore itself). Never throws for pgBackRest failing; rethrows an abort.
 */
export async function restoreBackup(
  config: AgentConfig,
  paths: DrillPaths,
  label: string | null,
  options: {
    signal?: AbortSignal;
    onBytes?: (bytes: number) => void;
    /** Another target than the backup's end (an app restore: a moment, the newest WAL). */
    target?: RestoreTargetArgs;
  } = {},
): Promise<RestoreOutcome> {
  const args = pgbackrestRestoreArgs(
    paths,
    options.target ?? { type: 'immediate', backupLabel: label, targetTime: null, timeline: 1 },
  );
  const watch = options.onBytes
    ? setInterval(() => options.onBytes?.(folderUsage(paths.data).bytes), 2_000)
    : undefined;
  const skipper = diskSyncSkipper();
  const header = [
    `$ ${skipper ? 'eatmydata ' : ''}pgbackrest --stanza=${config.stanza} ${args.join(' ')}`,
    skipper
      ? 'Writes are not forced to disk (eatmydata): the scratch environment is deleted after the drill.'
      : 'Writes are forced to disk (fsync): the server has no eatmydata.',
  ].join('\n');
  try {
    const result = await pgbackrest(config, args, 'pgbackrest restore', {
      check: false,
      skipDiskSync: true,
      signal: options.signal,
      timeoutMs: 12 * 3600_000,
    });
    const output = [result.stdout.trim(), result.stderr.trim()].filter((t) => t !== '').join('\n');
    const ok = result.code === 0;
    const error = ok
      ? null
      : `pgbackrest restore exited with code ${result.code}: ${output.split('\n').slice(-3).join(' / ') || 'no message'}`;
    return {
      ok,
      unsynced: skipper !== null,
      error: error && withRedactionMarks(error),
      evidence: withRedactionMarks(
        `${header}\nexit code: ${result.code}\n\n${output || '(no console output)'}\n\n--- restore log (end) ---\n${restoreLogTail(config, paths) || '(none)'}\n`,
      ),
    };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const message = errorMessage(error);
    return {
      ok: false,
      unsynced: skipper !== null,
      error: message,
      evidence: `${header}\n\n${message}\n`,
    };
  } finally {
    if (watch) clearInterval(watch);
  }
}
