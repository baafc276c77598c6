import { drillPassed, type DrillCheck } from '../../shared/report/drill-result';
import { probeBucketProtectionNow } from '../heartbeat/bucket-protection';
import type { AgentContext } from '../runtime/context';
import { errorMessage } from '../runtime/errors';
import { checkWord } from '../../shared/report/check-words';
import { couldNotRun, drillCheck, EVIDENCE } from './checks';
import type { PractisedDrill } from './practise';

/**
 * `bucket-protection` (issue 15 §3): every drill probes anew whether the agent's key can delete
 * an object version, and reads the bucket's versioning, Object Lock and lifecycle; the verdict
 * also refreshes the heartbeat's "Bucket protection" tile. Passed only when the bucket is fully
 * protected. An advisory check (shared/report/drill-result.ts): a bucket at risk is in the
 * signed report without making a good restore fail.
 */
export async function bucketProtectionCheck(
  ctx: AgentContext,
): Promise<{ check: DrillCheck; evidence: string }> {
  try {
    const verdict = await probeBucketProtectionNow(ctx);
    const shown = verdict.findings.filter((f) => f.level !== 'ok' || verdict.level === 'protected');
    const lines = shown.map((f) => `${f.id} ${f.level}: ${f.text}`);
    // The findings' advice is in the evidence file and the server's bucket tile; the words say
    // which setting stands how.
    const words = [
      checkWord('bucket.level', { level: verdict.level }),
      ...shown.map((f) => checkWord('bucket.finding', { finding: f.id, level: f.level })),
    ];
    return {
      check: drillCheck(
        'bucket-protection',
        verdict.level === 'protected',
        `${verdict.level}: ${lines.join(' ')}`,
        [EVIDENCE.bucketProtection],
        words,
      ),
      evidence: `${JSON.stringify(verdict, null, 2)}\n`,
    };
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    const check = couldNotRun('bucket-protection', errorMessage(error), [
      EVIDENCE.bucketProtection,
    ]);
    return { check, evidence: `${check.detail}\n` };
  }
}

/**
 * Adds the bucket-protection check to a drill that ran (after its restore and repository
 * checks, so it costs no RTO); whether the drill passed is still decided by the other checks.
 */
export async function withBucketProtection(
  ctx: AgentContext,
  drill: PractisedDrill,
): Promise<PractisedDrill> {
  const { check, evidence } = await bucketProtectionCheck(ctx);
  const checks = [...drill.result.checks.filter((c) => c.id !== check.id), check];
  const files = new Map(drill.evidence);
  files.set(EVIDENCE.bucketProtection, evidence);
  const finishedAt = ctx.now().toISOString();
  return {
    evidence: files,
    result: {
      ...drill.result,
      checks,
      passed: drillPassed(checks),
      finishedAt:
        Date.parse(finishedAt) > Date.parse(drill.result.finishedAt)
          ? finishedAt
          : drill.result.finishedAt,
    },
  };
}
