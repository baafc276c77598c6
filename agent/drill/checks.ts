import { DRILL_EXIT_FAILED_CHECKS, type DrillRunSummary } from '../../shared/agent/drill';
import {
  decidesDrill,
  KNOWN_CHECK_IDS,
  type DrillCheck,
  type DrillResult,
  type KnownCheckId,
} from '../../shared/report/drill-result';
import { capCheckWords, checkWord, type CheckWord } from '../../shared/report/check-words';

// The checks of a drill as the report records them: titles, evidence file names, and how the
// outcome maps to the command's summary and exit code. Pure, so the rules are unit-tested.

/** Evidence files (under `evidence/` in the bundle), one name per kind. */
export const EVIDENCE = {
  info: 'pgbackrest-info.json',
  recoveryPoint: 'recovery-point.json',
  restore: 'pgbackrest-restore.txt',
  serverLog: 'scratch-server.log',
  amcheck: 'amcheck.txt',
  manifest: 'manifest-compare.json',
  smoke: 'smoke-checks.json',
  gdpr: 'gdpr-ledger.txt',
  resticRestore: 'restic-restore.txt',
  files: 'files-hash.txt',
  resticCheck: 'restic-check.txt',
  verify: 'pgbackrest-verify.txt',
  bucketProtection: 'bucket-protection.json',
} as const;
export type EvidenceName = (typeof EVIDENCE)[keyof typeof EVIDENCE];

/** Headings of the checks in the PDF (short: pdftotext and people read them on one line). */
export const CHECK_TITLES: Record<KnownCheckId, string> = {
  'cluster-starts': 'Restored cluster starts and accepts connections',
  amcheck: 'pg_amcheck finds no corruption',
  'manifest-match': 'Row counts and checksums match the manifest',
  'smoke-checks': 'Smoke checks return the expected results',
  'gdpr-ledger-replay': 'GDPR erasure ledger replayed',
  'files-hash': 'Attached files match the restic snapshot',
  'restic-check': 'restic check reads a sample of the file data',
  'pgbackrest-verify': 'pgbackrest verify finds the repository consistent',
  'bucket-protection': 'Bucket key cannot destroy backups (advisory)',
};

const MAX_DETAIL = 4000;

/**
 * One check result with its standard title: the detail in English (report.json keeps it for
 * auditors and older consoles) and as `words`, codes with parameters the console and the PDF
 * word in German or English (shared/report/check-words.ts).
 */
export function drillCheck(
  id: KnownCheckId,
  passed: boolean,
  detail: string,
  evidence: readonly EvidenceName[],
  words: readonly CheckWord[],
): DrillCheck {
  const text = detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL - 1)}…` : detail;
  return {
    id,
    title: CHECK_TITLES[id],
    passed,
    detail: text,
    words: capCheckWords(words),
    evidence: [...new Set(evidence)],
  };
}

/** A check that could not run because of `error`: English `could not run: …` and its words. */
export function couldNotRun(
  id: KnownCheckId,
  error: string,
  evidence: readonly EvidenceName[],
): DrillCheck {
  return drillCheck(id, false, `could not run: ${error}`, evidence, [
    checkWord('couldNotRun', { detail: error }),
  ]);
}

/**
 * A check that could not run (the cluster never started, say): recorded as failed, because
 * nothing was shown, with the reason, so the report never implies it passed.
 */
export function notRun(
  id: KnownCheckId,
  why: string,
  word: CheckWord,
  evidence: readonly EvidenceName[] = [],
): DrillCheck {
  return drillCheck(id, false, `not run: ${why}`, evidence, [word]);
}

/** The checks in the order the report lists them (the order the drill runs them). */
export function orderedChecks(checks: ReadonlyMap<KnownCheckId, DrillCheck>): DrillCheck[] {
  const order: readonly KnownCheckId[] = [
    'cluster-starts',
    'amcheck',
    'manifest-match',
    'smoke-checks',
    'gdpr-ledger-replay',
    'files-hash',
    'restic-check',
    'pgbackrest-verify',
    'bucket-protection',
  ];
  const missing = KNOWN_CHECK_IDS.filter((id) => !order.includes(id));
  return [...order, ...missing]
    .map((id) => checks.get(id))
    .filter((c): c is DrillCheck => c !== undefined);
}

/** What `kumiko-agent drill` prints for a drill whose report was written. */
export function drillSummary(
  result: Pick<DrillResult, 'drillId' | 'passed' | 'checks' | 'rtoSeconds' | 'rpoSeconds'>,
  bundlePrefix: string,
  manifestSha256: string,
): DrillRunSummary {
  return {
    drillId: result.drillId,
    passed: result.passed,
    // The checks that failed the drill: an advisory one (bucket-protection) is in the report.
    failedChecks: result.checks.filter((c) => !c.passed && decidesDrill(c)).map((c) => c.id),
    rtoSeconds: result.rtoSeconds,
    rpoSeconds: result.rpoSeconds,
    bundlePrefix,
    manifestSha256,
  };
}

/** 0 when the drill passed, {@link DRILL_EXIT_FAILED_CHECKS} when it ran and a check failed. */
export function drillExitCode(summary: Pick<DrillRunSummary, 'passed'>): number {
  return summary.passed ? 0 : DRILL_EXIT_FAILED_CHECKS;
}

/** Seconds between two moments, to a tenth (never negative: clocks can step). */
export function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 100) / 10);
}
