import type { AgentConfig } from '../../shared/agent/config';
import type { ManifestDatabase, RecoveryPointManifest } from '../../shared/agent/manifest';
import { listDatabases } from '../snapshot/table-stats';
import type { RecoveryStep } from './exact-steps';
import { restoredStats } from './manifest-match';
import { scratchConfig, type DrillPaths } from './scratch-paths';

/** Databases measured while recovery paused at their exact positions, and the hook to do it. */
export interface StepMeasurer {
  /** Per database: its numbers as restored at its step, or why they could not be read. */
  measured: Map<string, ManifestDatabase | Error>;
  /** For startRestoredCluster's `atStep`: reads the step's databases on the paused cluster. */
  atStep(port: number, step: RecoveryStep): Promise<void>;
}

/**
 * Reads an exact manifest's databases where recovery pauses for them (exact-steps.ts), for the
 * `manifest-match` comparison. The names read are the restored cluster's own (pg_database); one
 * only the manifest lists stays unmeasured, and the comparison reports it missing. Errors
 * other than an abort are kept per database, for the comparison to report.
 */
export function stepMeasurer(
  config: AgentConfig,
  paths: Pick<DrillPaths, 'socket'>,
  manifest: RecoveryPointManifest | null,
  signal?: AbortSignal,
): StepMeasurer {
  const measured = new Map<string, ManifestDatabase | Error>();
  const kept = (error: unknown): Error => {
    if (signal?.aborted) throw error;
    return error instanceof Error ? error : new Error(String(error));
  };
  return {
    measured,
    async atStep(port, step) {
      if (!manifest) return;
      const scratch = scratchConfig(config, paths, port);
      const present = await listDatabases(scratch).then((names) => new Set(names), kept);
      for (const db of step.databases) {
        if (present instanceof Error) {
          measured.set(db, present);
          continue;
        }
        if (!present.has(db)) continue;
        measured.set(db, await restoredStats(scratch, manifest, db, signal).catch(kept));
      }
    },
  };
}
