import type { RecoveryTarget, RestoreCheck } from '../../../shared/contract';
import { AppError } from '../app-error';
import {
  isoToMicros,
  microsToIso,
  type RecoveryOutcome,
} from '../../../shared/restore/recovery-log';
import { shq } from './restore-shell';
import type { RestoreSite } from './restore-site';
import { scratchPsql } from './scratch-cluster';
import type { ScratchPaths } from './scratch-paths';
import { parseControlData } from '../../../shared/restore/scratch-settings';

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

const SQL_MARKER = '@@KUMIKO_SQL@@';
const FACTS_SQL = "SELECT pg_is_in_recovery()::text || '|' || current_setting('archive_mode')";

/** Reads pg_control and asks the cluster (over `paths.socket`) about recovery and archiving. */
export async function clusterFacts(
  site: RestoreSite,
  paths: Pick<ScratchPaths, 'data' | 'socket'>,
  port: number,
  signal?: AbortSignal,
  step = 'check the scratch cluster',
): Promise<ClusterFacts> {
  // One round trip: the control file, then the cluster's own answer (empty if it refuses).
  const out = await site.shell.run(
    step,
    [
      `${shq(`${site.binDirectory}/pg_controldata`)} ${shq(paths.data)}`,
      `echo ${SQL_MARKER}`,
      `${scratchPsql(site, paths, port, 'postgres')} -c ${shq(FACTS_SQL)} 2>/dev/null || true`,
    ].join('\n'),
    { asUser: site.osUser, signal },
  );
  const [control = '', answer = ''] = out.stdout.split(`${SQL_MARKER}\n`);
  const data = parseControlData(control);
  const sql = answer.trim() || null;
  const [recovery, archiveMode] = (sql ?? '').split('|');
  const timeline = Number(data.get("Latest checkpoint's TimeLineID"));
  return {
    controlState: data.get('Database cluster state') ?? null,
    systemIdentifier: data.get('Database system identifier') ?? null,
    timeline: Number.isInteger(timeline) && timeline > 0 ? timeline : null,
    inRecovery: recovery === 'true' ? true : recovery === 'false' ? false : null,
    archiveMode: archiveMode ?? null,
    accepts: sql !== null,
  };
}

/** 'stopped-at-target' for a moment: the last commit replayed is at or before the target. */
export function stoppedAtTime(outcome: RecoveryOutcome, targetIso: string): RestoreCheck {
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

/** 'stopped-at-target' for a recovery point: recovery ended where the backup became consistent. */
export function stoppedAtPoint(outcome: RecoveryOutcome, label: string): RestoreCheck {
  return {
    name: 'stopped-at-target',
    ok: outcome.stoppedAtConsistency,
    detail: outcome.stoppedAtConsistency
      ? `recovery stopped where backup ${label} became consistent`
      : `the log does not show recovery stopping at the end of backup ${label}`,
  };
}

/**
 * The checks every restore gets: the cluster is consistent and accepts connections, it was
 * promoted onto a new timeline, and (for a moment or a recovery point) it stopped where asked.
 * @throws RESTORE_FAILED when the scratch cluster archives: that must never happen (§7).
 */
export async function clusterChecks(
  site: RestoreSite,
  paths: ScratchPaths,
  port: number,
  outcome: RecoveryOutcome,
  target: RecoveryTarget,
  targetTime: string | null,
  signal?: AbortSignal,
): Promise<RestoreCheck[]> {
  const facts = await clusterFacts(site, paths, port, signal);
  if (facts.archiveMode !== null && facts.archiveMode !== 'off') {
    throw new AppError(
      'RESTORE_FAILED',
      `The scratch cluster runs with archive_mode=${facts.archiveMode}; it is stopped so it cannot write into the repository.`,
    );
  }
  return recoveryChecks(facts, port, outcome, target, targetTime);
}

/**
 * 'consistent', 'promoted' and (for a moment or a recovery point) 'stopped-at-target', from
 * what the cluster and its log say; shared by scratch restores and restores over production.
 */
export function recoveryChecks(
  facts: ClusterFacts,
  port: number,
  outcome: RecoveryOutcome,
  target: RecoveryTarget,
  targetTime: string | null,
): RestoreCheck[] {
  const checks: RestoreCheck[] = [
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
  if (target.kind === 'time' && targetTime) checks.push(stoppedAtTime(outcome, targetTime));
  if (target.kind === 'point') checks.push(stoppedAtPoint(outcome, target.label));
  return checks;
}
