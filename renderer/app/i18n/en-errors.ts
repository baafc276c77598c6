import type { ErrorCode } from '../../../shared/contract/errors';
import type { errorReasons } from '../../../shared/contract/error-reasons';

type ReasonKeys = {
  [C in keyof typeof errorReasons]: `error.${C}.${(typeof errorReasons)[C][number]}`;
}[keyof typeof errorReasons];

/** Every key an error needs: one heading per code, one sentence per declared reason. */
export type ErrorMessageKey = `error.${ErrorCode}` | ReasonKeys;

/**
 * English wording of main's error codes (shared/contract/errors.ts). `error.<CODE>` is the heading:
 * what happened and what to do next, as a sentence. `error.<CODE>.<reason>` says it precisely
 * when main gives a reason (shared/contract/error-reasons.ts). German in de-errors.ts.
 */
export const enErrors = {
  'error.INVALID_INPUT':
    'Some entries are not valid. Correct the fields named below and try again.',
  'error.UNKNOWN_COMMAND':
    'The app does not know this action. Reload the page; if it stays, the page and the app are different versions: update the app.',
  'error.UNAUTHORIZED':
    'This page may not use the app. Open the console again through the link `kumiko serve` printed.',
  'error.NOT_FOUND':
    'This no longer exists, or never did. Go back to the overview and pick it again.',
  'error.CONFLICT':
    'That cannot be done right now because something else is in the way. Read the details, then try again.',
  'error.HOST_KEY_UNCONFIRMED':
    'The server’s host key has not been confirmed yet. Compare the fingerprint with the server and confirm it.',
  'error.HOST_KEY_CHANGED':
    'The server’s host key has changed: possibly a man-in-the-middle attack. Connection refused; ask the server’s administrator whether the key was replaced.',
  'error.HOST_KEY_MISMATCH':
    'The server presented a different host key than the one you confirmed. Check the fingerprint on the server and add it again.',
  'error.SSH_AUTH_FAILED':
    'The server refused the SSH login. Check the SSH user and that the public key is in its ~/.ssh/authorized_keys, then try again.',
  'error.SSH_UNREACHABLE':
    'The server cannot be reached over SSH. Check host name, SSH port and firewall, then try again.',
  'error.SSH_COMMAND_FAILED':
    'A command on the server failed. Read the details below; fix the cause on the server and try again.',
  'error.SECRET_STORE_UNAVAILABLE':
    'The secret store cannot be used, so no key can be saved or read. Make sure the system keyring is unlocked and restart the app.',
  'error.SECRET_STORE_LOCKED':
    'The secret vault is locked: the passphrase is wrong. Enter the right passphrase and try again.',
  'error.JOB_NOT_FOUND': 'This job is not known (any more). Reload the job list.',
  'error.CANCELLED': 'Cancelled. Nothing more will happen; start it again when you are ready.',
  'error.SHUTTING_DOWN': 'The app is shutting down. Start the app again and repeat the action.',
  'error.STORAGE_NOT_EU':
    'This bucket is not in the EU, so Kumiko will not store backups there. Choose an EU endpoint or confirm your own on-prem storage.',
  'error.STORAGE_TLS_FAILED':
    'The storage’s TLS certificate could not be verified. Add your own CA certificate if the storage uses one, then check again.',
  'error.STORAGE_UNREACHABLE':
    'The storage cannot be reached. Check the endpoint address and the network, then check again.',
  'error.STORAGE_ACCESS_DENIED':
    'The storage refused access. Check the access keys and the bucket policy, then check again.',
  'error.STORAGE_NOT_CONFIGURED': 'No storage is set up for this server yet. Set up backups first.',
  'error.RESTART_NOT_CONFIRMED':
    'PostgreSQL must restart once to start capturing, and that was not confirmed. Confirm the restart in the review step and start again.',
  'error.NO_POSTGRES':
    'No usable PostgreSQL cluster was found there. Check that PostgreSQL runs on the server and detect again.',
  'error.NO_SUDO':
    'The SSH user may not run commands as root. Log in as root or allow the user sudo without a password, then try again.',
  'error.NO_PACKAGE_MANAGER':
    'No supported package manager (apt or dnf) was found on the server. Install pgBackRest and restic yourself and try again.',
  'error.AGENT_INSTALL_FAILED':
    'Setting up backups failed. The marked step says where; fix the cause and start the setup again.',
  'error.AGENT_UPDATE_FAILED':
    'Updating the agent failed; the previous program runs again with its settings unchanged. Check the marked step and try again.',
  'error.AGENT_NOT_INSTALLED': 'Backups are not set up on this server yet. Set up backups first.',
  'error.RESTORE_NOT_COVERED':
    'No backup covers this moment. Pick a moment inside a covered range of the timeline.',
  'error.RESTORE_FAILED':
    'The restore failed. Production was not changed; read the details and try again or pick another recovery point.',
  'error.CONFIRMATION_MISMATCH':
    'The name you typed is not the one asked for. Nothing was changed; type the name exactly as shown.',
  'error.DRILL_FAILED':
    'The restore drill failed. Open its report to see which check failed and what to do.',
  'error.REPORT_UNVERIFIED':
    'This drill report’s signature does not verify: it proves nothing. Run a new drill and keep the old report for inspection.',
  'error.AGENT_BUSY':
    'The agent is busy with another backup task on this server. Try again once that has finished.',
  'error.POINT_FAILED':
    'The recovery point could not be taken. Read the details for the step that failed, fix it and take one again.',
  'error.POINT_FILES_MISSING':
    'The recovery point does not count: its attached files depend on data that is gone from the bucket. Heal it: Kumiko rebuilds restic’s index, uploads the missing data again and takes a new point.',
  'error.KIT_REFUSED':
    'The recovery kit was not imported: it does not match the backups in this bucket. Nothing was saved; read the reason, correct the value it names (or take the kit of this server) and import again.',
  'error.KIT_REFUSED.mixedKits':
    'The server line and the bucket section of the kit come from different kits. Take one kit and import again.',
  'error.KIT_REFUSED.noRepository':
    'The bucket holds no backups of this server (pgBackRest stanza {stanza}): this is not the kit of a server backed up to this bucket. Check the bucket name, or take that server’s kit.',
  'error.KIT_REFUSED.cipherPass':
    'The pgBackRest passphrase (repo1-cipher-pass) does not open the backups in this bucket: a typing error, or the kit of another server or an older install. Correct it from the printed kit.',
  'error.KIT_REFUSED.resticPassword':
    'The restic password does not open the attached files in this bucket: a typing error, or the kit of another server. Correct it from the printed kit.',
  'error.KIT_REFUSED.noAgentKey':
    'The bucket holds no agent key of server {serverId}: no recovery point of this server was ever stored here. Check the bucket name, or take that server’s kit.',
  'error.KIT_REFUSED.agentKeyDiffers':
    'The agent key in the bucket ({bucket}) is not the one the kit pins ({kit}): nothing signed with it can be trusted. Check that this is the kit of this server, and who could write to the bucket.',
  'error.KIT_REFUSED.manifestsUnverified':
    '{count, plural, one {# recovery point} other {# recovery points}} in the bucket {count, plural, one {does} other {do}} not verify against the agent keys in the kit ({labels}). Someone with write access to the bucket may have changed them, or an earlier agent of the server signed them: import the kit’s text copy, which carries the earlier agents’ keys. Keep the bucket as it is and compare it with your versioned copies before restoring from it.',
  'error.REBUILD_REFUSED':
    'The new host is not ready for the rebuild: a pre-flight check failed. Nothing was changed on the host; fix what the check names (disk space, port, PostgreSQL version, clock) and check again.',
  'error.INTERNAL':
    'Something unexpected went wrong in the app. Try again; if it happens again, send the details below to support.',

  'error.SSH_AUTH_FAILED.keyRefused': '{where} did not accept the SSH key for this user.',
  'error.SSH_UNREACHABLE.noAnswer': 'No SSH answer came from {where} in time.',
  'error.SSH_UNREACHABLE.cannotConnect': 'A connection to {where} could not be opened.',
  'error.SSH_UNREACHABLE.connectionLost': 'The SSH connection to the server was lost.',
  'error.SSH_COMMAND_FAILED.cannotRun': 'The SSH connection could not start a command.',
  'error.HOST_KEY_CHANGED.changed': '{where} presented a host key other than the pinned one.',
  'error.RESTORE_NOT_COVERED.invalidTime': 'The moment is not a valid time.',
  'error.RESTORE_NOT_COVERED.nothingYet':
    'Nothing is restorable yet: no recovery point with its WAL is in the bucket. Wait for the first recovery point.',
  'error.RESTORE_NOT_COVERED.notOnTimeline': 'Nothing is restorable on timeline {timeline}.',
  'error.RESTORE_NOT_COVERED.beforeFirst':
    'The moment lies before the first restorable moment, {first, date, medium} {first, time, medium} (the end of the oldest recovery point).',
  'error.RESTORE_NOT_COVERED.inGap':
    'The moment lies inside a gap in the WAL from {from, date, medium} {from, time, medium} (first missing segment {segment}); moments are restorable again from {again, date, medium} {again, time, medium}.',
  'error.RESTORE_NOT_COVERED.inGapNoLater':
    'The moment lies inside a gap in the WAL from {from, date, medium} {from, time, medium} (first missing segment {segment}); no later recovery point covers it yet.',
  'error.RESTORE_NOT_COVERED.notCaptured':
    'The moment is not captured yet: WAL is archived up to {newest, date, medium} {newest, time, medium}. Pick “The latest moment captured” to get everything captured so far.',
  'error.RESTORE_NOT_COVERED.expired':
    'No WAL in the bucket reaches the moment: retention keeps only each older recovery point’s own WAL. Restorable moments nearby end at {before, date, medium} {before, time, medium} and begin again at {after, date, medium} {after, time, medium}.',
  'error.RESTORE_NOT_COVERED.noSuchPoint': 'There is no recovery point {label} in the bucket.',
  'error.RESTORE_NOT_COVERED.pointNotRestorable':
    'Recovery point {label} cannot be restored: its WAL is incomplete. Pick another recovery point or a moment.',
} as const satisfies Record<ErrorMessageKey, string>;
