import type { AgentConfig } from '../../shared/agent/config';
import { readRecoveryLog, type RecoveryOutcome } from '../../shared/restore/recovery-log';
import { errorMessage } from '../runtime/errors';
import type { Logger } from '../runtime/log';
import {
  serverLogTail,
  startScratch,
  stopScratchCluster,
  waitForPromotion,
} from './scratch-cluster';
import { configureScratch } from './scratch-configure';
import { pickDrillPort, removeScratchDir } from './scratch-env';
import type { DrillPaths } from './scratch-paths';
import type { StagedWal } from './wal-staging';

/** A scratch cluster that came up, or why it did not. */
export type StartedCluster =
  | { ok: true; port: number; outcome: RecoveryOutcome }
  | { ok: false; port: number | null; error: string };

/**
 * Configures and starts the restored cluster (with `staged` WAL: wal-staging.ts) and waits for
 * its promotion. `onReadable` hears
 * the port as soon as the cluster accepts (read-only) connections, before the promotion.
 * Never throws for the cluster failing (that is the `cluster-starts` finding, with
 * PostgreSQL's own FATAL lines); rethrows an abort.
 */
export async function startRestoredCluster(
  config: AgentConfig,
  paths: DrillPaths,
  drillId: string,
  signal?: AbortSignal,
  onReadable?: (port: number) => void,
  staged?: StagedWal | null,
): Promise<StartedCluster> {
  let port: number | null = null;
  try {
    port = await pickDrillPort(config.drill.port);
    await configureScratch(config, paths, port, drillId, signal, staged);
    await startScratch(config, paths, port, signal);
    onReadable?.(port);
    const outcome = await waitForPromotion(config, paths, port, { signal });
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
    await stopScratchCluster(config, paths.data);
  } catch (error) {
    clean = false;
    log.error(`drill: could not stop the scratch cluster: ${errorMessage(error)}`);
  }
  try {
    removeScratchDir(paths.root);
  } catch (error) {
    clean = false;
    log.error(`drill: could not delete ${paths.root}: ${errorMessage(error)}`);
  }
  return clean;
}
