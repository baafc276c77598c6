import { assessDrills, type DrillFacts } from '../../shared/agent/drill-health';
import type { AlertSettings } from '../../shared/contract/agent';
import type { ArchiverFacts } from '../heartbeat/archiver';
import type { AuditSlotFacts } from '../heartbeat/audit-slots';
import { walPending } from '../heartbeat/archiver';
import type { WalGap } from '../heartbeat/wal-sequence';
import type { IncidentKind } from './kinds';

/** Everything the alert rules look at, gathered by the heartbeat. */
export interface AlertFacts {
  /** null when PostgreSQL did not answer (`archiverError` says why). */
  archiver: ArchiverFacts | null;
  archiverError: string | null;
  repository: { reachable: boolean; message: string };
  walGaps: WalGap[];
  /** Newest restorable recovery point (ISO), from state or the repository; null if none. */
  newestRecoveryPointAt: string | null;
  /** Since when the agent has been watching: "none in 26 h" counts from here at the latest. */
  watchingSince: string;
  lastSnapshotAttempt: { ok: boolean; error: string | null } | null;
  lastRetention: { ok: boolean; message: string } | null;
  /** The drill schedule and the newest drill (state.json), for drill-failed and drill-overdue. */
  drill: DrillFacts;
  /** The audit trail's slots (none without the trail), for audit-trail-behind. */
  auditSlots: AuditSlotFacts[];
}

/** WAL an audit trail slot may hold before it is an incident (the drain runs every second). */
export const AUDIT_SLOT_HELD_LIMIT_BYTES = 1024 ** 3;

const seconds = (from: string, to: Date): number => (to.getTime() - Date.parse(from)) / 1000;

/**
 * The incidents that hold right now, each with a one-line reason. Pure: the heartbeat turns
 * changes of this set into open/resolved notifications.
 *
 * - capture-failing: PostgreSQL's archiver failed after its last success, or the repository
 *   is unreachable, or PostgreSQL does not answer (nothing can be checked then).
 * - capture-lag: no WAL archived for captureLagSeconds while WAL is waiting (an idle server
 *   that has nothing to archive is not lagging). Not while capture-failing holds: the lag is
 *   then that failure's consequence, and one cause gets one alert (and one recovery notice).
 * - wal-gap: a hole in the repository's WAL sequence (see heartbeat/wal-gaps.ts).
 * - recovery-point-failed: the latest snapshot attempt failed.
 * - recovery-point-missing: no recovery point in recoveryPointMaxAgeHours.
 * - retention-failed: the latest retention run failed.
 * - drill-failed: the newest drill report failed (a later passing drill resolves it).
 * - drill-overdue: drills are scheduled and none ran within the interval plus a grace
 *   (shared/agent/drill-health.ts decides both, for the app's drill tile too).
 * - audit-trail-behind: an audit trail slot lost WAL it needed (the history has a gap) or holds
 *   more than AUDIT_SLOT_HELD_LIMIT_BYTES (its drain is not running or not keeping up, and the
 *   server's disk fills).
 */
export function activeConditions(
  facts: AlertFacts,
  settings: AlertSettings,
  now: Date,
): Map<IncidentKind, string> {
  const out = new Map<IncidentKind, string>();
  const a = facts.archiver;
  if (!a) {
    out.set('capture-failing', `PostgreSQL does not answer: ${facts.archiverError ?? 'unknown'}`);
  } else if (a.lastFailedAt && (!a.lastArchivedAt || a.lastFailedAt > a.lastArchivedAt)) {
    out.set(
      'capture-failing',
      `archiving ${a.lastFailedWal ?? 'WAL'} failed at ${a.lastFailedAt} (${a.failedCount} failures so far)` +
        (facts.repository.reachable ? '' : `; repository unreachable: ${facts.repository.message}`),
    );
  } else if (!facts.repository.reachable) {
    out.set('capture-failing', `repository unreachable: ${facts.repository.message}`);
  }

  if (!out.has('capture-failing') && a?.lastArchivedAt && walPending(a)) {
    const lag = Math.round(seconds(a.lastArchivedAt, new Date(a.now)));
    if (lag > settings.captureLagSeconds) {
      out.set(
        'capture-lag',
        `no WAL archived for ${lag} s (threshold ${settings.captureLagSeconds} s), ${a.readySegments} segment(s) waiting`,
      );
    }
  }

  if (facts.walGaps.length > 0) {
    const g = facts.walGaps[0];
    out.set(
      'wal-gap',
      `${facts.walGaps.length} gap(s) in the archived WAL, first after ${g?.after} (${g?.missing} segment(s) missing)`,
    );
  }

  if (facts.lastSnapshotAttempt && !facts.lastSnapshotAttempt.ok) {
    out.set('recovery-point-failed', facts.lastSnapshotAttempt.error ?? 'the snapshot failed');
  }

  const maxAge = settings.recoveryPointMaxAgeHours * 3600;
  const since = facts.newestRecoveryPointAt ?? facts.watchingSince;
  if (seconds(since, now) > maxAge) {
    out.set(
      'recovery-point-missing',
      facts.newestRecoveryPointAt
        ? `the newest recovery point is from ${facts.newestRecoveryPointAt} (older than ${settings.recoveryPointMaxAgeHours} h)`
        : `no recovery point since the agent started watching at ${facts.watchingSince}`,
    );
  }

  if (facts.lastRetention && !facts.lastRetention.ok) {
    out.set('retention-failed', facts.lastRetention.message);
  }

  const drills = assessDrills(facts.drill, now);
  if (drills.failed) out.set('drill-failed', drills.failed);
  if (drills.overdue) out.set('drill-overdue', drills.overdue);

  const lost = facts.auditSlots.filter((s) => s.walStatus === 'lost');
  const full = facts.auditSlots.filter((s) => s.heldBytes > AUDIT_SLOT_HELD_LIMIT_BYTES);
  if (lost.length > 0 || full.length > 0) {
    out.set(
      'audit-trail-behind',
      [
        ...lost.map(
          (s) =>
            `the audit trail of ${s.database} lost WAL it had not drained: its history has a gap`,
        ),
        ...full.map(
          (s) =>
            `the audit trail of ${s.database} holds ${Math.round(s.heldBytes / 1024 ** 2)} MB of WAL: its drain is behind`,
        ),
      ].join('; '),
    );
  }
  return out;
}
