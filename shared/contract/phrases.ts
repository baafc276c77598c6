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
  'tile.recoveryPoint.failedStep',
  'tile.recoveryPoint.dailyFailedStep',
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
  'storage.notRun',
  'storage.endpoint.eu',
  'storage.endpoint.ownMarkIgnored',
  'storage.endpoint.own',
  'storage.endpoint.refused',
  'storage.endpoint.regionMismatch',
  'storage.tls.verified',
  'storage.tls.verifiedWithCa',
  'storage.tls.failed',
  'storage.tls.notByCa',
  'storage.tls.addCa',
  'storage.unreachable',
  'storage.keysRejected',
  'storage.noSuchBucket',
  'storage.location.denied',
  'storage.location.notReportedOwn',
  'storage.location.unverifiable',
  'storage.location.unreadable',
  'storage.location.own',
  'storage.location.ownNone',
  'storage.location.eu',
  'storage.location.usEast',
  'storage.location.noneUsEast',
  'storage.location.notEu',
  'storage.location.unknownProvider',
  'storage.action.denied',
  'storage.action.tls',
  'storage.action.failed',
  'storage.write.ok',
  'storage.read.ok',
  'storage.read.differs',
  'storage.delete.ok',
  'storage.delete.versionKept',
  'storage.delete.versionDeleted',
  'storage.delete.mayRemain',
  'storage.delete.unconfirmed',
  'storage.delete.stillThere',
  'storage.restoreKey.notGiven',
  'storage.restoreKey.readOnly',
  'storage.restoreKey.writes',
  'storage.restoreKey.cannot',
  'storage.restoreKey.prepareFailed',
  'storage.restoreKey.finishFailed',
  'gap.missing',
  'gap.missingInBackups',
  'plan.drillFailed',
  'plan.drillFailedUnverified',
  'plan.neverDrilled',
  'plan.neverDrilledUnverified',
  'plan.derivedBackup',
  'plan.otherTimeline',
  'plan.targetInNewestWal',
  'plan.targetBeforeGap',
  'plan.noFilesBefore',
  'plan.noFilesOfPoint',
  'plan.latestEndsAtGap',
  'plan.latestIncludes',
  'plan.latestIncludesNoLag',
  'plan.noFiles',
  'plan.filesUnverified',
  'plan.clockOff',
  'plan.scratchHost',
  'plan.scratchHostRestoreKey',
  'plan.scratchHostCaptureKey',
  'plan.productionFilesUntouched',
  'plan.productionLatestUnarchived',
  'plan.productionTypeServerName',
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

/** A sentence in English (CLI, logs) with the phrase the console words instead. */
export interface Said {
  text: string;
  words: Phrase;
}

export function said(text: string, key: PhraseKey, params?: Record<string, string | number>): Said {
  return { text, words: phrase(key, params) };
}

/** Said sentences as a plan carries them: English `warnings` and `warningWords` beside. */
export function warningsOf(list: readonly Said[]): { warnings: string[]; warningWords: Phrase[] } {
  return { warnings: list.map((s) => s.text), warningWords: list.map((s) => s.words) };
}
