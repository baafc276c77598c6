import type { RetentionPolicy } from '../../shared/contract/agent';
import { planRetention, type GfsTier, type RecoveryPointRef } from '../../shared/retention/gfs';
import type { PgBackRestBackup } from '../engines/pgbackrest-info';

/** pgBackRest backups as recovery points: a point is restorable from its stop time on. */
export function backupsAsPoints(backups: readonly PgBackRestBackup[]): RecoveryPointRef[] {
  return backups
    .filter((b) => !b.error)
    .map((b) => ({ label: b.label, at: new Date(b.timestamp.stop * 1000) }));
}

/**
 * The GFS tier of one backup among all of them, as the planner sees it now. A point kept
 * only as the newest or for PITR is a daily point.
 */
export function tierOf(
  label: string,
  backups: readonly PgBackRestBackup[],
  policy: RetentionPolicy,
  now: Date,
  timeZone: string,
): GfsTier {
  const plan = planRetention(backupsAsPoints(backups), policy, { now, timeZone });
  return plan.keep.find((k) => k.label === label)?.tier ?? 'daily';
}

/**
 * Labels that other backups build on, transitively: expiring one of them would take its
 * dependents with it (pgBackRest `expire --set` removes a backup and everything after it in
 * its chain).
 */
export function ancestorsOf(
  labels: Iterable<string>,
  backups: readonly PgBackRestBackup[],
): Set<string> {
  const prior = new Map(backups.map((b) => [b.label, b.prior]));
  const out = new Set<string>();
  for (const label of labels) {
    let current = prior.get(label) ?? null;
    while (current !== null && !out.has(current)) {
      out.add(current);
      current = prior.get(current) ?? null;
    }
  }
  return out;
}
