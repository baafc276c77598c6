import type { ResolvedRecovery } from '../../../shared/catalog/model';
import type { RestorePlan, RestoreRequest, Said } from '../../../shared/contract';
import { estimateRestoreSeconds } from './restore-estimate';

/** The plan shown before the admin confirms, from the catalog's resolution of the target. */
export function buildRestorePlan(
  request: RestoreRequest,
  resolved: ResolvedRecovery,
  extraWarnings: readonly Said[] = [],
): RestorePlan {
  const backup = resolved.backup;
  return {
    request,
    baseBackup: { label: backup.label, timeStop: backup.timeStop, sizeBytes: backup.sizeBytes },
    pgbackrestType: resolved.pgbackrestType,
    targetTime: resolved.targetTime,
    walSegmentsToReplay: resolved.wal.segments,
    walBytesToReplay: resolved.wal.bytes,
    estimatedSeconds: estimateRestoreSeconds({
      backupBytes: backup.sizeBytes,
      walSegments: resolved.wal.segments,
      walStoredBytes: resolved.wal.bytes,
      attachedFiles: resolved.attachedFiles !== null,
      manifestCheck: request.target.kind === 'point',
    }),
    attachedFiles: resolved.attachedFiles,
    warnings: [...resolved.warnings, ...extraWarnings.map((w) => w.text)],
    // One phrase per warning, in the same order, for the console to word.
    warningWords: [...resolved.warningWords, ...extraWarnings.map((w) => w.words)],
  };
}
