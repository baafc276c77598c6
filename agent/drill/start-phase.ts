import type { AgentConfig } from '../../shared/agent/config';
import { readRecoveryLog, type RecoveryOutcome } from '../../shared/restore/recovery-log';
import { errorMessage } from '../runtime/errors';
import type { Logger } from '../runtime/log';
import {
  serverLogTail,
  startScratch,
  stopScratchCluster,
  waitForPause,
  waitForPromotion,
} from './scratch-cluster';
import type { RecoveryStep } from './exact-steps';
import { configureScratch, type KeptCluster } from './scratch-configure';
import { pickDrillPort, removeScratchDir } from './scratch-env';
import type { DrillPaths } from './scratch-paths';
import type { StagedWal } from './wal-staging';

/** A scratch cluster that came up, or why it did not. */
export type StartedCluster =
  | { ok: true; port: number; outcome: RecoveryOutcome }
  | { ok: false; port: number | null; error: string };

/**
 * Configures and starts the restored cluster (with `staged` WAL: wal-staging.ts) and waits for
 * its promotion. Without `steps`, recovery stops where the backup became consistent and
 * `onReadable` hears the port as soon as the cluster accepts (read-only) connections, before
 * the promotion: it already holds the data the promoted cluster will. With `steps` (an exact
 * manifest: exact-steps.ts), recovery pauses at each step but the last, where `atStep` reads
 * those databases, then a restart moves it on; it is promoted at the last step, and only then
 * does `onReadable` hear the port (before, it holds the backup's end, not the manifest's state).
 * Never throws for the cluster failing (that is the `cluster-starts` finding, with
 * PostgreSQL's own FATAL lines); rethrows an abort.
 */
export async function startRestoredCluster(
  config: AgentConfig,
  paths: DrillPaths,
  drillId: string,
  options: {
    signal?: AbortSignal;
    onReadable?: (port: number) => void;
    staged?: StagedWal | null;
    steps?: RecoveryStep[];
    atStep?: (port: number, step: RecoveryStep) => Promise<void>;
    /** An app restore's cluster, kept after the restore (scratch-configure.ts KeptCluster). */
    kept?: KeptCluster;
    /** The port to use; default the drill's (drill.port, or the first free one). */
    port?: number;
    onReplay?: (lsn: string) => void;
  } = {},
): Promise<StartedCluster> {
  const { signal, onReadable, staged, kept } = options;
  const steps = options.steps ?? [];
  let port: number | null = null;
  try {
    port = options.port ?? (await pickDrillPort(config.drill.port));
    if (steps.length === 0) {
      await configureScratch(config, paths, port, drillId, signal, staged, null, kept);
      await startScratch(config, paths, port, signal);
      onReadable?.(port);
    }
    for (const [i, step] of steps.entries()) {
      const last = i === steps.length - 1;
      const stop = { lsn: step.lsn, action: last ? 'promote' : 'pause' } as const;
      await configureScratch(config, paths, port, drillId, signal, staged, stop, kept);
      await startScratch(config, paths, port, signal);
      if (last) break;
      await waitForPause(config, paths, port, { signal });
      await options.atStep?.(port, step);
      await stopScratchCluster(config, paths);
    }
    const outcome = await waitForPromotion(config, paths, port, {
      signal,
      onReplay: options.onReplay,
    });
    if (steps.length > 0) onReadable?.(port);
    return { ok: true, port, outcome };
  } catch (error) {
    if (signal?.aborted) throw error;
    const fatal = readRecoveryLog(serverLogTail(paths)).fatal.slice(-3).join(' / ');
    return {
      ok: false,
      port,
      error: `the restored cluster did not start: ${errorMessage(error)}${fatal ? `; its log says: ${fatal}` : ''}`,
    };
  }
}

/**
 * Removes the throwaway environment: stops the cluster (fast, immediate, SIGKILL) and deletes
 * the folder. Runs in `finally`, after failures and aborts alike, without the abort signal.
 * Never throws: what it cannot remove is logged, and the next drill's sweep tries again.
 */
export async function removeEnvironment(
  config: AgentConfig,
  paths: DrillPaths,
  log: Logger,
): Promise<boolean> {
  let clean = true;
  try {
    await stopScratchCluster(config, paths);
  } catch (error) {
    clean = false;
    log.error(`drill: could not stop the scratch cluster: ${errorMessage(error)}`);
  }
  try {
    await removeScratchDir(config, paths.root);
  } catch (error) {
    clean = false;
    log.error(`drill: could not delete ${paths.root}: ${errorMessage(error)}`);
  }
  return clean;
}
