import type { AgentConfig } from '../../shared/agent/config';
import type { DrillCheck } from '../../shared/report/drill-result';
import type { RecoveryOutcome } from '../../shared/restore/recovery-log';
import type { Bucket } from '../engines/s3';
import { checkWord } from '../../shared/report/check-words';
import { drillCheck, EVIDENCE, notRun } from './checks';
import { amcheckCheck, clusterStartsCheck } from './database-checks';
import { manifestMatchCheck } from './manifest-match';
import { loadLedger, replayLedgerCheck } from '../gdpr/ledger-replay';
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
 * manifest, the admin's smoke checks pass, the GDPR ledger is replayed (after those two),
 * pg_amcheck finds no corruption (beside the table comparison; --heapallindexed only when
 * drill.amcheckHeapAllIndexed is set). `manifestWork`: the table comparison, when it was
 * started before the promotion.
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
  const manifestDone = manifestWork ?? manifestMatchCheck(scratch, point, signal);
  const smokeDone = smokeChecks(scratch, config.drill.smokeChecks, signal);
  const ledger = loadLedger(bucket, config);
  // Read beside the checks; a failure is reported through gdprDone below, not as unhandled.
  ledger.catch(() => undefined);
  // The ledger's erasures change the data, so they are replayed once the table comparison and
  // the smoke checks (which describe the backup as it was) are done.
  const gdprDone = Promise.all([manifestDone, smokeDone]).then(() =>
    replayLedgerCheck(scratch, ledger, signal),
  );
  const [started, manifest, smoke, gdpr, amcheck] = await Promise.all([
    clusterStartsCheck(scratch, outcome, point.backup.label, signal),
    manifestDone,
    smokeDone,
    gdprDone,
    amcheckCheck(scratch, { heapAllIndexed: config.drill.amcheckHeapAllIndexed }, signal),
  ]);
  return {
    checks: [started, amcheck.check, manifest.check, smoke.check, gdpr.check],
    evidence: {
      [EVIDENCE.manifest]: manifest.evidence,
      [EVIDENCE.smoke]: `${JSON.stringify(
        smoke.outcomes.map(({ whyWord: _word, ...outcome }) => outcome),
        null,
        2,
      )}\n`,
      [EVIDENCE.gdpr]: gdpr.evidence,
      [EVIDENCE.amcheck]: amcheck.evidence,
    },
  };
}

/**
 * The database checks when there is no restored cluster to check: `cluster-starts` fails with
 * the reason (pgBackRest's or PostgreSQL's words, `detail`), the others are recorded as not run.
 * `notChecked`: the cluster started, but checking it threw.
 */
export function databaseNotRestored(detail: string, notChecked = false): PhaseResult {
  const why = notChecked ? `the restored cluster could not be checked: ${detail}` : detail;
  const notStarted = notChecked
    ? 'the restored cluster could not be checked'
    : 'the restored cluster did not start';
  const skipped = checkWord(notChecked ? 'notRun.clusterNotChecked' : 'notRun.clusterDidNotStart');
  return {
    checks: [
      drillCheck(
        'cluster-starts',
        false,
        why,
        [EVIDENCE.restore, EVIDENCE.serverLog],
        [
          checkWord(notChecked ? 'clusterStarts.notChecked' : 'clusterStarts.notRestored', {
            detail,
          }),
        ],
      ),
      notRun('amcheck', notStarted, skipped),
      notRun('manifest-match', notStarted, skipped),
      notRun('smoke-checks', notStarted, skipped),
      notRun('gdpr-ledger-replay', notStarted, skipped),
    ],
    evidence: {},
  };
}
