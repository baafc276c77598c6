import {
  BucketProtection,
  judgeBucketProtection,
  requiredRetentionDays,
} from '../../shared/agent/bucket-protection';
import { probeBucketKey } from '../engines/s3';
import type { AgentContext } from '../runtime/context';
import { errorMessage } from '../runtime/errors';
import { readJsonFile, writeJsonFile } from '../runtime/json-file';

// Re-checks whether the agent's own bucket key can destroy backups (issue 15 §3): the setup
// check can be undone later (versioning suspended, a policy removed, a new key), so heartbeats
// and every drill look again. The verdict is kept in stateDir/bucket-protection.json and
// carried by every heartbeat to the app's "Bucket protection" tile.

/**
 * How often a heartbeat re-checks. Under Object Lock each probe leaves a 16-byte test version
 * for the lock's retention; every 6 h that is 4 a day (about 370 under a 93-day lock).
 */
export const BUCKET_CHECK_INTERVAL_MS = 6 * 3600_000;

/** The newest verdict the agent kept, or null (never checked, or a file it cannot read). */
export function storedBucketProtection(ctx: AgentContext): BucketProtection | null {
  return readJsonFile(ctx.paths.bucketProtection, BucketProtection.nullable(), null);
}

/**
 * Probes now and keeps the verdict (stateDir/bucket-protection.json), logging when the key has
 * just become able to destroy history.
 * @throws the S3 error when the probe could not run at all.
 */
export async function probeBucketProtectionNow(ctx: AgentContext): Promise<BucketProtection> {
  const previous = storedBucketProtection(ctx);
  const facts = await probeBucketKey(ctx.config.s3);
  // Storage down or refusing the upload: nothing was learnt about the key's rights (and every
  // setting reads "not reported"); keep the previous verdict rather than a misleading one.
  if (facts.versionDelete === 'error') throw new Error(facts.notes.join('; '));
  const verdict = judgeBucketProtection(
    facts,
    requiredRetentionDays(ctx.config.retention),
    ctx.now(),
  );
  writeJsonFile(ctx.paths.bucketProtection, verdict);
  if (verdict.level === 'exposed' && previous?.level !== 'exposed') {
    ctx.log.warn(
      `bucket protection: ${verdict.findings.find((f) => f.level === 'exposed')?.text ?? 'exposed'}`,
    );
  }
  return verdict;
}

/**
 * For heartbeats: the stored verdict, probed anew when older than
 * {@link BUCKET_CHECK_INTERVAL_MS}. A probe that throws keeps the stored verdict (a heartbeat
 * during an outage must not lose what is known; the repository tile reports the outage).
 */
export async function checkBucketProtection(ctx: AgentContext): Promise<BucketProtection | null> {
  const stored = storedBucketProtection(ctx);
  const now = ctx.now();
  const fresh = stored !== null && now.getTime() - Date.parse(stored.at) < BUCKET_CHECK_INTERVAL_MS;
  if (fresh) return stored;
  try {
    return await probeBucketProtectionNow(ctx);
  } catch (error) {
    ctx.log.warn(`bucket protection check failed: ${errorMessage(error)}`);
    return stored;
  }
}
