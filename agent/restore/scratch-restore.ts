import type {
  AgentRestoreCheck,
  AgentRestoreResult,
  AgentRestoreSpec,
  RestoreProgress,
} from '../../shared/agent/restore';
import { RESTORE_EXIT_FAILED_CHECKS } from '../../shared/agent/restore';
import { recoveryChecks } from '../../shared/restore/recovery-checks';
import { lsnToBytes } from '../../shared/restore/recovery-log';
import type { DrillCheck } from '../../shared/report/drill-result';
import { repositoryInfo, usableStanza } from '../engines/pgbackrest';
import { openBucket, type Bucket } from '../engines/s3';
import { folderUsage } from '../heartbeat/local-facts';
import type { AgentContext } from '../runtime/context';
import { AgentError, errorMessage } from '../runtime/errors';
import { inBackground, type BackgroundWork } from '../drill/background';
import { lastStopSegment, recoverySteps } from '../drill/exact-steps';
import { filesHashCheck } from '../drill/file-checks';
import { roomFor } from '../drill/free-space';
import { manifestMatchCheck } from '../drill/manifest-match';
import {
  manifestKeyOf,
  recoveryPointByLabel,
  type DrillRecoveryPoint,
} from '../drill/recovery-point';
import { restoreBackup, type RestoreOutcome } from '../drill/restore';
import { createScratchDirs, pickDrillPort } from '../drill/scratch-env';
import { assertApartFromProduction, scratchConfig } from '../drill/scratch-paths';
import { removeEnvironment, startRestoredCluster } from '../drill/start-phase';
import { stepMeasurer } from '../drill/step-measure';
import { stageRecoveryWal, type StagedWal } from '../drill/wal-staging';
import { replayLedgerFiles } from '../gdpr/file-replay';
import { loadLedger, replayLedgerCheck } from '../gdpr/ledger-replay';
import { restoredClusterFacts } from './cluster-facts';
import { restorePaths } from './restore-paths';

const WAL_SEGMENT_BYTES = 16 * 1024 * 1024;

/** A restore that got its environment up: the result for stdout and the exit code. */
export interface ScratchRestoreOutcome {
  result: AgentRestoreResult;
  /** 0 every check passed; RESTORE_EXIT_FAILED_CHECKS: kept for a look, a check failed. */
  exitCode: number;
}

/**
 * `kumiko-agent restore`: the one restore engine on a server (issue 15 §1). Restores the spec's
 * base backup into a new scratch environment under `<state dir>/scratch/<id>` (made like a
 * drill's: the agent's folder, the data directory the cluster's OS user's; DESIGN.md §6),
 * replays to the target on its own port and socket, never archiving, and verifies it: the
 * cluster is consistent and promoted, stopped where asked, a recovery point's tables equal its
 * signed manifest (at the manifest's exact positions, as a drill compares them), and the
 * attached files of the spec's point come back byte for byte (restic --verify) beside the
 * database. The environment stays for the admin (the app drops it with `scratch-drop`); a
 * failed check keeps it for a look. A failure before that, or an abort (SIGTERM: the app's
 * cancel), removes everything it made.
 * @throws AgentError when nothing could be restored.
 */
export async function runScratchRestore(
  ctx: AgentContext,
  spec: AgentRestoreSpec,
  progress: (p: RestoreProgress) => void,
  /** Where manifests are read (default the configured bucket; a restore from history: its copy). */
  open: () => Bucket = () => openBucket(ctx.config.s3),
): Promise<ScratchRestoreOutcome> {
  const { config, log, signal } = ctx;
  const paths = restorePaths(config, spec.id);
  assertApartFromProduction(paths, config);
  const clock = { started: Date.now(), mark: Date.now() };
  const lap = (): number => {
    const now = Date.now();
    const seconds = (now - clock.mark) / 1000;
    clock.mark = now;
    return Math.round(seconds * 100) / 100;
  };
  // Where the restore's time goes, step by step, in the agent's log (the bench reads it).
  const timings: string[] = [];
  let stepMark = Date.now();
  const took = (step: string): void => {
    const now = Date.now();
    timings.push(`${step} ${((now - stepMark) / 1000).toFixed(2)}`);
    stepMark = now;
  };
  progress({ phase: 'plan', message: 'preparing the scratch environment', done: 0, total: 1 });
  createScratchDirs(config, paths);
  if (spec.backupBytes !== null) {
    const room = roomFor(
      paths.root,
      spec.backupBytes,
      `Restoring backup ${spec.restore.backupLabel}`,
      'the agent state folder',
    );
    if (!room.ok) {
      await removeEnvironment(config, paths, log);
      throw new AgentError('plan', room.problem ?? 'not enough free space');
    }
  }
  let bucket: Bucket | null = null;
  let files: BackgroundWork<AgentRestoreCheck> | null = null;
  let staging: BackgroundWork<StagedWal | null> | null = null;
  let downloading: BackgroundWork<RestoreOutcome> | null = null;
  try {
    bucket = open();
    const opened = bucket;
    // The repository's description and the points' manifests are read beside the download.
    const stanza = repositoryInfo(config, { signal }).then((info) => usableStanza(info, 'prepare'));
    const pointOf = (label: string): Promise<DrillRecoveryPoint> =>
      stanza.then((s) =>
        recoveryPointByLabel(config.serverId, manifestKeyOf(config), s, label, opened),
      );
    const point = spec.check.kind === 'point' ? pointOf(spec.check.label) : null;
    point?.catch(() => undefined);
    // The erasure ledger is read and verified beside the download, replayed before hand-over.
    const ledger = loadLedger(opened, config);
    ledger.catch(() => undefined);
    progress({ phase: 'plan', message: 'preparing the scratch environment', done: 1, total: 1 });
    took('plan');

    files = spec.filesFrom ? attachedFiles(ctx, pointOf(spec.filesFrom), paths.files) : null;
    // The download starts at once; the point's manifest (its exact positions) is read beside it.
    const label = spec.restore.backupLabel;
    progress({ phase: 'download', message: `restoring backup ${label}`, done: 0 });
    downloading = inBackground(
      (s) =>
        restoreBackup(config, paths, label, {
          signal: s,
          target: spec.restore,
          onBytes: (bytes) =>
            progress({ phase: 'download', message: `restoring backup ${label}`, done: bytes }),
        }),
      signal,
    );
    const manifest = point ? (await point).manifest : null;
    const steps = recoverySteps(manifest);
    if (point) {
      const backup = (await point).backup;
      staging = inBackground(
        async (s) =>
          stageRecoveryWal(
            config,
            paths,
            backup.archive,
            s,
            await lastStopSegment(config, backup.archive.stop, steps, s).catch(() => null),
          ),
        signal,
      );
    }
    const restored = await downloading.result;
    if (!restored.ok) throw new AgentError('restore', restored.error ?? 'pgbackrest failed');
    took('pgbackrest restore');
    const download = lap();

    const from = spec.lsnStart ? lsnToBytes(spec.lsnStart) : null;
    const total = Math.max(1, spec.walSegments) * WAL_SEGMENT_BYTES;
    let replayed = 0;
    progress({ phase: 'replay', message: 'replaying WAL to the target', done: 0, total });
    const measurer = stepMeasurer(config, paths, manifest, signal);
    const staged = staging ? await staging.result.catch(() => null) : null;
    took('WAL staged');
    const cluster = await startRestoredCluster(config, paths, spec.id, {
      signal,
      staged,
      steps,
      kept: { kept: true },
      port: await pickDrillPort(0),
      onReadable: () => took('configured and started (accepting)'),
      atStep: (port, step) => measurer.atStep(port, step),
      onReplay: (lsn) => {
        if (from === null) return;
        // Progress only moves forward: the log's and SQL's positions can differ by a record.
        replayed = Math.max(replayed, Math.min(total, lsnToBytes(lsn) - from));
        progress({
          phase: 'replay',
          message: 'replaying WAL to the target',
          done: replayed,
          total,
        });
      },
    });
    if (!cluster.ok) throw new AgentError('start', cluster.error);
    took('replayed and promoted');
    progress({ phase: 'replay', message: 'replayed', done: total, total });
    const replay = lap();

    progress({ phase: 'verify', message: 'checking the restored cluster', done: 0, total: 1 });
    const scratch = scratchConfig(config, paths, cluster.port);
    const facts = await restoredClusterFacts(scratch, paths, signal);
    if (facts.archiveMode !== null && facts.archiveMode !== 'off') {
      // Never: the command line says archive_mode=off. A cluster that archives would push its
      // timeline into production's repository, so it does not stay.
      throw new AgentError(
        'verify',
        `the scratch cluster runs with archive_mode=${facts.archiveMode}`,
      );
    }
    took('cluster facts');
    const exactLsn = steps.at(-1)?.lsn ?? null;
    const checks: AgentRestoreCheck[] = recoveryChecks(
      facts,
      cluster.port,
      cluster.outcome,
      spec.check.kind === 'point' ? { ...spec.check, exactLsn } : spec.check,
    );
    if (point) {
      const match = await manifestMatchCheck(scratch, await point, signal, measurer.measured);
      checks.push(fromDrillCheck('manifest-match', match.check));
      took('manifest match');
    }
    // Erased subjects go before anyone sees the data: after the comparison (which describes the
    // backup as it was), before the environment is handed over. Not applied: nothing is handed.
    progress({ phase: 'verify', message: 'applying the GDPR erasures again', done: 0, total: 1 });
    const gdpr = await replayLedgerCheck(scratch, ledger, signal);
    if (!gdpr.applied) {
      throw new AgentError(
        'verify',
        `the GDPR erasure ledger could not be applied to the restored data (${gdpr.check.detail}); it is removed, so no erased subject is handed over`,
      );
    }
    // Applied: handed over. Refused objects (unsigned, planted) deleted nothing; the detail
    // names them, but they do not fail the restore, as over production: a bucket writer must
    // not be able to stop every restore by planting garbage (ledger-replay.ts `applied`).
    checks.push({ ...fromDrillCheck('gdpr-ledger', gdpr.check), ok: gdpr.applied });
    took('erasure ledger');
    progress({ phase: 'verify', message: 'checked', done: 1, total: 1 });
    const verify = lap();

    let filesSeconds = 0;
    if (files) {
      progress({ phase: 'files', message: 'restoring the attached files', done: 0, total: 1 });
      checks.push(await files.result);
      // The erased subjects' files go too, before the files are handed over (or placed back
      // into their folders by a rebuild). After restic's verification, which compares the
      // whole snapshot.
      const removed = replayLedgerFiles(
        paths.files,
        (await ledger).entries,
        config.gdpr?.ledgerKey,
      );
      const gdprCheck = checks.find((c) => c.name === 'gdpr-ledger');
      if (gdprCheck && removed.erasures > 0) {
        gdprCheck.detail =
          `${gdprCheck.detail}; attached files: ${removed.removed} file(s) of ${removed.erasures} erasure(s) removed from the restored files`.slice(
            0,
            4000,
          );
      }
      filesSeconds = lap();
      took('attached files (waited for)');
      progress({ phase: 'files', message: 'restored', done: 1, total: 1 });
    }
    const failed = checks.filter((c) => !c.ok);
    log.info(`restore ${spec.id}: steps (s): ${timings.join(', ')}`);
    if (failed.length)
      log.warn(
        `restore ${spec.id}: kept for a look; failed: ${failed.map((c) => c.name).join(', ')}`,
      );
    return {
      exitCode: failed.length ? RESTORE_EXIT_FAILED_CHECKS : 0,
      result: {
        id: spec.id,
        root: paths.root,
        dataDirectory: paths.data,
        filesDirectory: spec.filesFrom ? paths.files : null,
        port: cluster.port,
        osUser: config.pg.osUser,
        socketDirectory: paths.socket,
        sizeBytes: folderUsage(paths.root).bytes,
        timeline: facts.timeline ?? cluster.outcome.newTimeline,
        checks,
        seconds: { download, replay, verify, files: filesSeconds },
      },
    };
  } catch (error) {
    await files?.stop();
    await downloading?.stop();
    await staging?.stop();
    await removeEnvironment(config, paths, log);
    throw error;
  } finally {
    bucket?.close();
  }
}

/** The attached files of a recovery point, restored and verified beside the database. */
function attachedFiles(
  ctx: AgentContext,
  point: Promise<DrillRecoveryPoint>,
  target: string,
): BackgroundWork<AgentRestoreCheck> {
  return inBackground(async (signal) => {
    try {
      const source = await point;
      const restic = source.manifest?.restic ?? null;
      const files = await filesHashCheck(ctx.config, ctx.paths.resticCache, restic, target, signal);
      return fromDrillCheck('files', files.check);
    } catch (error) {
      if (signal.aborted) throw error;
      return { name: 'files', ok: false, detail: `could not run: ${errorMessage(error)}` };
    }
  }, ctx.signal);
}

function fromDrillCheck(name: AgentRestoreCheck['name'], check: DrillCheck): AgentRestoreCheck {
  return { name, ok: check.passed, detail: check.detail.slice(0, 4000) };
}
