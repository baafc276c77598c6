import os from 'node:os';
import { drillIdFor } from '../../shared/agent/drill';
import type { DrillCheck, DrillResult, KnownCheckId } from '../../shared/report/drill-result';
import type { Bucket } from '../engines/s3';
import type { AgentContext } from '../runtime/context';
import { errorMessage } from '../runtime/errors';
import { makeRedactor } from '../runtime/redact';
import { AGENT_VERSION } from '../version';
import { inBackground, type BackgroundWork } from './background';
import { couldNotRun, EVIDENCE, orderedChecks, secondsBetween, type EvidenceName } from './checks';
import { filesHashCheck, resticCheckCheck } from './file-checks';
import { folderUsage } from '../heartbeat/local-facts';
import type { ProgressFn } from './progress';
import { prepareDrill, prepareScratch, type PreparedDrill } from './prepare-phase';
import { drillSecrets } from './report';
import type { DrillRecoveryPoint } from './recovery-point';
import { pgbackrestVerifyCheck } from './repository-check';
import { restoreBackup, type RestoreOutcome } from './restore';
import { roomFor } from './free-space';
import { serverLogTail } from './scratch-cluster';
import { createScratchDirs, recreateDataDir } from './scratch-env';
import { scratchConfig } from './scratch-paths';
import { removeEnvironment, startRestoredCluster, type StartedCluster } from './start-phase';
import {
  databaseNotRestored,
  verifyRestoredDatabase,
  type ManifestMatch,
  type PhaseResult,
} from './verify-phase';
import { manifestMatchCheck } from './manifest-match';
import { stepMeasurer } from './step-measure';
import { lastStopSegment, recoverySteps } from './exact-steps';
import { describeStaging, stageRecoveryWal, type StagedWal } from './wal-staging';

/** A drill that ran: its result and evidence, ready to become a signed report. */
export interface PractisedDrill {
  result: DrillResult;
  evidence: Map<string, string>;
}

/**
 * Runs a check that should report rather than throw; anything it throws anyway (a tool missing,
 * the bucket gone) becomes the failed check with the reason. An abort is rethrown.
 */
async function guarded(
  id: KnownCheckId,
  evidence: EvidenceName,
  signal: AbortSignal | undefined,
  work: () => Promise<PhaseResult>,
): Promise<PhaseResult> {
  try {
    return await work();
  } catch (error) {
    if (signal?.aborted) throw error;
    const check = couldNotRun(id, errorMessage(error), [evidence]);
    return { checks: [check], evidence: { [evidence]: `${check.detail}\n` } };
  }
}

/**
 * The attached files' check (`files-hash`), started as soon as the drill's folder exists and
 * run beside the database's restore, start and verification: restic restores into its own
 * folder, so the two never touch each other's files. Its failures become the failed check
 * (see {@link guarded}); only an abort rejects.
 */
function attachedFilesInBackground(
  ctx: AgentContext,
  point: DrillRecoveryPoint,
  target: string,
): BackgroundWork<PhaseResult & { bytes: number | null }> {
  return inBackground(async (signal) => {
    let bytes: number | null = null;
    const phase = await guarded('files-hash', EVIDENCE.files, signal, async () => {
      const files = await filesHashCheck(
        ctx.config,
        ctx.paths.resticCache,
        point.manifest?.restic ?? null,
        target,
        signal,
      );
      bytes = files.bytes;
      return { checks: [files.check], evidence: files.evidence };
    });
    return { ...phase, bytes };
  }, ctx.signal);
}

/**
 * The drill itself, phase by phase (prepare, restore, start, verify, files, cleanup,
 * repository): restores the latest recovery point into a throwaway environment under
 * drill.scratchRoot, verifies it, and always removes the environment again, before the checks
 * of the repositories as a whole. The attached files are restored and verified beside the
 * database (from the restore phase on); the `files` phase waits for them, so the RTO still ends
 * once both are back and verified.
 * @throws AgentError when there is nothing to restore (no report can describe such a drill).
 */
export async function practiseRestore(
  ctx: AgentContext,
  bucket: Bucket,
  startedAt: Date,
  progress: ProgressFn,
): Promise<PractisedDrill> {
  const { config, log, signal } = ctx;
  const drillId = drillIdFor(startedAt);
  const redact = makeRedactor(drillSecrets(config));
  const evidence = new Map<string, string>();
  const put = (files: Record<string, string>): void => {
    for (const [name, text] of Object.entries(files)) evidence.set(name, redact(text));
  };
  const checks = new Map<KnownCheckId, DrillCheck>();
  const add = (phase: PhaseResult): void => {
    for (const check of phase.checks) checks.set(check.id as KnownCheckId, check);
    put(phase.evidence);
  };

  const paths = await prepareScratch(ctx, drillId);
  // The repository's latest backup is nearly always the recovery point the drill restores: its
  // restore starts now, while the prepare phase finds and checks the point (pgbackrest info,
  // the bucket's manifests, the signature: ~0.15 s of RTO on a 1 GB cluster).
  // Known once the prepare phase has found the point: the restore's progress waits for it.
  let shown: { label: string; total: number } | null = null;
  const onBytes = (bytes: number): void => {
    if (!shown) return;
    progress(
      'restore',
      `restoring backup ${shown.label}`,
      Math.min(bytes, shown.total),
      shown.total,
    );
  };
  let latest: BackgroundWork<RestoreOutcome> | null = null;
  let prepared: PreparedDrill;
  try {
    createScratchDirs(config, paths);
    latest = inBackground(
      (s) => restoreBackup(config, paths, null, { signal: s, onBytes }),
      signal,
    );
    progress('prepare', 'finding the latest recovery point');
    prepared = await prepareDrill(ctx, bucket);
  } catch (error) {
    await latest?.stop();
    await removeEnvironment(config, paths, log);
    throw error;
  }
  const { point, restorable, latestLabel } = prepared;
  put(prepared.evidence);
  const label = point.backup.label;

  // The files' work stops with the drill (SIGTERM, cancel) and also when the database part
  // fails outright: `finally` stops it and waits for restic before deleting its folder.
  let files: BackgroundWork<PhaseResult & { bytes: number | null }> | null = null;
  let walStaging: BackgroundWork<StagedWal> | null = null;
  // Set inside the start phase's callback (hence the cast: TypeScript cannot see that).
  let tables = null as BackgroundWork<ManifestMatch> | null;

  let cluster: StartedCluster | null = null;
  let databaseBytes = 0;
  let unsynced = false;
  let filesBytes: number | null = null;
  let verifiedAt: Date | null = null;
  try {
    log.info('drill: restoring and verifying the attached files beside the database');
    files = attachedFilesInBackground(ctx, point, paths.files);
    const steps = recoverySteps(point.manifest);
    walStaging = inBackground(
      async (s) =>
        stageRecoveryWal(
          config,
          paths,
          point.backup.archive,
          s,
          await lastStopSegment(config, point.backup.archive.stop, steps, s),
        ),
      signal,
    );
    shown = { label, total: point.backup.info.size };
    progress('restore', `restoring backup ${label}`, 0, shown.total);
    let restored: RestoreOutcome;
    const room = roomFor(
      paths.root,
      point.backup.info.size,
      `Restoring backup ${label}`,
      'drill.scratchRoot',
    );
    if (!room.ok) {
      // Refused before the restore fills the disk: the report says how much it needs.
      await latest.stop();
      restored = { ok: false, error: room.problem, evidence: `${room.problem}\n`, unsynced: false };
    } else if (latestLabel === label) {
      restored = await latest.result;
      restored.evidence += `\nBackup ${label} is the repository's latest, restored without --set.\n`;
    } else {
      // The latest backup has no signed manifest (its snapshot did not finish): start over with
      // the recovery point itself.
      await latest.stop();
      await recreateDataDir(config, paths);
      restored = await restoreBackup(config, paths, label, { signal, onBytes });
    }
    unsynced = restored.unsynced;
    const staged = await walStaging.result.catch(() => null);
    put({ [EVIDENCE.restore]: `${restored.evidence}\n${describeStaging(staged)}\n` });
    if (restored.ok) {
      databaseBytes = folderUsage(paths.data).bytes;
      progress('start', 'starting the restored cluster and waiting for its promotion');
      // Databases read while recovery paused at their exact position (an exact manifest whose
      // databases were taken at several positions: exact-steps.ts).
      const measurer = stepMeasurer(config, paths, point.manifest, signal);
      const { measured } = measurer;
      cluster = await startRestoredCluster(config, paths, drillId, {
        signal,
        staged,
        steps,
        atStep: (port, step) => measurer.atStep(port, step),
        // The cluster holds the state to compare (the manifest's exact position, or for an
        // older manifest the backup's end, where read-only connections open before the
        // promotion): the table comparison starts now.
        onReadable: (port) => {
          tables = inBackground(
            (s) => manifestMatchCheck(scratchConfig(config, paths, port), point, s, measured),
            signal,
          );
        },
      });
    }
    progress('verify', 'checking the restored database');
    const started = cluster?.ok ? cluster : null;
    const why = restored.error ?? (cluster && !cluster.ok ? cluster.error : 'not restored');
    add(
      started
        ? await verifyRestoredDatabase(
            config,
            scratchConfig(config, paths, started.port),
            started.outcome,
            point,
            bucket,
            signal,
            tables?.result,
          ).catch((error: unknown) => {
            if (signal?.aborted) throw error;
            return databaseNotRestored(errorMessage(error), true);
          })
        : databaseNotRestored(why),
    );
    put({
      [EVIDENCE.serverLog]:
        serverLogTail(paths, 64 * 1024) || '(the restored cluster wrote no log)\n',
    });

    progress(
      'files',
      files.settled()
        ? 'the attached files were restored and verified beside the database'
        : 'waiting for the attached files, restored and verified beside the database',
    );
    const attached = await files.result;
    filesBytes = attached.bytes;
    add(attached);
    // RTO ends here: the database and the attached files are both back and verified (the
    // repository checks after the clean-up are about the backups in general, not about getting
    // this data back).
    if (started) verifiedAt = ctx.now();
  } finally {
    progress('cleanup', `stopping the restored cluster and deleting ${paths.root}`);
    // Never delete the folder under a still-writing restic: stop the files' work if it still
    // runs (the drill was aborted, or the database part threw) and wait until it has settled.
    await files?.stop();
    await latest.stop();
    await walStaging?.stop();
    await tables?.stop();
    await removeEnvironment(config, paths, log);
  }

  // The repository checks read the whole pgBackRest repository (every backup, 30 days of WAL)
  // and a sample of restic's: minutes to hours on a big server, and nothing in them needs the
  // restored copy. So they run after it is gone (its disk space and memory back to production)
  // and at low priority, beside production's own work.
  const resticPart =
    config.restic.paths.length > 0
      ? `restic check of ${config.drill.resticReadPercent}% of the file data, `
      : '';
  progress('repository', `${resticPart}pgbackrest verify of every backup and WAL segment`);
  add(
    await guarded('restic-check', EVIDENCE.resticCheck, signal, async () => {
      const r = await resticCheckCheck(
        config,
        ctx.paths.resticCache,
        config.drill.resticReadPercent,
        signal,
      );
      return { checks: [r.check], evidence: { [EVIDENCE.resticCheck]: r.evidence } };
    }),
  );
  add(
    await guarded('pgbackrest-verify', EVIDENCE.verify, signal, async () => {
      const r = await pgbackrestVerifyCheck(config, signal);
      return { checks: [r.check], evidence: { [EVIDENCE.verify]: r.evidence } };
    }),
  );

  const list = orderedChecks(checks);
  const finishedAt = ctx.now();
  const host = os.hostname() || config.serverId;
  return {
    evidence,
    result: {
      drillId,
      server: { id: config.serverId, name: (config.serverName ?? host).slice(0, 200) },
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      passed: list.every((c) => c.passed),
      rtoSeconds: verifiedAt ? secondsBetween(startedAt, verifiedAt) : null,
      rpoSeconds: secondsBetween(restorable.at, startedAt),
      newestRestorableAt: restorable.at.toISOString(),
      restored: {
        backupLabel: label,
        // --type=immediate: recovery stops where the backup became consistent, i.e. its end.
        targetTime:
          point.manifest?.pgbackrest.timeStop ??
          new Date(point.backup.timestamp.stop * 1000).toISOString(),
        resticSnapshotId: point.manifest?.restic.snapshotId ?? null,
        databaseBytes,
        attachedFilesBytes: filesBytes,
      },
      // The fsync note before the folder: a long folder name is what the 200 characters cut.
      environment:
        `${host}, scratch cluster on port ${cluster?.port ?? '-'}${unsynced ? ' restored without fsync (eatmydata)' : ''} under ${config.drill.scratchRoot}`.slice(
          0,
          200,
        ),
      checks: list,
      signer: 'agent',
      software: { app: null, agent: AGENT_VERSION },
    },
  };
}
