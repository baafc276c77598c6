import type { AgentConfig } from '../../shared/agent/config';
import type { DrillCheck } from '../../shared/report/drill-result';
import type { RecoveryOutcome } from '../../shared/restore/recovery-log';
import type { Bucket } from '../engines/s3';
import { errorMessage } from '../runtime/errors';
import { drillCheck, EVIDENCE, notRun } from './checks';
import { amcheckCheck, clusterStartsCheck } from './database-checks';
import { manifestMatchCheck } from './manifest-match';
import { gdprLedgerCheck } from './gdpr-ledger';
import type { DrillRecoveryPoint } from './recovery-point';
import { smokeChecks } from './smoke-checks';

/** Checks of one phase and the evidence files they name. */
export interface PhaseResult {
  checks: DrillCheck[];
  evidence: Record<string, string>;
}

/** The `manifest-match` check with its evidence. */
export type ManifestMatch = Awaited<ReturnType<typeof manifestMatchCheck>>;

/**
 * The restored database, verified: it runs and does not archive, its tables equal the signed
 * manifest, the admin's smoke checks pass, the GDPR ledger is replayed, pg_amcheck finds no
 * corruption (beside the table comparison; --heapallindexed only when drill.amcheckHeapAllIndexed
 * is set). `manifestWork`: the table comparison, when it was started before the promotion.
 */
export async function verifyRestoredDatabase(
  config: AgentConfig,
  scratch: AgentConfig,
  outcome: RecoveryOutcome,
  point: DrillRecoveryPoint,
  bucket: Bucket,
  signal?: AbortSignal,
  manifestWork?: Promise<ManifestMatch>,
): Promise<PhaseResult> {
  // pg_amcheck reads every page and index of the cluster; the manifest comparison reads every
  // row. Both are CPU-bound and independent, so they share the cores instead of taking turns
  // (the RTO is start until verified); the small checks run beside them, `cluster-starts`
  // too (the cluster was promoted: its check only records how it came up). pg_amcheck's
  // extension adds functions only, which the row counts and checksums of the tables never see.
  const [started, manifest, smoke, gdpr, amcheck] = await Promise.all([
    clusterStartsCheck(scratch, outcome, point.backup.label, signal),
    manifestWork ?? manifestMatchCheck(scratch, point, signal),
    smokeChecks(scratch, config.drill.smokeChecks, signal),
    gdprLedgerCheck(bucket, config.serverId).catch((error: unknown) => ({
      check: drillCheck(
        'gdpr-ledger-replay',
        false,
        `the GDPR ledger could not be read: ${errorMessage(error)}`,
        [EVIDENCE.gdpr],
      ),
      evidence: `${errorMessage(error)}\n`,
    })),
    amcheckCheck(scratch, { heapAllIndexed: config.drill.amcheckHeapAllIndexed }, signal),
  ]);
  return {
    checks: [started, amcheck.check, manifest.check, smoke.check, gdpr.check],
    evidence: {
      [EVIDENCE.manifest]: manifest.evidence,
      [EVIDENCE.smoke]: `${JSON.stringify(smoke.outcomes, null, 2)}\n`,
      [EVIDENCE.gdpr]: gdpr.evidence,
      [EVIDENCE.amcheck]: amcheck.evidence,
    },
  };
}

/**
 * The database checks when there is no restored cluster to check: `cluster-starts` fails with
 * the reason (pgBackRest's or PostgreSQL's words), the others are recorded as not run.
 */
export function databaseNotRestored(
  why: string,
  notStarted = 'the restored cluster did not start',
): PhaseResult {
  return {
    checks: [
      drillCheck('cluster-starts', false, why, [EVIDENCE.restore, EVIDENCE.serverLog]),
      notRun('amcheck', notStarted),
      notRun('manifest-match', notStarted),
      notRun('smoke-checks', notStarted),
      notRun('gdpr-ledger-replay', notStarted),
    ],
    evidence: {},
  };
}
