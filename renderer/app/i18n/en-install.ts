/**
 * English messages for the install review's script list (issue 15 §2): what each script does
 * and why a root step needs root. The same sentences as the CLI's
 * (electron/services/agent-install/script-catalog.ts; a unit test keeps them equal).
 * Merged into `en`; German in de-install.ts.
 */
export const enInstall = {
  'wizard.review.scripts': 'Scripts the installer runs on the server',
  'wizard.review.scriptsIntro':
    'In this order, {count} scripts; {root} of them as root. Secrets appear as <secret: …>, in the text and in its SHA-256. Compare with sudo’s I/O log (docs/security.md, “Least-privilege sudo”).',
  'wizard.review.agentBundle': 'Agent program (runs as root)',
  'wizard.review.bytes': '{bytes} bytes',
  'wizard.review.asRoot': 'as root',
  'wizard.review.asUser': 'as {user}',
  'wizard.review.onlyIfRuntime': '(only if the server does not have this Node.js runtime yet)',
  'wizard.review.whyRoot': 'Why root:',
  'wizard.review.scriptCommand': 'Read by:',
  'wizard.review.scriptPayload': 'Data on stdin: {name}, {bytes} bytes,',
  'install.script.preflight':
    'Reads what is installed, the cluster’s version, port, socket and owner, and whether the agent is already there. Changes nothing.',
  'install.scriptRoot.preflight':
    'It reads PG_VERSION and postmaster.pid in the data directory, which only the cluster’s OS user may read, before the app knows who that user is.',
  'install.script.read-settings':
    'Reads the archive settings, wal_level and data_checksums with psql. Changes nothing.',
  'install.script.install-packages':
    'Installs pgBackRest and restic with the server’s package manager.',
  'install.scriptRoot.install-packages': 'Only root can install packages with apt-get or dnf.',
  'install.script.install-optional-packages':
    'Installs eatmydata, which lets restore drills skip fsync; a failure does not stop the install.',
  'install.scriptRoot.install-optional-packages':
    'Only root can install packages with apt-get or dnf.',
  'install.script.check-runtime':
    'Looks whether the pinned Node.js runtime is already in /opt/kumiko-agent/runtime. Changes nothing.',
  'install.scriptRoot.check-runtime':
    'Not strictly needed: it reads only files anyone may read; it runs in the same root shell as the steps around it.',
  'install.script.create-runtime-folder': 'Creates /opt/kumiko-agent for the Node.js runtime.',
  'install.scriptRoot.create-runtime-folder':
    '/opt belongs to root, and root runs the programs in this folder, so only root may write it.',
  'install.script.upload-runtime':
    'Uploads the pinned Node.js runtime (bin/node and its licence) in pieces; the server unpacks each as it arrives, checks it against the SHA-256 pinned in this app version, tries the new node and swaps it in.',
  'install.scriptRoot.upload-runtime':
    'The runtime runs the agent as root, so it must be writable by root only.',
  'install.script.create-folders':
    'Creates /etc/kumiko-agent, /opt/kumiko-agent and /var/lib/kumiko-agent; spool, lock and log folders for pgBackRest belong to the cluster’s OS user.',
  'install.scriptRoot.create-folders':
    '/etc, /opt and /var/lib belong to root, and the agent’s folders must stay root-owned so no other user can change what root runs or reads.',
  'install.script.write-ca': 'Writes the CA certificate of your storage’s TLS (own storage only).',
  'install.scriptRoot.write-ca': 'It goes into /etc/kumiko-agent, which only root may write.',
  'install.script.write-pgbackrest-config':
    'Writes pgBackRest’s configuration: the bucket, the S3 key and the repository passphrase (mode 600).',
  'install.scriptRoot.write-pgbackrest-config':
    'It goes into root’s /etc/kumiko-agent and is handed to the cluster’s OS user, whose archive_command reads it; chown needs root.',
  'install.script.write-restic-password': 'Writes the restic repository password (mode 600).',
  'install.scriptRoot.write-restic-password':
    'Only root may read it: the agent backs up attached files of any owner as root, and the cluster’s OS user must not read it.',
  'install.script.write-agent-config':
    'Writes the agent’s configuration: cluster, bucket, S3 key, schedule, retention and alerts (mode 600).',
  'install.scriptRoot.write-agent-config':
    'It holds the S3 key and is read by the agent, which runs as root; no other user may read it.',
  'install.script.upload-agent':
    'Uploads the agent program (one JavaScript file; its SHA-256 is shown above).',
  'install.scriptRoot.upload-agent':
    'The agent runs as root, so its program must be owned and writable by root only.',
  'install.script.create-signing-key':
    'Creates the agent’s Ed25519 signing key on the server (once) and prints its public half for the app to pin.',
  'install.scriptRoot.create-signing-key':
    'The private key must be readable by root only, so no other user on the server can sign reports as the agent.',
  'install.script.stanza-create': 'Creates pgBackRest’s repository for this cluster in the bucket.',
  'install.script.record-settings':
    'Writes the PostgreSQL settings as they are now, for uninstall to put back.',
  'install.scriptRoot.record-settings':
    'It writes into the agent’s state folder /var/lib/kumiko-agent, which belongs to root.',
  'install.script.keep-first-settings':
    'Keeps the record from the first install; a re-install does not overwrite it.',
  'install.scriptRoot.keep-first-settings':
    'It writes into the agent’s state folder /var/lib/kumiko-agent, which belongs to root.',
  'install.script.change-settings':
    'Turns on WAL archiving with ALTER SYSTEM (archive_mode, archive_command, archive_timeout, wal_level).',
  'install.script.restart-postgres':
    'Restarts PostgreSQL (only with your confirmation), the way it is managed: pg_ctlcluster under systemd, otherwise pg_ctl.',
  'install.scriptRoot.restart-postgres':
    'pg_ctlcluster restarts a Debian cluster through systemd, which needs root; pg_ctl itself runs as the cluster’s OS user.',
  'install.script.reload-postgres': 'Reloads PostgreSQL’s configuration (no restart).',
  'install.script.check-archiving': 'Checks that PostgreSQL archives WAL into the bucket.',
  'install.script.restic-init':
    'Creates the encrypted restic repository for attached files in the bucket (if it is not there yet).',
  'install.scriptRoot.restic-init': 'It reads the restic password file, which only root may read.',
  'install.script.first-backup':
    'Runs the agent once: the first full backup, the attached files and a signed manifest.',
  'install.scriptRoot.first-backup':
    'The agent runs as root, as its scheduler will: it reads attached files of any owner and runs pgBackRest as the cluster’s OS user through runuser.',
  'install.script.write-systemd-unit': 'Writes the agent’s systemd service.',
  'install.scriptRoot.write-systemd-unit': 'Only root may write /etc/systemd/system.',
  'install.script.start-service': 'Enables and starts the agent’s systemd service.',
  'install.scriptRoot.start-service': 'Only root may enable and start a system service.',
  'install.script.start-daemon': 'Starts the agent’s own supervisor (servers without systemd).',
  'install.scriptRoot.start-daemon': 'The agent runs as root, as a systemd service would.',
  'install.script.wait-heartbeat':
    'Waits up to 90 s for the running agent’s first heartbeat. Changes nothing.',
  'install.scriptRoot.wait-heartbeat':
    'Not strictly needed: it reads only file times in the state folder; it runs in the same root shell as the steps around it.',
} as const;
