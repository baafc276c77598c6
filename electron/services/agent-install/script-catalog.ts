import type { InstallScriptId } from '../../../shared/contract';

/**
 * What each install script does and, for root steps, why it needs root: the English the CLI
 * prints with the plan. The review step shows the same sentences from the de/en catalogs
 * (`install.script.<id>`, `install.scriptRoot.<id>`); a unit test keeps the English equal.
 * `name` is the step name the installer's errors use.
 */
export const SCRIPT_CATALOG: Readonly<
  Record<InstallScriptId, { name: string; what: string; whyRoot: string | null }>
> = {
  preflight: {
    name: 'preflight',
    what: 'Reads what is installed, the cluster’s version, port, socket and owner, and whether the agent is already there. Changes nothing.',
    whyRoot:
      'It reads PG_VERSION and postmaster.pid in the data directory, which only the cluster’s OS user may read, before the app knows who that user is.',
  },
  'read-settings': {
    name: 'read PostgreSQL settings',
    what: 'Reads the archive settings, wal_level and data_checksums with psql. Changes nothing.',
    whyRoot: null,
  },
  'install-packages': {
    name: 'install packages',
    what: 'Installs pgBackRest and restic with the server’s package manager.',
    whyRoot: 'Only root can install packages with apt-get or dnf.',
  },
  'install-optional-packages': {
    name: 'install optional packages',
    what: 'Installs eatmydata, which lets restore drills skip fsync; a failure does not stop the install.',
    whyRoot: 'Only root can install packages with apt-get or dnf.',
  },
  'check-runtime': {
    name: 'check Node runtime',
    what: 'Looks whether the pinned Node.js runtime is already in /opt/kumiko-agent/runtime. Changes nothing.',
    whyRoot:
      'Not strictly needed: it reads only files anyone may read; it runs in the same root shell as the steps around it.',
  },
  'create-runtime-folder': {
    name: 'create agent program folder',
    what: 'Creates /opt/kumiko-agent for the Node.js runtime.',
    whyRoot:
      '/opt belongs to root, and root runs the programs in this folder, so only root may write it.',
  },
  'upload-runtime': {
    name: 'upload Node runtime',
    what: 'Uploads the pinned Node.js runtime (bin/node and its licence) in pieces; the server unpacks each as it arrives, checks it against the SHA-256 pinned in this app version, tries the new node and swaps it in.',
    whyRoot: 'The runtime runs the agent as root, so it must be writable by root only.',
  },
  'create-folders': {
    name: 'create agent folders',
    what: 'Creates /etc/kumiko-agent, /opt/kumiko-agent and /var/lib/kumiko-agent; spool, lock and log folders for pgBackRest belong to the cluster’s OS user.',
    whyRoot:
      '/etc, /opt and /var/lib belong to root, and the agent’s folders must stay root-owned so no other user can change what root runs or reads.',
  },
  'write-ca': {
    name: 'write CA file',
    what: 'Writes the CA certificate of your storage’s TLS (own storage only).',
    whyRoot: 'It goes into /etc/kumiko-agent, which only root may write.',
  },
  'write-pgbackrest-config': {
    name: 'write pgBackRest config',
    what: 'Writes pgBackRest’s configuration: the bucket, the S3 key and the repository passphrase (mode 600).',
    whyRoot:
      'It goes into root’s /etc/kumiko-agent and is handed to the cluster’s OS user, whose archive_command reads it; chown needs root.',
  },
  'write-restic-password': {
    name: 'write restic password',
    what: 'Writes the restic repository password (mode 600).',
    whyRoot:
      'Only root may read it: the agent backs up attached files of any owner as root, and the cluster’s OS user must not read it.',
  },
  'write-agent-config': {
    name: 'write agent config',
    what: 'Writes the agent’s configuration: cluster, bucket, S3 key, schedule, retention and alerts (mode 600).',
    whyRoot:
      'It holds the S3 key and is read by the agent, which runs as root; no other user may read it.',
  },
  'upload-agent': {
    name: 'upload agent',
    what: 'Uploads the agent program (one JavaScript file; its SHA-256 is shown above).',
    whyRoot: 'The agent runs as root, so its program must be owned and writable by root only.',
  },
  'create-signing-key': {
    name: 'create agent signing key',
    what: 'Creates the agent’s Ed25519 signing key on the server (once) and prints its public half for the app to pin.',
    whyRoot:
      'The private key must be readable by root only, so no other user on the server can sign reports as the agent.',
  },
  'stanza-create': {
    name: 'pgbackrest stanza-create',
    what: 'Creates pgBackRest’s repository for this cluster in the bucket.',
    whyRoot: null,
  },
  'record-settings': {
    name: 'record original settings',
    what: 'Writes the PostgreSQL settings as they are now, for uninstall to put back.',
    whyRoot:
      'It writes into the agent’s state folder /var/lib/kumiko-agent, which belongs to root.',
  },
  'keep-first-settings': {
    name: 'keep the first original settings',
    what: 'Keeps the record from the first install; a re-install does not overwrite it.',
    whyRoot:
      'It writes into the agent’s state folder /var/lib/kumiko-agent, which belongs to root.',
  },
  'change-settings': {
    name: 'change PostgreSQL settings',
    what: 'Turns on WAL archiving with ALTER SYSTEM (archive_mode, archive_command, archive_timeout, wal_level).',
    whyRoot: null,
  },
  'restart-postgres': {
    name: 'restart PostgreSQL',
    what: 'Restarts PostgreSQL (only with your confirmation), the way it is managed: pg_ctlcluster under systemd, otherwise pg_ctl.',
    whyRoot:
      'pg_ctlcluster restarts a Debian cluster through systemd, which needs root; pg_ctl itself runs as the cluster’s OS user.',
  },
  'reload-postgres': {
    name: 'reload PostgreSQL',
    what: 'Reloads PostgreSQL’s configuration (no restart).',
    whyRoot: null,
  },
  'check-archiving': {
    name: 'pgbackrest check',
    what: 'Checks that PostgreSQL archives WAL into the bucket.',
    whyRoot: null,
  },
  'restic-init': {
    name: 'restic init',
    what: 'Creates the encrypted restic repository for attached files in the bucket (if it is not there yet).',
    whyRoot: 'It reads the restic password file, which only root may read.',
  },
  'first-backup': {
    name: 'first recovery point',
    what: 'Runs the agent once: the first full backup, the attached files and a signed manifest.',
    whyRoot:
      'The agent runs as root, as its scheduler will: it reads attached files of any owner and runs pgBackRest as the cluster’s OS user through runuser.',
  },
  'write-systemd-unit': {
    name: 'write systemd unit',
    what: 'Writes the agent’s systemd service.',
    whyRoot: 'Only root may write /etc/systemd/system.',
  },
  'start-service': {
    name: 'start agent service',
    what: 'Enables and starts the agent’s systemd service.',
    whyRoot: 'Only root may enable and start a system service.',
  },
  'start-daemon': {
    name: 'start agent daemon',
    what: 'Starts the agent’s own supervisor (servers without systemd).',
    whyRoot: 'The agent runs as root, as a systemd service would.',
  },
  'wait-heartbeat': {
    name: 'first heartbeat',
    what: 'Waits up to 90 s for the running agent’s first heartbeat. Changes nothing.',
    whyRoot:
      'Not strictly needed: it reads only file times in the state folder; it runs in the same root shell as the steps around it.',
  },
};
