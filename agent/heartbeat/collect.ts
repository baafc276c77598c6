import path from 'node:path';
import type { DrillFacts } from '../../shared/agent/drill-health';
import type { Heartbeat } from '../../shared/agent/heartbeat';
import type { AlertFacts } from '../alerts/conditions';
import { pgbackrestOption } from '../engines/pgbackrest-conf';
import { repositoryInfo, type RepositoryInfo } from '../engines/pgbackrest';
import type { Bucket } from '../engines/s3';
import type { AgentContext } from '../runtime/context';
import { errorMessage } from '../runtime/errors';
import { readState, type AgentState } from '../runtime/state';
import { schedulerView } from '../scheduler/scheduler-state';
import { AGENT_VERSION } from '../version';
import { readArchiver, type ArchiverFacts } from './archiver';
import { readAuditSlots } from './audit-slots';
import { diskUsage, folderUsage, walWaiting } from './local-facts';
import { checkWalGaps } from './wal-gaps';
import { isSegmentName, segmentPosition, type WalGap } from './wal-sequence';

/** pgBackRest's default spool path, used when the config does not set one. */
const DEFAULT_SPOOL_PATH = '/var/spool/pgbackrest';

/** A heartbeat (incidents still to be filled in) and the facts the alert rules need. */
export interface Collected {
  heartbeat: Omit<Heartbeat, 'incidents'>;
  facts: Omit<AlertFacts, 'watchingSince'>;
  repository: RepositoryInfo;
}

/** Options for {@link collectHeartbeat}. */
export interface CollectOptions {
  /** Check the repository's WAL for holes (lists the bucket); off for `status`. */
  walCheck?: { bucket: Bucket };
}

/**
 * Gathers everything a heartbeat reports: PostgreSQL's archiver, the repository as
 * `pgbackrest info` sees it, the last recovery point and retention run, spool and disk space,
 * the scheduler. Never throws for an outside failure: a part that cannot be read is reported
 * as such (that is what a heartbeat is for).
 */
export async function collectHeartbeat(
  ctx: AgentContext,
  options: CollectOptions = {},
): Promise<Collected> {
  const { config } = ctx;
  const [archiverResult, repository, disk, auditSlots] = await Promise.all([
    readArchiver(config).then(
      (facts): { facts: ArchiverFacts | null; error: string | null } => ({ facts, error: null }),
      (error: unknown) => ({ facts: null, error: errorMessage(error) }),
    ),
    repositoryInfo(config, { signal: ctx.signal }),
    diskUsage(config.pg.dataDirectory).catch(() => ({ freeBytes: 0, totalBytes: 0 })),
    // PostgreSQL not answering is capture-failing already; no second incident from here.
    readAuditSlots(config).catch(() => []),
  ]);
  const archiver = archiverResult.facts;
  const state = readState(ctx.paths.state);
  const stanza = repository.stanza;
  const archive = stanza?.archive.at(-1);
  const backups = stanza?.backup ?? [];
  const spoolPath = path.join(spoolRoot(ctx), 'archive', config.stanza, 'out');
  const spool = folderUsage(spoolPath);

  let walGaps: WalGap[] = [];
  if (options.walCheck && archive && archiver) {
    try {
      walGaps = await checkWalGaps({
        bucket: options.walCheck.bucket,
        repoPath:
          pgbackrestOption(config.pgbackrest.configPath, config.stanza, 'repo1-path') ?? '/',
        stanza: config.stanza,
        archiveId: archive.id,
        archiveMin: archive.min,
        archivedThrough: archiver.lastArchivedWal,
        walSegmentSize: archiver.walSegmentSize,
        stateFile: ctx.paths.walCheck,
      });
    } catch (error) {
      ctx.log.warn(`WAL gap check skipped: ${errorMessage(error)}`);
    }
  }

  // A hole behind the newest backup's start no longer breaks the chain: restores are possible
  // again from that backup on, so the alert resolves (the catalog keeps the hole in history).
  const newestBackup = [...backups].sort((x, y) => x.timestamp.stop - y.timestamp.stop).at(-1);
  const chainFrom = newestBackup?.archive.start?.slice(0, 24);
  if (archiver && chainFrom && isSegmentName(chainFrom)) {
    const from = segmentPosition(chainFrom, archiver.walSegmentSize);
    walGaps = walGaps.filter((g) => segmentPosition(g.before, archiver.walSegmentSize) > from);
  }

  const newestBackupStop = backups.reduce((max, b) => Math.max(max, b.timestamp.stop), 0);
  const candidates = [
    state.lastRecoveryPoint?.ok ? state.lastRecoveryPoint.at : null,
    newestBackupStop > 0 ? new Date(newestBackupStop * 1000).toISOString() : null,
  ].filter((t): t is string => t !== null);
  const newestRecoveryPointAt = candidates.sort().at(-1) ?? null;

  const drill = drillFacts(config, state);
  const at = ctx.now();
  const heartbeat: Omit<Heartbeat, 'incidents'> = {
    serverId: config.serverId,
    agentVersion: AGENT_VERSION,
    at: at.toISOString(),
    archiver: {
      archivedCount: archiver?.archivedCount ?? 0,
      lastArchivedWal: archiver?.lastArchivedWal ?? null,
      lastArchivedAt: archiver?.lastArchivedAt ?? null,
      failedCount: archiver?.failedCount ?? 0,
      lastFailedWal: archiver?.lastFailedWal ?? null,
      lastFailedAt: archiver?.lastFailedAt ?? null,
      secondsSinceLastArchive: archiver?.lastArchivedAt
        ? Math.max(
            0,
            Math.round((Date.parse(archiver.now) - Date.parse(archiver.lastArchivedAt)) / 1000),
          )
        : null,
    },
    repository: {
      reachable: repository.reachable,
      statusCode: repository.statusCode,
      message: repository.message,
      newestWal: archive?.max ?? null,
      backupCount: backups.length,
    },
    lastRecoveryPoint: state.lastRecoveryPoint
      ? {
          label: state.lastRecoveryPoint.label,
          at: new Date(state.lastRecoveryPoint.at).toISOString(),
          ok: state.lastRecoveryPoint.ok,
        }
      : null,
    lastRecoveryPointError:
      state.lastRecoveryPointAttempt && !state.lastRecoveryPointAttempt.ok
        ? state.lastRecoveryPointAttempt.error
        : null,
    lastRecoveryPointFilesMissing:
      !!state.lastRecoveryPointAttempt &&
      !state.lastRecoveryPointAttempt.ok &&
      state.lastRecoveryPointAttempt.filesMissing === true,
    lastRetention: state.lastRetention,
    spool: {
      path: spoolPath,
      bytes: spool.bytes,
      queuedFiles: walWaiting(config.pg.dataDirectory),
    },
    disk: { path: config.pg.dataDirectory, ...disk },
    scheduler: schedulerView(ctx.paths.scheduler),
    lastDrill: drill.lastReport
      ? {
          drillId: drill.lastReport.drillId,
          at: drill.lastReport.at,
          passed: drill.lastReport.passed,
          startedAt: drill.lastReport.startedAt,
          backupLabel: drill.lastReport.backupLabel,
          failedChecks: drill.lastReport.failedChecks,
          failure: drill.lastReport.failure,
        }
      : null,
    drill: {
      intervalSeconds: config.drill.intervalSeconds,
      scheduleSince: drill.scheduleSince,
      lastAttempt: drill.lastAttempt,
    },
  };
  return {
    heartbeat,
    repository,
    facts: {
      archiver,
      archiverError: archiverResult.error,
      repository: { reachable: repository.reachable, message: repository.message },
      walGaps,
      newestRecoveryPointAt,
      lastSnapshotAttempt: state.lastRecoveryPointAttempt,
      lastRetention: state.lastRetention,
      drill,
      auditSlots,
    },
  };
}

/** The drill facts of the agent's config and state.json, times as ISO. */
export function drillFacts(config: AgentContext['config'], state: AgentState): DrillFacts {
  const iso = (t: string): string => new Date(t).toISOString();
  const last = state.lastDrill;
  const attempt = state.lastDrillAttempt;
  return {
    intervalSeconds: config.drill.intervalSeconds,
    scheduleSince: state.drillScheduleSince ? iso(state.drillScheduleSince) : null,
    lastAttempt: attempt ? { ...attempt, at: iso(attempt.at) } : null,
    lastReport: last
      ? {
          drillId: last.drillId,
          startedAt: iso(last.startedAt),
          at: iso(last.at),
          passed: last.passed,
          backupLabel: last.backupLabel ?? null,
          failedChecks: last.failedChecks,
          failure: last.failure ?? null,
        }
      : null,
  };
}

function spoolRoot(ctx: AgentContext): string {
  try {
    return (
      pgbackrestOption(ctx.config.pgbackrest.configPath, ctx.config.stanza, 'spool-path') ??
      DEFAULT_SPOOL_PATH
    );
  } catch {
    return DEFAULT_SPOOL_PATH;
  }
}
