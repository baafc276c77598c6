import type { ResolvedRecovery } from '../../../shared/catalog/model';
import type {
  ProductionRestoreRequest,
  ProductionRestoreResult,
  RestoreCheck,
  SafetySnapshot,
} from '../../../shared/contract';
import { lsnToBytes } from '../../../shared/restore/recovery-log';
import { pgbackrestRestoreArgs } from '../../../shared/restore/restore-args';
import type { JobContext } from '../../jobs/runner';
import { AppError } from '../app-error';
import type { TrustedManifest } from './manifest-check';
import { pauseAgent, resumeAgent, takeSafetySnapshot, type AgentRun } from './production-agent';
import {
  prepareWorkFolder,
  productionPaths,
  productionTarget,
  readProductionControl,
  startAsBefore,
  startPrivately,
  stopPrivately,
  stopProduction,
  type ProductionControl,
} from './production-postgres';
import { withEstimate } from './production-progress';
import {
  archivingCheck,
  resetRecoveryTargets,
  verifyRestoredProduction,
} from './production-verify';
import { pgbackrestCommand } from './restore-command';
import { RESTORE_RATES } from './restore-estimate';
import type { RestoreSite } from './restore-site';
import type { ScratchPaths } from './scratch-paths';
import { waitForPromotion } from './scratch-recovery';

const WAL_SEGMENT_BYTES = 16 * 1024 * 1024;

/** What the job needs; the restore service assembles it after the admin's name was checked. */
export interface ProductionJobInput {
  job: JobContext;
  request: ProductionRestoreRequest;
  /** The catalog's resolution of the target, made (on a fresh listing) when the job was started. */
  resolved: ResolvedRecovery;
  /** The plan's estimate of the safety snapshot, for its progress. */
  safetySnapshotSeconds: number;
  agent: AgentRun;
  /** Connects to the server and describes it from the agent's config. */
  openSite(signal?: AbortSignal): Promise<RestoreSite>;
  /** A recovery point's manifest (for a point target's manifest check); null if none. */
  loadManifest(label: string): Promise<TrustedManifest | null>;
  /** How to undo with the safety snapshot, in words for the admin. */
  undoHint(safety: SafetySnapshot): string;
}

/** What a failure after the stop leaves behind, for its message. */
type Stage = 'restore' | 'replay' | 'verify' | 'start-capture' | 'capture';

const LEFT_BEHIND: Record<Stage, string> = {
  restore:
    'PostgreSQL is stopped and its data directory is only partly restored: do not start it as it is.',
  replay: 'PostgreSQL is stopped; its data directory holds an unfinished recovery.',
  verify: 'PostgreSQL is stopped, so no application writes to a cluster that failed verification.',
  'start-capture':
    'The restored cluster was verified, but PostgreSQL may not be running as before: check it on the server.',
  capture:
    'Production runs restored and verified, but capture could not be confirmed: check the agent and pg_stat_archiver on the server.',
};

/**
 * Restore over production: read how PostgreSQL runs → pause the agent → safety snapshot (if it
 * fails, nothing changed) → stop PostgreSQL → `pgbackrest restore --delta` over its data
 * directory → start it privately (no TCP, the job's own socket) and replay to the target,
 * promoted onto a new timeline that is archived → verify → start it as it ran → agent again.
 * Cancel is honoured until PostgreSQL is stopped (it is started again as it was); from the
 * restore on, cancel is refused: a half-restored production directory is never left behind
 * silently. Every failure after the stop names the safety snapshot that undoes the restore.
 */
export async function runProductionRestore(
  input: ProductionJobInput,
): Promise<ProductionRestoreResult> {
  const { job } = input;
  job.progress('plan', 0, 2);
  const site = await input.openSite(job.signal);
  try {
    const cluster = productionTarget(site);
    const control = await readProductionControl(site, cluster, job.signal);
    job.progress('plan', 1, 2);
    let paused = await pauseAgent(site.shell, input.agent);
    const resume = async () => {
      if (!paused) return;
      paused = false;
      await resumeAgent(site.shell, input.agent);
    };
    job.progress('plan', 2, 2);
    try {
      const safety = await withEstimate(job, 'safety-snapshot', input.safetySnapshotSeconds, () =>
        takeSafetySnapshot(site.shell, input.agent, job.signal),
      );
      const stoppedAt = await stopForRestore(input, site, control, safety);
      return await restoreOver(input, site, control, { safety, stoppedAt }, resume);
    } catch (err) {
      // Best effort: the agent's heartbeats then report the state production is in.
      await resume().catch(() => undefined);
      throw err;
    }
  } finally {
    job.holdCancel?.(null);
    site.shell.ssh.close();
  }
}

/**
 * Stops PostgreSQL and returns when it began stopping; from then on cancel is refused. A
 * cancel that came while it stopped starts it again as it ran (nothing was restored yet).
 */
async function stopForRestore(
  input: ProductionJobInput,
  site: RestoreSite,
  control: ProductionControl,
  safety: SafetySnapshot,
): Promise<string> {
  const { job } = input;
  const paths = productionPaths(input.agent.layout, control.cluster);
  job.progress('stop', 0, 1);
  if (job.signal.aborted) throw new AppError('CANCELLED', 'Cancelled: production was not touched.');
  await prepareWorkFolder(site, paths);
  const stoppedAt = new Date().toISOString();
  try {
    await stopProduction(site, control);
  } catch (err) {
    await startAsBefore(site, control).catch(() => undefined);
    throw err;
  }
  job.holdCancel?.(
    `Production is being restored (safety snapshot ${safety.label} was taken first). Cancelling now would ` +
      'leave a half-restored data directory, so the restore runs to its end; restoring the safety snapshot undoes it.',
  );
  if (job.signal.aborted) {
    await startAsBefore(site, control);
    throw new AppError(
      'CANCELLED',
      'Cancelled before anything was restored: PostgreSQL runs as before.',
    );
  }
  job.progress('stop', 1, 1);
  return stoppedAt;
}

async function restoreOver(
  input: ProductionJobInput,
  site: RestoreSite,
  control: ProductionControl,
  { safety, stoppedAt }: { safety: SafetySnapshot; stoppedAt: string },
  resume: () => Promise<void>,
): Promise<ProductionRestoreResult> {
  const { job, resolved, request } = input;
  const paths = productionPaths(input.agent.layout, control.cluster);
  let stage: Stage = 'restore';
  let startedPrivately = false;
  try {
    const downloadSeconds =
      2 + (resolved.backup.sizeBytes ?? 0) / RESTORE_RATES.downloadBytesPerSecond;
    await withEstimate(job, 'restore', downloadSeconds, () =>
      site.shell.run(
        'pgbackrest restore',
        `exec ${productionRestoreCommand(site, paths, resolved)} </dev/null`,
        {
          asUser: site.osUser,
        },
      ),
    );

    stage = 'replay';
    const from = resolved.backup.lsnStart ? lsnToBytes(resolved.backup.lsnStart) : null;
    const total = Math.max(1, resolved.wal.segments) * WAL_SEGMENT_BYTES;
    let replayed = 0;
    job.progress('replay', 0, total);
    startedPrivately = true;
    await startPrivately(site, control, paths);
    const outcome = await waitForPromotion(site, paths, control.cluster.port, {
      targetDescription: resolved.targetTime ?? `the end of backup ${resolved.backup.label}`,
      onReplay: (lsn) => {
        if (from === null) return;
        replayed = Math.max(replayed, Math.min(total, lsnToBytes(lsn) - from));
        job.progress('replay', replayed, total);
      },
    });

    stage = 'verify';
    job.progress('verify', 0, 1);
    const checks = await verifyRestoredProduction(site, paths, control, outcome, {
      target: request.target,
      targetTime: resolved.targetTime,
      manifest:
        request.target.kind === 'point' ? await input.loadManifest(request.target.label) : null,
    });
    const failed = checks.filter((c) => !c.ok);
    if (failed.length) {
      throw new AppError(
        'RESTORE_FAILED',
        `Verification failed: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}.`,
      );
    }
    job.progress('verify', 1, 1);

    stage = 'start-capture';
    job.progress('start-capture', 0, 3);
    await resetRecoveryTargets(site, paths, control.cluster.port);
    await stopPrivately(site, paths);
    startedPrivately = false;
    await startAsBefore(site, control);
    const startedAt = new Date().toISOString();
    stage = 'capture';
    job.progress('start-capture', 1, 3);
    await resume();
    job.progress('start-capture', 2, 3);
    const archiving: RestoreCheck = await archivingCheck(site, control, outcome.newTimeline);
    job.progress('start-capture', 3, 3);
    return {
      serverId: request.serverId,
      target: request.target,
      targetTime: resolved.targetTime,
      baseBackup: resolved.backup.label,
      safetySnapshot: safety,
      timeline: outcome.newTimeline,
      dataDirectory: control.cluster.dataDirectory,
      port: control.cluster.port,
      stoppedAt,
      startedAt,
      checks: [...checks, archiving],
    };
  } catch (err) {
    if (startedPrivately) await stopPrivately(site, paths).catch(() => undefined);
    throw failedAfterStop(err, stage, safety, input.undoHint(safety));
  }
}

/**
 * `pgbackrest restore` over production: the scratch restore's arguments (pinned set, target,
 * timeline, promote) except `--archive-mode=off`. Production must archive its new timeline,
 * so pgBackRest keeps archive_mode as it was; `--delta` keeps the files that did not change
 * instead of emptying the data directory first.
 */
export function productionRestoreCommand(
  site: Pick<RestoreSite, 'pgbackrestConfigPath' | 'stanza'>,
  paths: ScratchPaths,
  resolved: ResolvedRecovery,
): string {
  const args = pgbackrestRestoreArgs(paths, {
    type: resolved.pgbackrestType,
    backupLabel: resolved.backup.label,
    targetTime: resolved.targetTime,
    timeline: resolved.timeline,
  });
  const at = args.indexOf('--archive-mode=off');
  if (at < 0) throw new AppError('INTERNAL', 'unexpected restore arguments');
  args.splice(at, 1, '--delta');
  return pgbackrestCommand(site, args);
}

function failedAfterStop(
  err: unknown,
  stage: Stage,
  safety: SafetySnapshot,
  undo: string,
): AppError {
  const why = err instanceof Error ? err.message : String(err);
  return new AppError(
    err instanceof AppError && err.code === 'RESTORE_NOT_COVERED' ? err.code : 'RESTORE_FAILED',
    `Restore over production failed while "${stage}": ${why} ${LEFT_BEHIND[stage]} ` +
      `The safety snapshot ${safety.label} (consistent at ${safety.at}) holds production as it was: ${undo}`,
    { stage, safetySnapshot: safety.label },
  );
}
