import type { HealthTile, ServerHealth, TileLevel } from '../contract/agent';
import { phrase as p, type Phrase } from '../contract/phrases';
import { bucketProtectionTile } from './bucket-protection';
import { drillFactsOf, drillTile } from './drill-health';
import type { Heartbeat } from './heartbeat';
import { pointFailure } from './point-failure';

export interface HealthThresholds {
  /** archive_timeout (60 s) + the async push's margin: beyond this capture is late. */
  captureLagWarningSeconds: number;
  captureLagCriticalSeconds: number;
  recoveryPointWarningHours: number;
  recoveryPointCriticalHours: number;
  diskWarningFreeRatio: number;
  diskCriticalFreeRatio: number;
  spoolWarningFiles: number;
  /** A heartbeat older than this means the agent itself is not running. */
  heartbeatStaleSeconds: number;
}

export const DEFAULT_THRESHOLDS: HealthThresholds = {
  captureLagWarningSeconds: 90,
  captureLagCriticalSeconds: 300,
  recoveryPointWarningHours: 26,
  recoveryPointCriticalHours: 50,
  diskWarningFreeRatio: 0.15,
  diskCriticalFreeRatio: 0.05,
  spoolWarningFiles: 16,
  heartbeatStaleSeconds: 180,
};

const RANK: Record<TileLevel, number> = { ok: 0, unknown: 1, warning: 2, critical: 3 };

/** The worse of two levels (critical > warning > unknown > ok). */
export function worst(levels: TileLevel[]): TileLevel {
  return levels.reduce<TileLevel>((a, b) => (RANK[b] > RANK[a] ? b : a), 'ok');
}

/** Sorts servers worst first, then by name. */
export function worstFirst(servers: ServerHealth[]): ServerHealth[] {
  return [...servers].sort(
    (a, b) => RANK[b.level] - RANK[a.level] || a.serverName.localeCompare(b.serverName),
  );
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/**
 * Turns a heartbeat into dashboard tiles. Pure, so app, CLI and agent agree on what is
 * healthy; every non-ok tile says why.
 */
export function evaluateHealth(
  hb: Heartbeat,
  now: Date,
  t: HealthThresholds = DEFAULT_THRESHOLDS,
): HealthTile[] {
  const tiles: HealthTile[] = [];
  const ageOfHeartbeat = (now.getTime() - Date.parse(hb.at)) / 1000;

  const lag = hb.archiver.secondsSinceLastArchive;
  const failingNow =
    hb.archiver.lastFailedAt !== null &&
    (hb.archiver.lastArchivedAt === null ||
      Date.parse(hb.archiver.lastFailedAt) > Date.parse(hb.archiver.lastArchivedAt));
  if (failingNow) {
    tiles.push({
      id: 'captureLag',
      level: 'critical',
      value: lag === null ? '–' : formatDuration(lag),
      reason: `Capture is failing: WAL ${hb.archiver.lastFailedWal ?? '?'} could not be archived (last attempt ${hb.archiver.lastFailedAt}).`,
      words: {
        value: lag === null ? p('value.none') : p('value.duration', { valueSeconds: lag }),
        reason: [
          p('tile.captureLag.failing', {
            wal: hb.archiver.lastFailedWal ?? '?',
            lastAt: hb.archiver.lastFailedAt ?? '',
          }),
        ],
      },
    });
  } else if (lag === null) {
    tiles.push({
      id: 'captureLag',
      level: 'unknown',
      value: '–',
      reason: 'No WAL archived yet.',
      words: { value: p('value.none'), reason: [p('tile.captureLag.noWal')] },
    });
  } else {
    const level: TileLevel =
      lag > t.captureLagCriticalSeconds
        ? 'critical'
        : lag > t.captureLagWarningSeconds
          ? 'warning'
          : 'ok';
    tiles.push({
      id: 'captureLag',
      level,
      value: formatDuration(lag),
      reason:
        level === 'ok'
          ? 'Changes reach the bucket within a minute.'
          : `Last WAL archived ${formatDuration(lag)} ago (limit ${formatDuration(t.captureLagWarningSeconds)}).`,
      words: {
        value: p('value.duration', { valueSeconds: lag }),
        reason: [
          level === 'ok'
            ? p('tile.captureLag.ok')
            : p('tile.captureLag.late', {
                lagSeconds: lag,
                limitSeconds: t.captureLagWarningSeconds,
              }),
        ],
      },
    });
  }

  tiles.push({
    id: 'archiveFailures',
    level: failingNow ? 'critical' : 'ok',
    value: String(hb.archiver.failedCount),
    reason: failingNow
      ? 'The most recent archive attempt failed.'
      : hb.archiver.failedCount > 0
        ? 'Earlier failures recovered; archiving works now.'
        : 'No archive failures.',
    words: {
      value: p('value.count', { count: hb.archiver.failedCount }),
      reason: [
        p(
          failingNow
            ? 'tile.archiveFailures.failingNow'
            : hb.archiver.failedCount > 0
              ? 'tile.archiveFailures.recovered'
              : 'tile.archiveFailures.none',
        ),
      ],
    },
  });

  const rp = hb.lastRecoveryPoint;
  if (!rp) {
    tiles.push({
      id: 'recoveryPointAge',
      level: hb.lastRecoveryPointError ? 'critical' : 'unknown',
      value: '–',
      reason: hb.lastRecoveryPointError ?? 'No recovery point yet.',
      words: {
        value: p('value.none'),
        reason: [
          hb.lastRecoveryPointError
            ? failedPhrase('tile.recoveryPoint.failed', hb.lastRecoveryPointError)
            : p('tile.recoveryPoint.none'),
        ],
      },
    });
  } else {
    const hours = (now.getTime() - Date.parse(rp.at)) / 3_600_000;
    const level: TileLevel = hb.lastRecoveryPointError
      ? 'critical'
      : hours > t.recoveryPointCriticalHours
        ? 'critical'
        : hours > t.recoveryPointWarningHours
          ? 'warning'
          : 'ok';
    tiles.push({
      id: 'recoveryPointAge',
      level,
      value: formatDuration(hours * 3600),
      reason: hb.lastRecoveryPointError
        ? `The last daily recovery point failed: ${hb.lastRecoveryPointError}`
        : level === 'ok'
          ? `Recovery point ${rp.label}.`
          : `No recovery point for ${formatDuration(hours * 3600)} (limit ${t.recoveryPointWarningHours} h).`,
      words: {
        value: p('value.duration', { valueSeconds: hours * 3600 }),
        reason: [
          hb.lastRecoveryPointError
            ? failedPhrase('tile.recoveryPoint.dailyFailed', hb.lastRecoveryPointError)
            : level === 'ok'
              ? p('tile.recoveryPoint.ok', { label: rp.label })
              : p('tile.recoveryPoint.late', {
                  ageSeconds: hours * 3600,
                  limitSeconds: t.recoveryPointWarningHours * 3600,
                }),
        ],
      },
      ...(hb.lastRecoveryPointError && hb.lastRecoveryPointFilesMissing
        ? { action: 'healFiles' as const }
        : {}),
    });
  }

  tiles.push(drillTile(drillFactsOf(hb), now));
  tiles.push(bucketProtectionTile(hb.bucketProtection));

  const repoCode = hb.repository.statusCode;
  tiles.push({
    id: 'repository',
    level:
      !hb.repository.reachable || repoCode === 99
        ? 'critical'
        : repoCode === 2
          ? 'warning'
          : repoCode === 0
            ? 'ok'
            : 'unknown',
    value: hb.repository.reachable ? `status ${repoCode ?? '?'}` : 'unreachable',
    reason:
      hb.repository.message ||
      (hb.repository.reachable ? 'Repository reachable.' : 'Repository unreachable.'),
    words: {
      value: hb.repository.reachable
        ? p('value.repositoryStatus', { code: repoCode ?? '?' })
        : p('value.repositoryUnreachable'),
      // pgBackRest's own message is its words (a tool's detail); without one, ours.
      reason: [
        hb.repository.message
          ? p('detail', { detail: hb.repository.message })
          : p(
              hb.repository.reachable ? 'tile.repository.reachable' : 'tile.repository.unreachable',
            ),
      ],
    },
  });

  tiles.push(spoolTile(hb.spool.queuedFiles, t.spoolWarningFiles));

  const freeRatio = hb.disk.totalBytes > 0 ? hb.disk.freeBytes / hb.disk.totalBytes : 1;
  tiles.push({
    id: 'disk',
    level:
      freeRatio < t.diskCriticalFreeRatio
        ? 'critical'
        : freeRatio < t.diskWarningFreeRatio
          ? 'warning'
          : 'ok',
    value: `${Math.round(freeRatio * 100)} % free`,
    reason:
      freeRatio < t.diskWarningFreeRatio
        ? `Only ${Math.round(freeRatio * 100)} % free on ${hb.disk.path}.`
        : 'Enough free space.',
    words: {
      value: p('value.percentFree', { percent: Math.round(freeRatio * 100) }),
      reason: [
        freeRatio < t.diskWarningFreeRatio
          ? p('tile.disk.low', { percent: Math.round(freeRatio * 100), path: hb.disk.path })
          : p('tile.disk.enough'),
      ],
    },
  });

  const stale = ageOfHeartbeat > t.heartbeatStaleSeconds;
  tiles.push({
    id: 'agent',
    level: stale || !hb.scheduler.running ? 'critical' : 'ok',
    value: `v${hb.agentVersion} (${hb.scheduler.mode})`,
    reason: stale
      ? `No heartbeat for ${formatDuration(ageOfHeartbeat)}: the agent or the server is down.`
      : hb.scheduler.running
        ? 'Agent running on schedule.'
        : 'The agent scheduler is not running.',
    words: {
      value: p('value.agent', { version: hb.agentVersion, mode: hb.scheduler.mode }),
      reason: [
        stale
          ? p('tile.agent.stale', { ageSeconds: ageOfHeartbeat })
          : p(hb.scheduler.running ? 'tile.agent.running' : 'tile.agent.notRunning'),
      ],
    },
  });
  return tiles;
}

/**
 * WAL waiting to be archived: "drained" only when none waits; a few waiting (normal while
 * pgBackRest uploads) are said as such, with the limit above which the tile warns.
 */
export function spoolTile(waiting: number, warnAbove: number): HealthTile {
  const files = waiting === 1 ? '1 WAL file' : `${waiting} WAL files`;
  return {
    id: 'spool',
    level: waiting > warnAbove ? 'warning' : 'ok',
    value: waiting === 0 ? 'none waiting' : `${files} waiting`,
    reason:
      waiting === 0
        ? 'No WAL waits for upload.'
        : waiting > warnAbove
          ? `${files} wait for upload (more than ${warnAbove}): archiving falls behind.`
          : `${files} ${waiting === 1 ? 'waits' : 'wait'} for upload, as usual while pgBackRest uploads (a warning above ${warnAbove}).`,
    words: {
      value: waiting === 0 ? p('value.walNoneWaiting') : p('value.walWaiting', { count: waiting }),
      reason: [
        waiting === 0
          ? p('tile.spool.none')
          : p(waiting > warnAbove ? 'tile.spool.behind' : 'tile.spool.usual', {
              count: waiting,
              limit: warnAbove,
            }),
      ],
    },
  };
}

/**
 * A failed recovery point in words: the step that failed worded by the console, the tool's own
 * words after it as they came; the whole message when it names no step the console knows.
 */
function failedPhrase(
  key: 'tile.recoveryPoint.failed' | 'tile.recoveryPoint.dailyFailed',
  message: string,
): Phrase {
  const split = pointFailure(message);
  // The words put their own full stop after the detail.
  const detail = split.detail.replace(/[.\s]+$/, '');
  const step = split.step;
  if (!step) return p(key, { detail });
  return p(
    key === 'tile.recoveryPoint.failed'
      ? 'tile.recoveryPoint.failedStep'
      : 'tile.recoveryPoint.dailyFailedStep',
    {
      step,
      detail,
    },
  );
}
