import { z } from 'zod';

/**
 * What main says to people as codes, not sentences (issue 16 §1): a status tile's value and
 * reason, a bucket finding. The renderer words each `phrase.<key>` from its de/en catalogs
 * (renderer/app/i18n/*-phrases.ts, a missing key is a type error there). Params are names,
 * numbers and times, never secrets: a param whose name ends in `Seconds` is a duration, one
 * ending in `At` a time (ISO), `detail` a tool's own words (pgBackRest, S3) shown as they came.
 */
export const PHRASE_KEYS = [
  'value.none',
  'value.duration',
  'value.count',
  'value.percentFree',
  'value.signedSeconds',
  'value.agent',
  'value.repositoryStatus',
  'value.repositoryUnreachable',
  'value.notChecked',
  'value.drillFailed',
  'value.drillOverdue',
  'value.drillCouldNotRun',
  'value.drillOff',
  'value.drillPassedAgo',
  'value.drillNoneYet',
  'value.canDestroyHistory',
  'value.needsAttention',
  'value.cannotDestroyHistory',
  'value.unknown',
  'value.walNoneWaiting',
  'value.walWaiting',
  'detail',
  'tile.captureLag.failing',
  'tile.captureLag.noWal',
  'tile.captureLag.ok',
  'tile.captureLag.late',
  'tile.archiveFailures.failingNow',
  'tile.archiveFailures.recovered',
  'tile.archiveFailures.none',
  'tile.recoveryPoint.failed',
  'tile.recoveryPoint.none',
  'tile.recoveryPoint.dailyFailed',
  'tile.recoveryPoint.ok',
  'tile.recoveryPoint.late',
  'tile.drill.failed',
  'tile.drill.failedOfPoint',
  'tile.drill.overdueSince',
  'tile.drill.overdueFirst',
  'tile.drill.couldNotRun',
  'tile.drill.beforePassed',
  'tile.drill.passed',
  'tile.drill.passedOfPoint',
  'tile.drill.off',
  'tile.drill.noneRun',
  'tile.drill.nextDue',
  'tile.drill.firstDue',
  'tile.drill.notReported',
  'tile.drill.notPlanned',
  'tile.bucket.notChecked',
  'tile.bucket.checkedAt',
  'tile.repository.reachable',
  'tile.repository.unreachable',
  'tile.spool.none',
  'tile.spool.behind',
  'tile.spool.usual',
  'tile.disk.low',
  'tile.disk.enough',
  'tile.clock.agrees',
  'tile.clock.off',
  'tile.agent.stale',
  'tile.agent.running',
  'tile.agent.notRunning',
  'bucket.history.allowed',
  'bucket.history.locked',
  'bucket.history.noVersion',
  'bucket.history.denied',
  'bucket.history.unknown',
  'bucket.versioning.enabled',
  'bucket.versioning.onByUpload',
  'bucket.versioning.notReported',
  'bucket.versioning.suspended',
  'bucket.versioning.off',
  'bucket.objectLock.notReported',
  'bucket.objectLock.notEnabled',
  'bucket.objectLock.noRetention',
  'bucket.objectLock.tooShort',
  'bucket.objectLock.advice',
  'bucket.objectLock.ok',
  'bucket.objectLock.governance',
  'bucket.lifecycle.unknown',
  'bucket.lifecycle.none',
  'bucket.lifecycle.expiresEarly',
  'bucket.lifecycle.noncurrentShort',
  'bucket.lifecycle.lengthen',
  'bucket.lifecycle.keepsVersions',
  'bucket.lifecycle.ok',
] as const;

export const PhraseKey = z.enum(PHRASE_KEYS);
export type PhraseKey = z.infer<typeof PhraseKey>;

export const Phrase = z.object({
  key: PhraseKey,
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type Phrase = z.infer<typeof Phrase>;

/** A phrase; params left out when there are none. */
export function phrase(key: PhraseKey, params?: Record<string, string | number>): Phrase {
  return params ? { key, params } : { key };
}

/** A tile's value and reason as phrases (the reason: sentences in order). */
export const TileWords = z.object({ value: Phrase, reason: z.array(Phrase) });
export type TileWords = z.infer<typeof TileWords>;
