import type { PhraseKey } from '../../../shared/contract/phrases';

/**
 * English words for main's phrases (shared/contract/phrases.ts): status tile values and
 * reasons, bucket findings. Params ending in Seconds arrive as durations and those ending in At
 * as times, both already written in the language (renderer/app/i18n/word-phrase.ts).
 */
export const enPhrases = {
  'phrase.value.none': '–',
  'phrase.value.duration': '{valueSeconds}',
  'phrase.value.count': '{count, number}',
  'phrase.value.percentFree': '{percent, number} % free',
  'phrase.value.signedSeconds': '{seconds, number, ::sign-always} s',
  'phrase.value.agent': 'v{version} ({mode})',
  'phrase.value.repositoryStatus': 'status {code}',
  'phrase.value.repositoryUnreachable': 'unreachable',
  'phrase.value.notChecked': 'not checked',
  'phrase.value.drillFailed': 'failed',
  'phrase.value.drillOverdue': 'overdue',
  'phrase.value.drillCouldNotRun': 'could not run',
  'phrase.value.drillOff': 'off',
  'phrase.value.drillPassedAgo': 'passed {agoSeconds} ago',
  'phrase.value.drillNoneYet': 'none yet',
  'phrase.value.canDestroyHistory': 'can destroy history',
  'phrase.value.needsAttention': 'needs attention',
  'phrase.value.cannotDestroyHistory': 'cannot destroy history',
  'phrase.value.unknown': 'unknown',
  'phrase.value.walNoneWaiting': 'none waiting',
  'phrase.value.walWaiting': '{count, plural, one {# WAL file} other {# WAL files}} waiting',
  'phrase.detail': '{detail}',
  'phrase.rollback.refusal.noHistory':
    'The audit trail holds no change of this record: there is nothing to go back to. Check the table and key, or restore a moment into a scratch environment.',
  'phrase.rollback.refusal.noPrimaryKey':
    'The table has no primary key, so the audit trail cannot cover it. Restore that moment into a scratch environment instead.',
  'phrase.rollback.refusal.tableMissing': 'The table does not exist. Check its name.',
  'phrase.rollback.refusal.versionUnknown':
    'That version is not in this record’s history. Pick one of the versions shown.',
  'phrase.rollback.refusal.columnsChanged':
    'The table’s columns changed since that version (added: {added}; removed: {removed}). Nothing was changed; restore that moment into a scratch environment instead.',
  'phrase.rollback.refusal.columnTypesChanged':
    'Column types changed since that version ({columns}). Nothing was changed; restore that moment into a scratch environment instead.',
  'phrase.rollback.refusal.historyGap':
    'The audit trail did not record changes for a while until {gapEndAt} (the server was restored, or its replication slot was lost), after that moment: it cannot say how the record was. Nothing was changed; restore that moment into a scratch environment instead.',
  'phrase.rollback.refusal.truncated':
    'The table was emptied with TRUNCATE on {truncatedAt}, after that moment: the audit trail cannot say how the record was. Nothing was changed; restore that moment into a scratch environment instead.',
  'phrase.rollback.refusal.changedAfterPreview':
    'The record changed after the preview. Nothing was changed; preview again.',
  'phrase.rollback.refusal.foreignKey':
    'The rollback would break the foreign key {constraint} on {table}. Nothing was changed; fix the related rows first, then preview again.',
  'phrase.rollback.refusal.unique':
    'The rollback would break the unique key {constraint} on {table}. Nothing was changed; change the row that holds the value first, then preview again.',
  'phrase.rollback.refusal.constraint':
    'The rollback would break the constraint {constraint} on {table}. Nothing was changed; fix the data it checks first, then preview again.',
  'phrase.rollback.refusal.otherRowsChanged':
    'The rollback would also change rows of {tables} (a cascading foreign key or a trigger). Nothing was changed; roll those rows back one by one or restore a moment into a scratch environment.',
  'phrase.rollback.refusal.notExact':
    'The record would not end exactly as it was (a trigger changes it). Nothing was changed; check the table’s triggers.',
  'phrase.tile.captureLag.failing':
    'Capture is failing: WAL {wal} could not be archived (last attempt {lastAt}). Check the bucket and the repository tile.',
  'phrase.tile.captureLag.noWal': 'No WAL archived yet.',
  'phrase.tile.captureLag.ok': 'Changes reach the bucket within a minute.',
  'phrase.tile.captureLag.late': 'Last WAL archived {lagSeconds} ago (limit {limitSeconds}).',
  'phrase.tile.archiveFailures.failingNow': 'The most recent archive attempt failed.',
  'phrase.tile.archiveFailures.recovered': 'Earlier failures recovered; archiving works now.',
  'phrase.tile.archiveFailures.none': 'No archive failures.',
  'phrase.tile.recoveryPoint.failed':
    'The recovery point failed: {detail}. Fix the cause; the next scheduled run tries again.',
  'phrase.tile.recoveryPoint.none': 'No recovery point yet.',
  'phrase.tile.recoveryPoint.dailyFailed':
    'The last daily recovery point failed: {detail}. Fix the cause; the next scheduled run tries again.',
  'phrase.tile.recoveryPoint.failedStep':
    'The recovery point failed at “{step, select, backup {base backup with pgBackRest} backupInfo {finding the backup in the repository} files {backing up attached files with restic} filesIndex {repairing the restic index} filesCheck {checking attached files} checksums {table checksums} clusterFacts {reading the cluster’s facts} exactPoint {holding the exact recovery point} manifestUpload {uploading the manifest} manifest {making the manifest} lock {lock} other {{step}}}”: {detail}. Fix the cause; the next scheduled run tries again.',
  'phrase.tile.recoveryPoint.dailyFailedStep':
    'The last daily recovery point failed at “{step, select, backup {base backup with pgBackRest} backupInfo {finding the backup in the repository} files {backing up attached files with restic} filesIndex {repairing the restic index} filesCheck {checking attached files} checksums {table checksums} clusterFacts {reading the cluster’s facts} exactPoint {holding the exact recovery point} manifestUpload {uploading the manifest} manifest {making the manifest} lock {lock} other {{step}}}”: {detail}. Fix the cause; the next scheduled run tries again.',
  'phrase.tile.recoveryPoint.ok': 'Recovery point {label}.',
  'phrase.tile.recoveryPoint.late': 'No recovery point for {ageSeconds} (limit {limitSeconds}).',
  'phrase.tile.drill.failed':
    'The last drill {drillId} at {startedAt} failed: {checkCount, plural, =0 {a check} other {{checks}}}.',
  'phrase.tile.drill.failedOfPoint':
    'The last drill {drillId} of recovery point {label} at {startedAt} failed: {checkCount, plural, =0 {a check} other {{checks}}}.',
  'phrase.tile.drill.overdueSince':
    'Overdue: no drill since {sinceAt}; the next was due {lateSeconds} ago (every {intervalSeconds}).',
  'phrase.tile.drill.overdueFirst':
    'Overdue: no drill yet; the first was due {lateSeconds} ago (every {intervalSeconds}, scheduled since {sinceAt}).',
  'phrase.tile.drill.couldNotRun': 'The last drill ({attemptAt}) could not run: {detail}.',
  'phrase.tile.drill.beforePassed': 'The one before passed {agoSeconds} ago.',
  'phrase.tile.drill.passed': 'Drill {drillId} passed {agoSeconds} ago.',
  'phrase.tile.drill.passedOfPoint':
    'Drill {drillId} of recovery point {label} passed {agoSeconds} ago.',
  'phrase.tile.drill.off': 'Scheduled drills are off. Start one, or set an interval.',
  'phrase.tile.drill.noneRun': 'No drill has run yet.',
  'phrase.tile.drill.nextDue': 'Next due {dueAt}.',
  'phrase.tile.drill.firstDue': 'No drill yet; the first is due {dueAt}.',
  'phrase.tile.drill.notReported': 'This agent version does not report its drill schedule.',
  'phrase.tile.drill.notPlanned': 'No drill yet, and the scheduler has not planned one.',
  'phrase.tile.bucket.notChecked':
    'This agent has not checked whether its key can delete backups yet.',
  'phrase.tile.bucket.checkedAt': '(checked {checkedAt})',
  'phrase.tile.repository.reachable': 'Repository reachable.',
  'phrase.tile.repository.unreachable':
    'Repository unreachable. Check the bucket’s address and keys in the storage settings.',
  'phrase.tile.spool.none': 'No WAL waits for upload.',
  'phrase.tile.spool.behind':
    '{count, plural, one {# WAL file waits} other {# WAL files wait}} for upload (more than {limit, number}): archiving falls behind.',
  'phrase.tile.spool.usual':
    '{count, plural, one {# WAL file waits} other {# WAL files wait}} for upload, as usual while pgBackRest uploads (a warning above {limit, number}).',
  'phrase.tile.disk.low': 'Only {percent, number} % free on {path}. Free space or grow the disk.',
  'phrase.tile.disk.enough': 'Enough free space.',
  'phrase.tile.clock.agrees':
    'The server’s clock agrees with this computer’s (within {within, number} s).',
  'phrase.tile.clock.off':
    'The server’s clock is {seconds, number} s {direction, select, ahead {ahead of} other {behind}} this computer’s. Times of commits, backups and restores are the server’s own clock; start time synchronisation on the server (timedatectl set-ntp true, or chrony) so both agree.',
  'phrase.tile.agent.stale':
    'No heartbeat for {ageSeconds}: the agent or the server is down. Check the server and the kumiko-agent service.',
  'phrase.tile.agent.running': 'Agent running on schedule.',
  'phrase.tile.agent.notRunning':
    'The agent scheduler is not running. Start the kumiko-agent service on the server.',
  'phrase.bucket.history.allowed':
    'The key deleted an old version of a test object: whoever holds it (the database server, and so any database superuser) can destroy every backup and its history. Deny this key s3:DeleteObjectVersion and s3:BypassGovernanceRetention (see the bucket policy in docs/security.md), or enable Object Lock in COMPLIANCE mode.',
  'phrase.bucket.history.locked': 'Object Lock keeps every upload for its retention period.',
  'phrase.bucket.history.noVersion':
    'Versioning is off: a delete or overwrite with this key destroys backups for good, and the key can delete. Enable versioning on the bucket (better: Object Lock) and deny the key s3:DeleteObjectVersion.',
  'phrase.bucket.history.denied':
    'The key could not delete an old version: it cannot destroy the bucket’s history.',
  'phrase.bucket.history.unknown':
    'Could not test whether the key can delete old versions ({detail}).',
  'phrase.bucket.versioning.enabled':
    'Versioning is enabled: overwritten or deleted objects stay recoverable.',
  'phrase.bucket.versioning.onByUpload':
    'Versioning is on (the test upload got a version id); the key may not read the setting.',
  'phrase.bucket.versioning.notReported':
    'The storage does not report versioning ({detail}): assume deleted objects are gone. Enable versioning on the bucket.',
  'phrase.bucket.versioning.suspended':
    'Versioning is suspended: an overwritten or deleted object cannot be recovered from the bucket. Enable versioning.',
  'phrase.bucket.versioning.off':
    'Versioning is off: an overwritten or deleted object cannot be recovered from the bucket. Enable versioning.',
  'phrase.bucket.objectLock.notReported': 'The storage does not report Object Lock ({detail}).',
  'phrase.bucket.objectLock.notEnabled':
    'Object Lock is not enabled: a key that may change the bucket’s versioning, lifecycle or policy can still destroy history.',
  'phrase.bucket.objectLock.noRetention':
    'Object Lock is enabled but has no default retention, so uploads are not locked.',
  'phrase.bucket.objectLock.tooShort':
    'Object Lock keeps uploads {days, number} days, shorter than the retention ({requiredDays, number} days: 30 days of WAL, monthly backups for 3 months).',
  'phrase.bucket.objectLock.advice':
    'Enable Object Lock with a default retention of at least {requiredDays, number} days (COMPLIANCE mode), so that no key, not even a stolen admin key, can delete backups before they expire.',
  'phrase.bucket.objectLock.ok':
    'Object Lock keeps every upload {days, number} days ({mode}), at least the retention of {requiredDays, number} days.',
  'phrase.bucket.objectLock.governance':
    'GOVERNANCE mode: keys with s3:BypassGovernanceRetention can still delete; COMPLIANCE is stricter.',
  'phrase.bucket.lifecycle.unknown': 'The lifecycle rules could not be read ({detail}).',
  'phrase.bucket.lifecycle.none': 'No lifecycle rules delete objects.',
  'phrase.bucket.lifecycle.expiresEarly':
    'Lifecycle: a rule expires objects after {days, number} days, before the retention of {requiredDays, number} days ends.',
  'phrase.bucket.lifecycle.noncurrentShort':
    'Lifecycle: old versions are deleted {days, number} days after they are replaced, so an attack must be noticed within {days, number} days.',
  'phrase.bucket.lifecycle.lengthen': 'Lengthen the rule.',
  'phrase.bucket.lifecycle.keepsVersions':
    'Lifecycle rules keep old versions {days, number} days after they are replaced.',
  'phrase.bucket.lifecycle.ok': 'The lifecycle rules delete nothing the retention still needs.',
  'phrase.storage.notRun': 'Not run: an earlier check failed.',
  'phrase.storage.endpoint.eu': '{host} is {provider} region {region} ({place}), inside the EU.',
  'phrase.storage.endpoint.ownMarkIgnored':
    'The own-storage mark does not apply to a public cloud: the bucket’s EU location is checked as for any {provider} bucket.',
  'phrase.storage.endpoint.own':
    '{host} is not on the EU allowlist; allowed only because you marked it as your own storage: you vouch that it stands in the EU. The region "{region}" only names how requests are signed, not where the data is. Keep a record of where the storage stands.',
  'phrase.storage.endpoint.refused':
    'Refused, nothing was uploaded: {host} is not an EU endpoint on the allowlist. Choose an EU region of an allowed provider, or mark storage you operate yourself as your own.',
  'phrase.storage.endpoint.regionMismatch':
    'The region {region} does not match the endpoint’s region {endpointRegion}. Enter {endpointRegion} as the region.',
  'phrase.storage.tls.verified': 'The TLS certificate of {host} was verified.',
  'phrase.storage.tls.verifiedWithCa':
    'The TLS certificate of {host} was verified (with the given CA certificate).',
  'phrase.storage.tls.failed': 'The TLS certificate of {host} could not be verified ({detail}).',
  'phrase.storage.tls.notByCa': 'It is not signed by the given CA certificate.',
  'phrase.storage.tls.addCa':
    'If the storage uses a private CA, add its CA certificate. Verification is never turned off.',
  'phrase.storage.unreachable':
    'Could not reach {endpoint} ({detail}). Check the address and that this computer can reach it.',
  'phrase.storage.keysRejected':
    'The storage at {host} rejected the keys ({detail}): check the access key id and the secret access key.',
  'phrase.storage.noSuchBucket': 'Bucket "{bucket}" does not exist at {host}. Check its name.',
  'phrase.storage.location.denied':
    'The keys may not read the location of bucket "{bucket}" ({detail}); it is needed to verify the bucket is in the EU. Allow s3:GetBucketLocation.',
  'phrase.storage.location.notReportedOwn':
    'The storage does not report a location ({detail}). Own storage: you vouch for where it is.',
  'phrase.storage.location.unverifiable':
    'Refused, nothing was uploaded: the location of bucket "{bucket}" at {host} cannot be verified ({detail}).',
  'phrase.storage.location.unreadable': 'Could not read the bucket location at {host} ({detail}).',
  'phrase.storage.location.own':
    'The bucket reports location {location}. Own storage: you vouch for where it is.',
  'phrase.storage.location.ownNone':
    'The bucket reports no location. Own storage: you vouch for where it is.',
  'phrase.storage.location.eu': 'The bucket is in {location} ({place}), inside the EU.',
  'phrase.storage.location.usEast':
    'The bucket reports location {location} (USA), not an EU location. Refused: create the bucket in an EU region.',
  'phrase.storage.location.noneUsEast':
    'The bucket reports no location, which S3 means as us-east-1 (USA), not an EU location. Refused: create the bucket in an EU region.',
  'phrase.storage.location.notEu':
    'The bucket reports location {location}, which is not a known EU location of {provider}. Refused: create the bucket in an EU region.',
  'phrase.storage.location.unknownProvider':
    'The provider is not on the EU allowlist, so no location counts as EU.',
  'phrase.storage.action.denied':
    'The keys may not {action, select, write {write} read {read} other {delete}} objects in bucket "{bucket}" at {host} ({detail}). Give the key that permission.',
  'phrase.storage.action.tls':
    'TLS failed while trying to {action, select, write {write} read {read} other {delete}} objects at {host} ({detail}).',
  'phrase.storage.action.failed':
    'Could not {action, select, write {write} read {read} other {delete}} objects in bucket "{bucket}" at {host} ({detail}).',
  'phrase.storage.write.ok': 'Wrote a {bytes, number}-byte test object {key}.',
  'phrase.storage.read.ok': 'Read the test object back: {bytes, number} identical bytes.',
  'phrase.storage.read.differs':
    'The storage at {host} returned different bytes than were written ({read, number} bytes read, {written, number} written).',
  'phrase.storage.delete.ok': 'Deleted the test object; it is gone.',
  'phrase.storage.delete.versionKept':
    'Its old version stays in the bucket: the keys may not delete versions (or Object Lock keeps it).',
  'phrase.storage.delete.versionDeleted':
    'The keys deleted its old version too (see the history check).',
  'phrase.storage.delete.mayRemain': 'The test object {key} may remain.',
  'phrase.storage.delete.unconfirmed':
    'Could not confirm that the test object {key} was deleted ({detail}).',
  'phrase.storage.delete.stillThere':
    'The storage at {host} accepted the delete of {key}, but the object is still there.',
  'phrase.storage.restoreKey.notGiven':
    'No read-only restore key is saved: a restore onto another host gets the capture key, which can write to the bucket. Add a key that may only get and list (docs/security.md, "Bucket keys").',
  'phrase.storage.restoreKey.readOnly':
    'The restore key reads and lists the backups, and the storage refused it a write: it is read-only.',
  'phrase.storage.restoreKey.writes':
    'The restore key may write to the bucket: it is not read-only, so a host it is given to could change the backups. Give it only s3:GetObject, s3:ListBucket and s3:GetBucketLocation.',
  'phrase.storage.restoreKey.cannot':
    'The restore key cannot {action, select, list {list} other {read}} objects in bucket "{bucket}" at {host}: a restore with it would fail. Check the key id and secret, and that it may get and list objects.',
  'phrase.storage.restoreKey.prepareFailed':
    'Could not prepare the restore-key check at {host} ({detail}).',
  'phrase.storage.restoreKey.finishFailed':
    'Could not finish the restore-key check at {host} ({detail}).',
  'phrase.gap.missing':
    'WAL segment {segment} is missing from the bucket ({count, plural, one {# segment} other {# segments}})',
  'phrase.gap.missingInBackups':
    'WAL segment {segment} is missing from the bucket ({count, plural, one {# segment} other {# segments}}); {backupCount, plural, one {backup {backups} falls in it and cannot be restored} other {backups {backups} fall in it and cannot be restored}}',
  'phrase.plan.drillFailed':
    'The last drill of recovery point {label} ({drillId}, {startedAt}) failed{checkCount, plural, =0 {} other {: {checks}}}. Restoring it may fail or bring back wrong data: read that drill report first.',
  'phrase.plan.drillFailedUnverified':
    'The last drill of recovery point {label} ({drillId}, {startedAt}) failed{checkCount, plural, =0 {} other {: {checks}}}; its report does not verify against the pinned agent key, so check it. Restoring this point may fail or bring back wrong data: read that drill report first.',
  'phrase.plan.neverDrilled':
    'Recovery point {label} was never drilled: no practised restore has shown that it restores.',
  'phrase.plan.neverDrilledUnverified':
    'Recovery point {label} was never drilled: no practised restore has shown that it restores ({count, plural, one {# passed drill report of it does} other {# passed drill reports of it do}} not verify against the pinned agent key).',
  'phrase.plan.derivedBackup':
    'Base backup {label} has no trusted manifest: its details are derived from pgBackRest alone.',
  'phrase.plan.otherTimeline':
    'This moment also exists on timeline {timelines}; timeline {timeline} is restored.',
  'phrase.plan.targetInNewestWal':
    'The moment lies in the newest archived WAL: if nothing was committed after it yet, PostgreSQL ends recovery at the end of the archive without reaching it. Choosing “The latest moment captured” avoids that.',
  'phrase.plan.targetBeforeGap':
    'The moment lies in WAL segment {segment}, the last one before a gap in the archive: if nothing was committed after it within that segment, PostgreSQL ends recovery there without reaching it. A moment a little earlier avoids that.',
  'phrase.plan.noFilesBefore':
    'No recovery point before this moment has attached files: only the database is restored.',
  'phrase.plan.noFilesOfPoint':
    'Recovery point {label} has no trusted restic snapshot of attached files: only the database is restored.',
  'phrase.plan.latestEndsAtGap':
    'WAL after {fromAt} cannot be restored (segment {segment} and {count, plural, one {no other} other {# in all}} missing from the bucket): a restore to the latest moment captured ends there, not at the newest archived WAL.',
  'phrase.plan.latestIncludes':
    'Includes WAL archived up to {newestAt} (capture lag {lagSeconds}).',
  'phrase.plan.latestIncludesNoLag': 'Includes WAL archived up to {newestAt}.',
  'phrase.plan.noFiles': 'No recovery point has attached files: only the database is restored.',
  'phrase.plan.filesUnverified':
    'Attached files are not restored: recovery point {label} holds them, but {why, select, missing {its manifest in the bucket has no signature} invalid {its manifest’s signature does not verify against the agent key pinned at install} other {no agent key is pinned to verify its manifest with}}.',
  'phrase.plan.clockOff':
    'The server’s clock is {seconds, number} s {direction, select, ahead {ahead of} other {behind}} this computer’s: the moment you restore to is read on the server’s clock, the one its commits were recorded with (the timeline shows that clock). Check the moment against the server’s own records.',
  'phrase.plan.scratchHost':
    'The scratch environment goes onto {host}: it needs pgBackRest and PostgreSQL {pgMajor} there (checked when the restore starts); the agent program is put there and the repository keys are written there for the restore only and deleted after it.',
  'phrase.plan.scratchHostRestoreKey':
    'That host gets the read-only restore key: it can read the backups, not change them.',
  'phrase.plan.scratchHostCaptureKey':
    'No read-only restore key is saved, so {host} gets the capture key, which can write to the bucket. Add a restore key in the storage settings.',
  'phrase.plan.productionFilesUntouched':
    'Attached files are not touched. Restore them from recovery point {label} into a scratch folder if you need them as they were.',
  'phrase.plan.productionLatestUnarchived':
    'WAL not yet archived when PostgreSQL stops is not replayed.',
  'phrase.plan.productionTypeServerName':
    'No recovery point manifest whose signature verifies lists the databases production has, so you type the server name instead.',
} as const satisfies Record<`phrase.${PhraseKey}`, string>;
