import type { AgentRestoreSpec, RestoreProgress } from '../../shared/agent/restore';
import { makeContext, type AgentContext } from '../runtime/context';
import { lookAtHistory, prepareHistorySource, readKeyFile } from './bucket-history-source';
import { runScratchRestore, type ScratchRestoreOutcome } from './scratch-restore';

/**
 * `kumiko-agent restore` with `bucketAsOf`: the bucket as it was then is copied into a local
 * repository (bucket-history-source.ts), the one restore engine restores from that copy, and
 * the copy is removed afterwards (the restored cluster is promoted and no longer reads it).
 * The result's `bucketHistory` says what was copied. Without `bucketAsOf`,
 * the plain restore.
 */
export async function runRestore(
  ctx: AgentContext,
  spec: AgentRestoreSpec,
  progress: (p: RestoreProgress) => void,
): Promise<ScratchRestoreOutcome> {
  const asOf = spec.bucketAsOf;
  if (!asOf) return runScratchRestore(ctx, spec, progress);
  const source = await prepareHistorySource(
    ctx.config,
    spec.id,
    new Date(asOf.time),
    asOf.keyFile,
    progress,
    ctx.signal,
  );
  try {
    const copied = makeContext(source.config, ctx.log, { signal: ctx.signal, now: ctx.now });
    const outcome = await runScratchRestore(copied, spec, progress, source.openBucket);
    return {
      exitCode: outcome.exitCode,
      result: { ...outcome.result, bucketHistory: source.detail.slice(0, 4000) },
    };
  } finally {
    source.remove();
  }
}

/** What `kumiko-agent bucket-history` prints: is there a history, and when did damage start. */
export interface BucketHistorySummary {
  objects: number;
  versions: number;
  deleteMarkers: number;
  /** Entries written while versioning was off: no history for them. */
  unversioned: number;
  firstDamageAt: string | null;
  /** The newest moment whose objects are all intact (restore the bucket as of this). */
  intactUntil: string | null;
  firstDamagedKey: string | null;
  deleted: number;
  overwritten: number;
}

/** `kumiko-agent bucket-history [--key-file F]`: names the attack before a restore. */
export async function bucketHistory(
  ctx: AgentContext,
  keyFile: string | undefined,
): Promise<BucketHistorySummary> {
  const look = await lookAtHistory(ctx.config, keyFile ? readKeyFile(keyFile) : null, ctx.signal);
  return {
    objects: new Set(look.versions.map((v) => v.key)).size,
    versions: look.versions.filter((v) => !v.deleteMarker).length,
    deleteMarkers: look.versions.filter((v) => v.deleteMarker).length,
    unversioned: look.unversioned,
    firstDamageAt: look.damage.firstDamageAt?.toISOString() ?? null,
    intactUntil: look.damage.intactUntil?.toISOString() ?? null,
    firstDamagedKey: look.damage.firstKey,
    deleted: look.damage.deleted,
    overwritten: look.damage.overwritten,
  };
}
