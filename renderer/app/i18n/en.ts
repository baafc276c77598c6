import { enActivity } from './en-activity';
import { enAdmin } from './en-admin';
import { enCapture } from './en-capture';
import { enDrills } from './en-drills';
import { enErrors } from './en-errors';
import { enGdpr } from './en-gdpr';
import { enValidation } from './en-validation';
import { enConsole } from './en-console';
import { enHistory } from './en-history';
import { enInstall } from './en-install';
import { enNav } from './en-nav';
import { enPhrases } from './en-phrases';
import { enPoints } from './en-points';
import { enRecovery } from './en-recovery';
import { enReports } from './en-reports';
import { enRebuild } from './en-rebuild';
import { enRecords } from './en-records';

/**
 * English messages: the reference dictionary. Its keys define `MessageKey`; the German
 * dictionary must provide every one of them (a missing key is a type error).
 * Messages are ICU MessageFormat ({name}, {count, plural, …}), formatted by `translate`.
 */
export const en = {
  ...enCapture,
  ...enRecovery,
  ...enPoints,
  ...enDrills,
  ...enGdpr,
  ...enInstall,
  ...enNav,
  ...enRebuild,
  ...enErrors,
  ...enHistory,
  ...enPhrases,
  ...enReports,
  ...enRecords,
  ...enAdmin,
  ...enValidation,
  ...enConsole,
  ...enActivity,
  'app.title': 'Kumiko Recovery',
  'app.skipToContent': 'Skip to content',
  'app.language': 'Language',
  'app.nav': 'Main navigation',
  'app.connection.connecting': 'Connecting to the app…',
  'app.connection.lost': 'Connection to the app lost. Reconnecting…',
  'app.noToken.title': 'Open the console with its link',
  'app.noToken.body':
    'In this tab, open the address that `kumiko serve` or `kumiko demo` printed, including its ?token=… part: without it this page cannot reach the app.',

  'lang.de': 'Deutsch',
  'lang.en': 'English',

  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.copy': 'Copy',
  'common.copied': 'Copied',
  'common.copyFailed': 'Could not copy. Select the text and copy it manually.',
  'common.back': 'Back to servers',
  'common.yes': 'yes',
  'common.no': 'no',
  'common.none': '—',
  'common.unknown': 'unknown',
  'common.loading': 'Loading…',
  'common.errorCode': 'Error code {code}',
  'common.errorTechnical': 'Technical details (in English)',

  'servers.title': 'Servers',
  'servers.add': 'Add server',
  'servers.empty': 'No servers yet. Add the first PostgreSQL server to protect.',
  'servers.col.name': 'Name',
  'servers.col.host': 'Host',
  'servers.col.status': 'Status',
  'servers.col.clusters': 'PostgreSQL',
  'servers.clusters.none': 'no clusters found',
  'servers.clusters.notDetected': 'not detected yet',
  'servers.clusters': 'PostgreSQL {versions} ({count, plural, one {# cluster} other {# clusters}})',

  'status.new': 'New',
  'status.connected': 'Connected',
  'status.unreachable': 'Unreachable',
  'status.host-key-changed': 'Host key changed',
  'status.error': 'Error',

  'add.title': 'Add server',
  'add.intro': 'Kumiko connects over SSH to detect PostgreSQL and, later, to install its agent.',
  'add.name': 'Name',
  'add.nameHint': 'How this server is shown in Kumiko, e.g. "ERP production".',
  'add.host': 'Host name or IP address',
  'add.port': 'SSH port',
  'add.user': 'SSH user',
  'add.auth': 'Authentication',
  'add.auth.privateKey': 'Use my private key',
  'add.auth.generate': 'Generate a key pair for me',
  'add.privateKey': 'Private key',
  'add.privateKeyHint':
    'Paste the OpenSSH or PEM private key, or read it from a file below. It goes straight to the secret store.',
  'add.privateKeyFile': 'Read the private key from a file',
  'add.privateKeyFileError': 'The file could not be read.',
  'add.passphrase': 'Key passphrase (if any)',
  'add.generateHint':
    'Kumiko creates an Ed25519 key pair. You append the public key to ~/.ssh/authorized_keys on the server.',
  'add.submit': 'Add server',
  'add.submitting': 'Adding…',
  'add.publicKey.title': 'Install the public key',
  'add.publicKey.instructions':
    'Append this line to ~/.ssh/authorized_keys of the user {user} on {host}, for example:',
  'add.publicKey.label': 'Public key',
  'add.publicKey.continue': 'I have installed the key, continue',
  'add.cancelled':
    'The host key was not trusted, so Kumiko did not connect. You can connect later from the server page.',
  'add.openServer': 'Open server page',

  'hostKey.dialogTitle': 'Verify the server’s host key',
  'hostKey.intro': '{host} presents this {algorithm} host key fingerprint:',
  'hostKey.compare': 'Compare this with the output of the following command, run on the server:',
  'hostKey.warning':
    'Only trust it if both fingerprints are identical. Kumiko pins it and will refuse any other key.',
  'hostKey.trust': 'Trust and connect',
  'hostKey.probing': 'Reading the host key…',
  'hostKey.untrusted.title': 'Host key not trusted yet',
  'hostKey.untrusted.text':
    'Kumiko has never connected to {host}, because nobody has confirmed its host key fingerprint. Check it now, then Kumiko connects.',
  'hostKey.untrusted.action': 'Check host key',
  'hostKey.changedTitle': 'Host key changed',
  'hostKey.changed':
    'The server’s host key has changed — possible man-in-the-middle attack. Connection refused.',
  'hostKey.changedOld': 'Pinned fingerprint',
  'hostKey.changedNew': 'Fingerprint presented now',
  'hostKey.changedAdvice':
    'Find out why the key changed (reinstalled server? different machine behind this address?) before doing anything else. Kumiko does not offer to accept the new key here.',

  'detail.connection': 'Connection',
  'detail.host': 'Host',
  'detail.user': 'User',
  'detail.authKind': 'Authentication',
  'detail.auth.privateKey': 'Private key',
  'detail.auth.generate': 'Generated key pair',
  'detail.fingerprint': 'Pinned host key',
  'detail.fingerprintNone': 'not pinned yet',
  'detail.pinnedAt': 'pinned {date}',
  'detail.status': 'Status',
  'detail.lastConnected': 'Last connected',
  'detail.never': 'never',
  'detail.connect': 'Connect / re-detect',
  'detail.connecting': 'Connecting…',
  'detail.publicKey': 'Public key to install',
  'detail.detection': 'Detected system',
  'detail.notDetected':
    'Not detected yet. Connect to read the operating system, sudo rights, PostgreSQL clusters and free disk space.',
  'detail.detectedAt': 'Detected {date}',
  'detail.os': 'Operating system',
  'detail.kernel': 'Kernel / architecture',
  'detail.cpus': 'CPUs',
  'detail.sudo': 'sudo',
  'detail.node': 'Node.js',
  'detail.nodeNone': 'not installed',
  'detail.clusters': 'PostgreSQL clusters',
  'detail.clustersNone': 'No PostgreSQL cluster found.',
  'detail.col.version': 'Version',
  'detail.col.dataDirectory': 'Data directory',
  'detail.col.port': 'Port',
  'detail.col.checksums': 'Data checksums',
  'detail.col.running': 'Running',
  'detail.checksums.on': 'on',
  'detail.checksums.off': 'off',
  'detail.running.yes': 'running',
  'detail.running.no': 'stopped',
  'detail.col.protection': 'Protection',
  'detail.protection.yes': 'protected',
  'detail.protection.no': 'not protected',
  'detail.protection.kitUnconfirmed': 'not protected yet: recovery kit not confirmed',
  'detail.disks': 'Free disk space',
  'detail.col.mount': 'Mount point',
  'detail.col.path': 'For path',
  'detail.col.free': 'Free',
  'detail.col.total': 'Size',
  'detail.remove': 'Remove server',
  'detail.removeTitle': 'Remove {name}?',
  'detail.removeText':
    'Kumiko forgets this server, its pinned host key and its stored SSH key. Nothing on the server is changed.',
  'detail.removeConfirm': 'Remove',
  'detail.notFound': 'This server does not exist (any more).',

  'sudo.root': 'connected as root',
  'sudo.passwordless': 'passwordless sudo',
  'sudo.password-required': 'sudo requires a password',
  'sudo.unavailable': 'no sudo',

  'jobs.title': 'Jobs',
  'jobs.empty': 'No jobs yet.',
  'jobs.progress': 'Progress of {title}',
  'jobs.eta': 'about {duration} left',
  'jobs.cancel': 'Cancel job',
  'jobs.cancelNamed': 'Cancel job {title}',
  'jobs.state.queued': 'queued',
  'jobs.state.running': 'running',
  'jobs.state.succeeded': 'succeeded',
  'jobs.state.failed': 'failed',
  'jobs.state.cancelled': 'cancelled',
  'jobs.state.interrupted': 'interrupted',
  'jobs.title.server.detect': 'Connect to {name}',
  'jobs.title.agent.install': 'Set up backups on {name}',
  'jobs.title.agent.uninstall': 'Stop capture on {name}',
  'jobs.title.agent.update': 'Update the agent on {name}',
  'jobs.title.restore.start': 'Restore {name} into a scratch environment',
  'jobs.title.rebuild.start': 'Rebuild the lost server on {name}',
  'jobs.title.restore.production': 'Restore production on {name} (safety snapshot first)',
  'jobs.title.drill.start': 'Restore drill on {name}',
  'jobs.title.point.create': 'Recovery point on {name}',
  'jobs.title.gdpr.export': 'GDPR access export on {name}',
  'jobs.title.rollback.subject': 'Restore one subject on {name} as of a moment',
  'jobs.phase.connect': 'Connect over SSH',
  'jobs.phase.detect': 'Detect system and PostgreSQL',
  'jobs.phase.save': 'Save what was found',
  'jobs.phase.done': 'Done',
  'jobs.phase.estimate': 'Estimate the size',
  'jobs.phase.read': 'Read the data',
  'jobs.phase.write': 'Write the file',
} as const;

export type MessageKey = keyof typeof en;
export type Dictionary = { readonly [K in MessageKey]: string };
