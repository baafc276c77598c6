import type { CheckWordCatalog } from './check-words';

const deepEn =
  '{deep, select, yes {heap and B-tree indexes, with --heapallindexed: every row found in each index} other {heap and B-tree index structure, without --heapallindexed}}';

/**
 * A drill's check details in English (check-words.ts), for the console's report page and the
 * signed PDF. German in check-words-de.ts.
 */
export const enCheckWords: CheckWordCatalog = {
  'notRun.clusterDidNotStart': 'Not run: the restored cluster did not start.',
  'notRun.clusterNotChecked': 'Not run: the restored cluster could not be checked.',
  couldNotRun: 'Could not run: {detail}',
  'clusterStarts.notRestored':
    'The backup was not restored or the restored cluster did not start: {detail}',
  'clusterStarts.notChecked': 'The restored cluster could not be checked: {detail}',
  'clusterStarts.accepts': 'PostgreSQL {version} accepts connections on port {port}.',
  'clusterStarts.promoted': 'Promoted onto timeline {timeline}.',
  'clusterStarts.stillInRecovery': 'Still in recovery.',
  'clusterStarts.stoppedBeforeLsn':
    "Recovery of backup {label} stopped before WAL position {lsn}, where the recovery point's numbers were taken.",
  'clusterStarts.stoppedAtConsistency': 'Recovery stopped where backup {label} became consistent.',
  'clusterStarts.noRecoveryEnd':
    'The log does not show recovery stopping at the end of backup {label}.',
  'clusterStarts.archiveMode': 'archive_mode is {mode}.',
  'amcheck.passed': `{relations, number} relations and {pages, number} pages checked (${deepEn}), no corruption.`,
  'amcheck.passedUncounted': `All relations checked (${deepEn}), no corruption.`,
  'amcheck.corruption': `pg_amcheck reports corruption ({lines, plural, one {# line} other {# lines}}; ${deepEn}): {detail}`,
  'amcheck.couldNotCheck': `pg_amcheck could not check (exit code {code}; ${deepEn}): {detail}`,
  'manifest.unusable': 'The manifest is not usable: {detail}',
  'manifest.countFailed': 'The restored tables could not be counted: {detail}',
  'manifest.matches':
    '{tables, plural, one {# table} other {# tables}} in {databases, plural, one {# database} other {# databases}} match manifest {label} (row counts and checksums).',
  'manifest.differs':
    '{count, number} of {tables, plural, one {# table} other {# tables}} differ from manifest {label}:',
  'manifest.tableMissing': '{table} is missing.',
  'manifest.rowsDiffer': '{table} has {rows, number} rows, the manifest {expected, number}.',
  'manifest.checksumDiffers': 'The checksum of {table} differs.',
  'manifest.tableNotInManifest': '{table} is not in the manifest.',
  'manifest.databaseNotRestored': 'Database {database} is not in the restored cluster.',
  'manifest.databaseNotInManifest': 'Database {database} is not in the manifest.',
  'manifest.moreDifferences':
    '{count, plural, one {# more difference} other {# more differences}} in the evidence.',
  'smoke.none': 'No smoke checks are defined.',
  'smoke.allPassed':
    '{count, plural, one {The query} other {All # queries}} returned the expected result.',
  'smoke.someFailed': '{failed, number} of {count, number} queries failed:',
  'smoke.roleFailed':
    '“{name}” not run: the read-only smoke-check role could not be set up ({detail}).',
  'smoke.noRow': '“{name}” returned no row.',
  'smoke.notEqual': '“{name}” returned “{actual}”, expected “{expected}”.',
  'smoke.boundNotNumber': '“{name}”: the expected value “{expected}” is no number.',
  'smoke.notNumber': '“{name}” returned “{actual}”, which is no number.',
  'smoke.outOfBound':
    '“{name}” returned {actual}, expected {relation, select, atLeast {at least} other {at most}} {bound}.',
  'smoke.multipleStatements':
    '“{name}” refused: it holds more than one SQL statement; a smoke check runs exactly one.',
  'smoke.rowSecurity':
    '“{name}” refused: a table it reads has row-level security, which smoke checks do not bypass ({detail}).',
  'smoke.permissionDenied':
    '“{name}” refused: permission denied, as smoke checks run as a role that may only read data ({detail}).',
  'smoke.triedToWrite':
    '“{name}” refused: it tried to write, and smoke checks run read-only ({detail}).',
  'smoke.timedOut':
    '“{name}” cancelled: it ran longer than the smoke-check timeout of {seconds, number} s.',
  'smoke.notConnected': '“{name}” not run: {detail}',
  'smoke.noAnswer':
    '“{name}” cancelled: no answer within the smoke-check timeout of {seconds, number} s.',
  'smoke.queryFailed': '“{name}”: the query failed: {detail}',
  'gdpr.none': 'The GDPR erasure ledger holds no erasure, so there was none to replay.',
  'gdpr.replayed':
    'Replayed {erasures, plural, one {# erasure} other {# erasures}}: {rows, plural, one {# row} other {# rows}} erased in {tables, plural, one {# table} other {# tables}}; no row of an erased subject remains.',
  'gdpr.refused': 'Ledger object {key} was refused ({detail}) and deleted nothing.',
  'gdpr.replayFailed': 'The replay in database {database} failed: {detail}',
  'gdpr.rowsRemain':
    '{rows, plural, one {# row} other {# rows}} of erased subjects {rows, plural, one {remains} other {remain}} in {table}.',
  'gdpr.mayHoldErased': 'The restored data may still contain erased subjects.',
  'gdpr.couldNotReplay': 'The GDPR ledger could not be replayed: {detail}',
  'files.manifestUntrusted':
    'The manifest could not be trusted, so the snapshot of the attached files is unknown.',
  'files.none': 'No attached files are configured.',
  'files.noSnapshot':
    'Attached-file paths are configured, but the recovery point has no restic snapshot.',
  'files.refused': 'The attached files were not restored: {detail}',
  'files.verifyFailed': 'restic restore --verify failed (exit code {code}): {detail}',
  'files.matches':
    "{files, plural, one {# file} other {# files}} ({bytes, number} bytes) restored from snapshot {snapshot}; restic verified every file against the snapshot's hashes; the manifest recorded {manifestFiles, number} files, {manifestBytes, number} bytes.",
  'files.differs':
    '{files, plural, one {# file} other {# files}} ({bytes, number} bytes) restored from snapshot {snapshot}, but the manifest recorded {manifestFiles, number} files, {manifestBytes, number} bytes.',
  'restic.passed': 'restic check read {percent, number}% of the data packs: no errors were found.',
  'restic.failed':
    "restic check --read-data-subset={percent}% failed (exit code {code}). To heal, rebuild restic's index (restic rebuild-index with the agent's repository settings), forget the snapshots restic check names as damaged, then take a new recovery point: {detail}",
  'verify.passed':
    'Status ok: every backup file and WAL segment in the repository has its recorded size and checksum.',
  'verify.problems': 'Status {status}: {detail}',
  'verify.failed': 'Status {status} (exit code {code}): {detail}',
  'bucket.level':
    "{level, select, protected {The bucket is protected: the agent's key cannot destroy a backup.} warning {The bucket needs attention.} exposed {The agent's key can destroy backups.} other {The bucket's protection is not known.}}",
  'bucket.finding':
    '{finding, select, history {History} versioning {Versioning} objectLock {Object Lock} lifecycle {Lifecycle} other {{finding}}}: {level, select, ok {ok} warning {warning} exposed {at risk} other {not known}}.',
  more: '{count, plural, one {# more finding} other {# more findings}} in the evidence.',
};
