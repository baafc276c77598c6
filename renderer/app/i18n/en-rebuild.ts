/**
 * English messages of the disaster-recovery wizard (issue 19): the recovery kit, what to
 * restore, the new host, the plan, the run and the hand-over. Merged into `en`; German in
 * de-rebuild.ts.
 */
export const enRebuild = {
  'rebuild.nav': 'Disaster recovery',
  'rebuild.fromKit': 'Restore from the recovery kit',
  'rebuild.title': 'Rebuild a lost server from its recovery kit',
  'rebuild.exit': 'Leave',
  'rebuild.progress': 'Rebuild steps',
  'rebuild.step.kit': 'Recovery kit',
  'rebuild.step.target': 'What',
  'rebuild.step.host': 'New host',
  'rebuild.step.plan': 'Check and plan',
  'rebuild.step.run': 'Rebuild',
  'rebuild.step.handover': 'Hand-over',

  'rebuild.kit.title': 'Import the recovery kit',
  'rebuild.kit.intro':
    'The server is gone: the recovery kit and the bucket are enough. Choose the kit’s text copy (the .txt saved beside the PDF), paste it, or type the values from the printed sheet. Nothing is saved until every value opens the backups in the bucket.',
  'rebuild.kit.importedTitle': 'Already imported into this console',
  'rebuild.kit.useImported': 'Rebuild {name}',
  'rebuild.kit.file': 'Text copy of the recovery kit',
  'rebuild.kit.fileHint': 'kumiko-recovery-kit-….txt; it stays on this computer.',
  'rebuild.kit.fileError': 'This file cannot be read as a recovery kit. Choose its .txt copy.',
  'rebuild.kit.text': 'Or paste the text of the recovery kit',
  'rebuild.kit.typed': 'Type the values from the printed sheet',
  'rebuild.kit.typedHint': 'Values typed here replace those of the text copy.',
  'rebuild.kit.field.serverId': 'Server ID',
  'rebuild.kit.field.serverName': 'Server name',
  'rebuild.kit.field.pgVersion': 'PostgreSQL major version',
  'rebuild.kit.field.dataDirectory': 'Data directory',
  'rebuild.kit.field.stanza': 'pgBackRest stanza',
  'rebuild.kit.field.endpoint': 'S3 endpoint',
  'rebuild.kit.field.bucket': 'Bucket',
  'rebuild.kit.field.region': 'Region',
  'rebuild.kit.field.accessKeyId': 'Access key ID',
  'rebuild.kit.field.secretAccessKey': 'Secret access key',
  'rebuild.kit.field.repoPath': 'pgBackRest repo1-path',
  'rebuild.kit.field.cipherPass': 'pgBackRest repo1-cipher-pass',
  'rebuild.kit.field.resticPassword': 'restic password',
  'rebuild.kit.field.ledgerKey': 'GDPR ledger key',
  'rebuild.kit.field.agentKeyFingerprint': 'Agent key fingerprint (SHA256:…)',
  'rebuild.kit.field.caCertificate': 'CA certificate of the storage (only if the sheet prints one)',
  'rebuild.kit.caCertificateHint':
    'Storage with a CA of its own: paste the certificate (-----BEGIN CERTIFICATE----- …) from the sheet or from your PKI.',
  'rebuild.kit.field.earlierAgentKeys': 'Earlier agent keys (only if the sheet lists any)',
  'rebuild.kit.earlierKeysHint':
    'As the sheet prints them: the line “Signed until …:”, then the key “ssh-ed25519 …”. Without them, recovery points from before an agent reinstall cannot be verified.',
  'rebuild.kit.earlierKeysUnreadable':
    '{count, plural, one {Line {lines} is} other {Lines {lines} are}} not a “Signed until” moment with its key. Compare them with the sheet and correct them, or remove them.',
  'rebuild.kit.ownStorage':
    'The bucket is our own storage (not on the EU provider list); we vouch that it is in the EU',
  'rebuild.kit.empty': 'Choose the kit’s text copy, paste it, or type its values first.',
  'rebuild.kit.import': 'Import and check against the bucket',
  'rebuild.kit.importing': 'Checking the kit against the bucket …',

  'rebuild.target.title': 'What to restore of {name}',
  'rebuild.target.imported':
    '{points, plural, one {# recovery point} other {# recovery points}} in the bucket, {verified} with a verified signature.',
  'rebuild.target.until': 'The bucket holds data up to {at}.',
  'rebuild.target.untilUnknown': 'The bucket holds no restorable moment yet.',

  'rebuild.host.title': 'The new host',
  'rebuild.host.intro':
    'A fresh Linux host reachable over SSH with root rights. PostgreSQL of the backup’s version, the agent and the cluster are set up there; nothing else on it is changed.',
  'rebuild.host.legend': 'Rebuild on',
  'rebuild.host.nameHint': 'How the console names the new server, e.g. the old name with “-new”.',
  'rebuild.host.newTitle': 'Add the new host',
  'rebuild.host.keyHint': 'A key that logs in as root (or a user with passwordless sudo).',
  'rebuild.host.add': 'Add and check the host key',
  'rebuild.host.notTrusted':
    'The host key was not confirmed, so the app does not connect. Add the host again once you have compared the fingerprint.',
  'rebuild.host.port': 'Port of the new cluster',
  'rebuild.host.portHint': 'The port the application will connect to; 5432 by default.',
  'rebuild.host.missing': 'Choose the new host, or add it and confirm its host key.',
  'rebuild.host.badPort': 'Enter a port from 1 to 65535.',

  'rebuild.plan.title': 'Pre-flight and plan',
  'rebuild.plan.loading': 'Checking the new host and planning the restore …',
  'rebuild.plan.source': 'Lost server',
  'rebuild.plan.host': 'New host',
  'rebuild.plan.until': 'Data as of',
  'rebuild.plan.untilLatest': 'the newest WAL in the bucket',
  'rebuild.plan.backup': 'Base backup',
  'rebuild.plan.cluster': 'New cluster',
  'rebuild.plan.clusterValue': 'PostgreSQL {version} in {directory}, port {port}',
  'rebuild.plan.estimate': 'Estimated time',
  'rebuild.plan.what':
    'The rebuild installs PostgreSQL and the agent, restores the database and the attached files from the bucket, applies the GDPR erasures again, starts the cluster as a service, verifies it as a drill does and starts capture in the same bucket under a history of its own.',
  'rebuild.plan.checks': 'Pre-flight checks on the new host',
  'rebuild.plan.warnings': 'Read before you start',
  'rebuild.plan.confirm': 'Rebuild the lost server on {host}',
  'rebuild.plan.confirmMissing': 'Confirm the rebuild first.',
  'rebuild.plan.notReady': 'The new host is not ready: a check failed.',
  'rebuild.plan.notReadyHelp':
    'Nothing was changed on the host. Fix what the failed check names, then check again.',
  'rebuild.plan.checkAgain': 'Check again',
  'rebuild.plan.start': 'Start the rebuild',
  'rebuild.plan.starting': 'Starting …',

  'rebuild.phase.preflight': 'Check the new host',
  'rebuild.phase.restore': 'Restore database and files from the bucket',
  'rebuild.phase.place': 'Put the cluster in place and start it',
  'rebuild.phase.capture': 'Set up the agent and capture',
  'rebuild.phase.verify': 'Verify capture on the new host',

  'rebuild.run.title': 'Rebuild running',
  'rebuild.run.intro':
    'You may close the console: the rebuild goes on, and a dropped connection is resumed where it stopped.',
  'rebuild.run.phases': 'Rebuild phases',
  'rebuild.run.progress': 'Rebuild progress',
  'rebuild.run.cancel': 'Cancel rebuild',
  'rebuild.run.failedAt': 'The rebuild stopped at: {phase}',
  'rebuild.run.cancelledAt': 'The rebuild was cancelled at: {phase}',
  'rebuild.run.failedHelp':
    'What finished is kept. Fix the cause named above, then continue: the rebuild resumes at this step, it does not start over.',
  'rebuild.run.cancelledHelp':
    'Before the cluster was put in place, the restore’s scratch environment on the new host was removed. A cluster already put in place stays there: stop and remove it by hand before you rebuild on this host again. The bucket and the old backups are untouched.',
  'rebuild.run.back': 'Back to the plan',

  'rebuild.cancel.title': 'Cancel the rebuild?',
  'rebuild.cancel.body':
    'Until the restored cluster is put in place, cancelling removes the restore’s scratch environment from the new host. Once it is in place it stays there, and you remove it by hand. The bucket and every backup in it stay untouched.',
  'rebuild.cancel.keep': 'Keep running',
  'rebuild.cancel.confirm': 'Cancel the rebuild',

  'rebuild.unfinished.title': 'A rebuild is unfinished',
  'rebuild.unfinished.body': 'The rebuild started {at} stopped at: {phase}.',
  'rebuild.unfinished.resume': 'Continue the rebuild',

  'rebuild.handover.title': 'Hand-over',
  'rebuild.handover.rto': 'Measured recovery time (RTO)',
  'rebuild.handover.rpo': 'Data recovered up to (RPO)',
  'rebuild.handover.cluster': 'New cluster',
  'rebuild.handover.clusterValue': '{host}, port {port}, {directory}',
  'rebuild.handover.resumed': 'Resumed after an interruption',
  'rebuild.handover.verified': 'What was verified',
  'rebuild.handover.left': 'What is left to you',
  'rebuild.handover.left.connection':
    'Point the application at the new server: change its connection string (host {host}, port {port}) or the DNS name it uses.',
  'rebuild.handover.left.access':
    'Open the cluster to the application: listen_addresses is localhost and pg_hba.conf holds the rules of the backup; adjust both, then reload PostgreSQL.',
  'rebuild.handover.left.settings':
    'Check the agent’s schedule, retention and alerts on the new server: the kit does not carry the old settings, so the defaults apply.',
  'rebuild.handover.left.kit':
    'Export and store the recovery kit of the new server: its backups go to a history of its own in the same bucket.',
  'rebuild.handover.verifying': 'Checking the signature of the hand-over report …',
  'rebuild.handover.valid': 'Hand-over report signed and unchanged',
  'rebuild.handover.invalid':
    'The hand-over report does not verify: it was changed after signing. Do not hand it on; rebuild reports come only from this console.',
  'rebuild.handover.signedBy': 'Signed by {principal}, like a drill report.',
  'rebuild.handover.download': 'Save the signed report (zip)',
  'rebuild.handover.toServer': 'Open the new server',
  'rebuild.handover.again': 'Start another rebuild',

  'rebuild.check.root': 'Root rights',
  'rebuild.check.os': 'Operating system',
  'rebuild.check.disk': 'Disk space for the restore, with margin',
  'rebuild.check.port': 'Port free',
  'rebuild.check.postgres': 'PostgreSQL of the backup’s version installable',
  'rebuild.check.pgbackrest': 'pgBackRest and restic installable',
  'rebuild.check.clock': 'Clock in sync',
  'rebuild.check.data-directory': 'Data directory not in use',
} as const;
