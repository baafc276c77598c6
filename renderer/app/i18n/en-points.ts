/**
 * English messages for recovery points on demand (issue 21 §1) and what the timeline says after
 * a WAL gap. Merged into `en`; German in de-points.ts.
 */
export const enPoints = {
  'point.title': 'Recovery point now',
  'point.intro':
    'The agent takes a recovery point on the server now, as it does every day: a backup of the database, the attached files and a signed manifest. Production keeps running. Useful before an upgrade or a risky change.',
  'point.note': 'Label (optional)',
  'point.noteHint':
    'Stored with the point and shown on the timeline, e.g. “before the 4.2 upgrade”. One line, at most {max} characters.',
  'point.noteProblem.long': 'The label is longer than {max} characters. Shorten it.',
  'point.noteProblem.characters':
    'The label must be one line of ordinary characters (no line breaks or control characters). Remove them.',
  'point.button': 'Take a recovery point now',
  'point.starting': 'Starting …',
  'point.phases': 'Steps of the recovery point',
  'point.phase.starting': 'Start the agent',
  'point.phase.heal': 'Rebuild the attached files’ index (restic)',
  'point.phase.backup': 'Back up the database (pgBackRest)',
  'point.phase.files': 'Back up the attached files (restic)',
  'point.phase.manifest': 'Sign and upload the manifest',
  'point.phase.catalog': 'Show it on the timeline',
  'point.progress': 'Progress of the recovery point',
  'point.cancel': 'Cancel',
  'point.succeeded': 'Recovery point {label} taken: restorable from {time}.',
  'point.withNote': 'Label: {note}',
  'point.notInCatalog':
    'The catalog does not list it yet. Refresh the timeline in a minute; it shows there once the bucket has it.',
  'point.busy':
    'A snapshot, retention run or drill is running on this server right now, so no recovery point was started. Try again when it has finished; a running snapshot may already be the point you want.',
  'point.failed': 'The recovery point could not be taken.',
  'point.heal.title': 'The last recovery point’s attached files are incomplete',
  'point.heal.body':
    'Its attached files depend on data that is gone from the bucket, so the point does not count (its database backup is intact). Heal it: restic rebuilds its index, so the backup uploads the missing data again from the server’s files, and a new recovery point is taken.',
  'point.heal.button': 'Heal and take a new recovery point',
  'point.cancelled':
    'Cancelled. The timeline shows a point only if it was complete before the cancel.',
  'point.openGap':
    'WAL is missing since {from}: nothing after that can be restored until a new recovery point is taken. Take one now to make the times from then on restorable again.',
  'gaps.restorableAgain': 'Restorable again from {time} (the first recovery point after the gap).',
  'gaps.noPointYet':
    'No recovery point after this gap yet: nothing after it can be restored. Take a recovery point now.',
} as const;
