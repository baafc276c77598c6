import type { RecoveryTarget, RestoreCheck } from '../../../shared/contract';
import type { RecoveryOutcome } from '../../../shared/restore/recovery-log';
import { clusterFacts, recoveryChecks } from './cluster-checks';
import { manifestCheck, type TrustedManifest } from './manifest-check';
import type { ProductionControl } from './production-postgres';
import { shq } from './restore-shell';
import type { RestoreSite } from './restore-site';
import { scratchQuery } from './scratch-cluster';
import type { ScratchPaths } from './scratch-paths';

/** What the verification compares against. */
export interface ProductionExpectations {
  target: RecoveryTarget;
  targetTime: string | null;
  /** The recovery point's manifest, for a point target (null: no manifest check). */
  manifest: TrustedManifest | null;
}

/**
 * The checks of a scratch restore (consistent, promoted, stopped at the target, and for a
 * recovery point its manifest) on the privately started production cluster, plus: it is still
 * the same cluster (system identifier).
 */
export async function verifyRestoredProduction(
  site: RestoreSite,
  paths: ScratchPaths,
  control: ProductionControl,
  outcome: RecoveryOutcome,
  expected: ProductionExpectations,
): Promise<RestoreCheck[]> {
  const port = control.cluster.port;
  const facts = await clusterFacts(site, paths, port, undefined, 'check the restored cluster');
  const checks = recoveryChecks(facts, port, outcome, expected.target, expected.targetTime);
  checks.push({
    name: 'system-identifier',
    ok: facts.systemIdentifier !== null && facts.systemIdentifier === control.systemIdentifier,
    detail: `before ${control.systemIdentifier ?? 'unknown'}, after ${facts.systemIdentifier ?? 'unknown'}`,
  });
  if (expected.target.kind === 'point') {
    checks.push(await manifestCheck(site, paths, port, expected.manifest));
  }
  return checks;
}

// pgBackRest leaves its recovery settings in postgresql.auto.conf. After promotion they do
// nothing, but a standby later made from this directory would stop at the old target and stay
// on the old timeline; restore_command (pgBackRest's own) is kept.
const RECOVERY_SETTINGS = [
  'recovery_target',
  'recovery_target_time',
  'recovery_target_xid',
  'recovery_target_name',
  'recovery_target_lsn',
  'recovery_target_inclusive',
  'recovery_target_action',
  'recovery_target_timeline',
];

/** Removes the restore's recovery target settings (ALTER SYSTEM, one statement each). */
export async function resetRecoveryTargets(
  site: RestoreSite,
  paths: ScratchPaths,
  port: number,
): Promise<void> {
  await scratchQuery(
    site,
    paths,
    port,
    'postgres',
    RECOVERY_SETTINGS.map((name) => `ALTER SYSTEM RESET ${name};`).join('\n'),
    'remove the recovery target settings',
  );
}

function timelineHex(timeline: number): string {
  return timeline.toString(16).toUpperCase().padStart(8, '0');
}

/**
 * 'archiving': capture goes on. The archiver marks a file `.done` only after archive_command
 * (pgBackRest archive-push) put it in the repository, and the first file of the new timeline is
 * its history file, written at promotion. Waits up to `timeoutMs` (async archiving pushes
 * within seconds; archive-timeout is 30 s).
 */
export async function archivingCheck(
  site: RestoreSite,
  control: ProductionControl,
  timeline: number | null,
  timeoutMs = 60_000,
): Promise<RestoreCheck> {
  if (timeline === null) {
    return { name: 'archiving', ok: false, detail: 'no new timeline was started' };
  }
  const history = `${timelineHex(timeline)}.history`;
  const done = shq(`${control.cluster.dataDirectory}/pg_wal/archive_status/${history}.done`);
  const tries = Math.max(1, Math.ceil(timeoutMs / 500));
  const out = await site.shell.run(
    'watch the archiver',
    `for i in $(seq 1 ${tries}); do if [ -f ${done} ]; then echo archived; exit 0; fi; sleep 0.5; done; echo waiting`,
    { asUser: site.osUser },
  );
  const ok = out.stdout.trim() === 'archived';
  return {
    name: 'archiving',
    ok,
    detail: ok
      ? `timeline ${timeline}: ${history} was archived to the repository; capture continues`
      : `timeline ${timeline}: ${history} was not archived within ${Math.round(timeoutMs / 1000)} s; see pg_stat_archiver`,
  };
}
