import { bucketLayout } from '../../shared/agent/bucket-layout';
import type { DrillCheck } from '../../shared/report/drill-result';
import type { Bucket } from '../engines/s3';
import { drillCheck, EVIDENCE } from './checks';

/**
 * `gdpr-ledger-replay` (issue 5 §1): after a restore, every erasure recorded in the GDPR ledger
 * (under `bucketLayout.gdprPrefix`) must be applied again before anyone sees the data. This agent
 * has no replay yet, so the check counts the ledger's entries: with none there was nothing to
 * replay and the restore is as compliant as it can be; with any, it fails honestly rather than
 * claim a replay that did not happen.
 */
export function gdprLedgerVerdict(entryKeys: readonly string[]): {
  check: DrillCheck;
  evidence: string;
} {
  const count = entryKeys.length;
  const detail =
    count === 0
      ? 'the GDPR erasure ledger holds 0 erasures, so there were 0 erasures to replay'
      : `the GDPR erasure ledger holds ${count} entries, but this agent cannot replay the ledger yet: the restored data may still contain erased subjects`;
  return {
    check: drillCheck('gdpr-ledger-replay', count === 0, detail, [EVIDENCE.gdpr]),
    evidence: `ledger entries: ${count}\n${detail}\n`,
  };
}

/** Counts the ledger's objects in the bucket (folder placeholders ending in `/` are not entries). */
export async function gdprLedgerCheck(
  bucket: Bucket,
  serverId: string,
): Promise<{ check: DrillCheck; evidence: string }> {
  const keys = await bucket.list(bucketLayout.gdprPrefix(serverId));
  return gdprLedgerVerdict(keys.filter((k) => !k.endsWith('/')));
}
