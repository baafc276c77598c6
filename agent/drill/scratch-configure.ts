import fs from 'node:fs';
import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import {
  MINIMAL_POSTGRESQL_CONF,
  parseControlData,
  rewriteAutoConf,
  scratchHba,
  scratchSettings,
} from '../../shared/restore/scratch-settings';
import { AgentError } from '../runtime/errors';
import { runTool } from '../runtime/exec';
import { readNoFollow, replaceOwnedFile } from '../runtime/no-follow';
import { clusterOwner, writeAsClusterUser } from './cluster-user';
import {
  restoreCommandOf,
  stagedRestoreCommand,
  synchronousRestoreCommand,
} from './restore-command';
import { pgBin } from './scratch-cluster';
import type { DrillPaths } from './scratch-paths';
import type { StagedWal } from './wal-staging';

// The restored data directory becomes a cluster that cannot harm production (DESIGN.md §7):
// its own port, socket, pg_hba and log, never archiving. The settings are the ones the app's
// point-in-time restore uses (shared/restore/scratch-settings.ts); here they are written locally.

// The data directory is the cluster's OS user's (so any database superuser's, through COPY …
// TO PROGRAM): root reads its files only when they are regular files of that user (never through
// a symlink postgres put there), and the files written into it are written by that user
// (DESIGN.md §6). The scratch cluster's pg_hba.conf lives in the drill's folder, which is the
// agent's: written there exclusively and handed to the cluster's OS user.

/**
 * A file of the restored data directory, or null when the restore has none.
 * @throws AgentError (`start`) for a symlink, anything not a regular file, or a foreign owner.
 */
function readRestored(config: AgentConfig, file: string): string | null {
  return readNoFollow(file, [clusterOwner(config).uid], 'start');
}

/** True when `file` exists in any form (a symlink too). */
function present(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Where recovery stops instead of the backup's end, and what it does there. */
export interface RecoveryStop {
  lsn: string;
  /** 'pause': hold there, read-only, for a look (a later start goes on to the next stop). */
  action: 'pause' | 'promote';
}

/**
 * Recovery settings for a stop just before WAL position `lsn`: exclusive, as the exact
 * manifest's position is where the next record starts (when that record is a commit, an
 * inclusive stop replays it: one transaction more than the manifest). pgBackRest's
 * `recovery_target = 'immediate'` is cleared, as two targets are refused.
 */
export function stopSettings(stop: RecoveryStop): Record<string, string> {
  return {
    recovery_target: '',
    recovery_target_lsn: stop.lsn,
    recovery_target_inclusive: 'off',
    recovery_target_action: stop.action,
  };
}

/**
 * A scratch cluster the admin keeps (an app restore), unlike a drill's: it replays as far as
 * the target asks, so pgBackRest's asynchronous archive-get (segments fetched ahead in
 * parallel) stays; and it is durable (fsync stays on), as it outlives the restore.
 */
export interface KeptCluster {
  kept: true;
}

/**
 * Turns the restored data directory into the drill's scratch cluster. With `staged` WAL, its
 * restore_command looks in the staging folder before asking the repository. With `target`,
 * recovery stops there instead of at the backup's end; called again on the stopped cluster,
 * it moves the stop on (the previous settings are commented out, the new ones appended).
 * @throws AgentError when the backup is of another major version than the server's binaries.
 */
export async function configureScratch(
  config: AgentConfig,
  paths: DrillPaths,
  port: number,
  drillId: string,
  signal?: AbortSignal,
  staged?: StagedWal | null,
  target?: RecoveryStop | null,
  kept?: KeptCluster,
): Promise<void> {
  const version = (readRestored(config, path.join(paths.data, 'PG_VERSION')) ?? '').trim();
  const major = config.pg.version.split('.')[0];
  if (version !== major) {
    throw new AgentError(
      'start',
      `the backup is PostgreSQL ${version || '?'}, but the server runs PostgreSQL ${major} binaries`,
    );
  }
  const control = await runTool(pgBin(config, 'pg_controldata'), [paths.data], {
    runAs: config.pg.osUser,
    step: 'pg_controldata',
    signal,
    timeoutMs: 60_000,
  });
  const settings = scratchSettings({
    port,
    socketDirectory: paths.socket,
    clusterName: `kumiko-${drillId}`,
    hbaFile: paths.hba,
    controlData: parseControlData(control.stdout),
  });
  const autoConf = path.join(paths.data, 'postgresql.auto.conf');
  const restored = readRestored(config, autoConf) ?? '';
  const original = restoreCommandOf(restored);
  // A kept cluster keeps pgBackRest's own (asynchronous) command, behind staged WAL if any.
  const command = original && (kept ? original : synchronousRestoreCommand(original));
  // A drill replays only the backup's own WAL and stops where it became consistent. With
  // PostgreSQL 15's prefetching the WAL reader looks ahead past that point, and every switched
  // (near-empty) segment archived since the backup is one more restore_command, ~0.1 s each:
  // 1.3 s for eleven of them on a cluster idle since its backup. No lookahead, no such fetches.
  if (Number(major) >= 15 && !kept) settings.recovery_prefetch = 'off';
  // The drill's cluster is deleted when the drill ends, so a crash cannot lose anything worth
  // keeping: no fsync. That also skips the start's fsync of every file in the data directory
  // (a backup's restore is started like a crashed cluster) and the checkpoint's after the
  // promotion, which otherwise compete with the verification for the disk.
  if (!kept) settings.fsync = 'off';
  if (target) Object.assign(settings, stopSettings(target));
  if (command && (staged || !kept)) {
    settings.restore_command = staged ? stagedRestoreCommand(command, staged.dir) : command;
  }
  replaceOwnedFile(
    paths.hba,
    scratchHba(config.pg.osUser, readRestored(config, path.join(paths.data, 'pg_hba.conf'))),
    0o600,
    clusterOwner(config),
  );
  const postgresqlConf = path.join(paths.data, 'postgresql.conf');
  if (!present(postgresqlConf)) {
    await writeAsClusterUser(
      config,
      postgresqlConf,
      MINIMAL_POSTGRESQL_CONF,
      'configure the scratch cluster',
      signal,
    );
  }
  await writeAsClusterUser(
    config,
    autoConf,
    rewriteAutoConf(
      restored,
      settings,
      kept
        ? `Restore ${drillId} (Kumiko Recovery): a scratch cluster that never archives`
        : `Drill ${drillId} (Kumiko Recovery): a throwaway cluster that never archives`,
    ),
    'configure the scratch cluster',
    signal,
  );
}
