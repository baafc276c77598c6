import { isoToMicros, microsToIso, type RecoveryOutcome } from './recovery-log';

// The verdicts on a restored cluster, from what it and its log say. Pure: the agent's restore
// engine reads the facts on the server and applies these; the tests apply them to fixtures.

/** A restore's check, as the app shows it (shared/contract RestoreCheck). */
export interface RecoveryCheck {
  name: 'consistent' | 'promoted' | 'stopped-at-target';
  ok: boolean;
  detail: string;
}

/** What a restored cluster reports about itself after promotion. */
export interface ClusterFacts {
  controlState: string | null;
  /** pg_control's "Database system identifier": a restore never changes it. */
  systemIdentifier: string | null;
  timeline: number | null;
  inRecovery: boolean | null;
  archiveMode: string | null;
  accepts: boolean;
}

/** What the restore was asked to reach. */
export type RecoveryGoal =
  | { kind: 'time'; time: string }
  | { kind: 'point'; label: string; exactLsn?: string | null }
  | { kind: 'latest' };

/** 'stopped-at-target' for a moment: the last commit replayed is at or before the target. */
export function stoppedAtTime(outcome: RecoveryOutcome, targetIso: string): RecoveryCheck {
  const target = isoToMicros(targetIso);
  const last = outcome.lastCompleted;
  const stop = outcome.stoppedBefore;
  const lastOk = last === null || last <= target;
  // Recovery to a time stops at the first commit (or abort) after the target, and logs it.
  const stopOk = stop !== null && stop.at > target;
  const parts = [
    stop
      ? `recovery stopped before the ${stop.kind} of transaction ${stop.xid} at ${microsToIso(stop.at)}`
      : 'the log names no transaction recovery stopped before',
    last === null
      ? 'no transaction committed between the base backup and the target'
      : `last commit replayed at ${microsToIso(last)}`,
    `target ${microsToIso(target)}`,
  ];
  return { name: 'stopped-at-target', ok: lastOk && stopOk, detail: parts.join('; ') };
}

/**
 * 'stopped-at-target' for a recovery point: recovery ended where the backup became consistent,
 * or (an exact manifest: agent/drill/exact-steps.ts) right before `exactLsn`, the position the
 * manifest's numbers were taken at.
 */
export function stoppedAtPoint(
  outcome: RecoveryOutcome,
  label: string,
  exactLsn: string | null = null,
): RecoveryCheck {
  if (exactLsn !== null) {
    const ok = outcome.stoppedBeforeLsn?.toUpperCase() === exactLsn.toUpperCase();
    return {
      name: 'stopped-at-target',
      ok,
      detail: ok
        ? `recovery of backup ${label} stopped before WAL position ${exactLsn}, where the recovery point's numbers were taken`
        : `the log does not show recovery of backup ${label} stopping before WAL position ${exactLsn}`,
    };
  }
  return {
    name: 'stopped-at-target',
    ok: outcome.stoppedAtConsistency,
    detail: outcome.stoppedAtConsistency
      ? `recovery stopped where backup ${label} became consistent`
      : `the log does not show recovery stopping at the end of backup ${label}`,
  };
}

/**
 * 'consistent', 'promoted' and (for a moment or a recovery point) 'stopped-at-target', from
 * what the cluster and its log say.
 */
export function recoveryChecks(
  facts: ClusterFacts,
  port: number,
  outcome: RecoveryOutcome,
  goal: RecoveryGoal,
): RecoveryCheck[] {
  const checks: RecoveryCheck[] = [
    {
      name: 'consistent',
      ok: facts.controlState === 'in production' && facts.accepts,
      detail: `pg_controldata: "${facts.controlState ?? 'unknown'}"; ${
        facts.accepts ? `accepts connections on port ${port}` : 'refuses connections'
      }`,
    },
    {
      name: 'promoted',
      ok: facts.inRecovery === false && outcome.newTimeline !== null,
      detail:
        facts.inRecovery === false
          ? `out of recovery on timeline ${facts.timeline ?? outcome.newTimeline ?? '?'}; archive_mode ${facts.archiveMode ?? '?'}`
          : 'still in recovery',
    },
  ];
  if (goal.kind === 'time') checks.push(stoppedAtTime(outcome, goal.time));
  if (goal.kind === 'point') {
    checks.push(stoppedAtPoint(outcome, goal.label, goal.exactLsn ?? null));
  }
  return checks;
}
