import type { StorageCredentials } from '../storage/storage-service';

export interface KitInput {
  serverName: string;
  serverId: string;
  stanza: string;
  pgVersion: string;
  dataDirectory: string;
  storage: StorageCredentials;
  cipherPass: string;
  resticPassword: string;
  repoPath: string;
  resticRepository: string;
  createdAt: Date;
}

export interface KitSection {
  heading: string;
  lines: { label?: string; text: string; mono?: boolean }[];
}

/**
 * What the recovery kit says, as data: the PDF layout is separate. Everything needed to
 * restore with stock pgBackRest and restic, without Kumiko Recovery, is on the sheet.
 */
export function kitSections(k: KitInput): KitSection[] {
  const url = new URL(k.storage.endpoint);
  const conf = [
    '[global]',
    'repo1-type=s3',
    `repo1-path=${k.repoPath}`,
    `repo1-s3-endpoint=${url.hostname}`,
    ...(url.port ? [`repo1-storage-port=${url.port}`] : []),
    `repo1-s3-bucket=${k.storage.bucket}`,
    `repo1-s3-region=${k.storage.region}`,
    `repo1-s3-key=${k.storage.accessKeyId}`,
    `repo1-s3-key-secret=${k.storage.secretAccessKey}`,
    `repo1-s3-uri-style=${url.hostname.endsWith('.amazonaws.com') ? 'host' : 'path'}`,
    ...(k.storage.caCertificate ? ['repo1-storage-ca-file=/etc/pgbackrest/storage-ca.pem'] : []),
    'repo1-cipher-type=aes-256-cbc',
    `repo1-cipher-pass=${k.cipherPass}`,
    '',
    `[${k.stanza}]`,
    `pg1-path=/var/lib/postgresql/${k.pgVersion}/restore`,
  ];
  return [
    {
      heading: 'Keep this sheet offline, in a safe / Dieses Blatt offline im Tresor aufbewahren',
      lines: [
        {
          text:
            'Anyone holding this sheet can read every backup of this server. Without it, a lost laptop ' +
            'means unreadable backups. / Wer dieses Blatt hat, kann alle Sicherungen lesen. Ohne es sind ' +
            'die Sicherungen nach Verlust des Laptops unlesbar.',
        },
        { label: 'Server', text: `${k.serverName} (${k.serverId})` },
        { label: 'Cluster', text: `PostgreSQL ${k.pgVersion}, ${k.dataDirectory}` },
        { label: 'Created / Erstellt', text: k.createdAt.toISOString() },
      ],
    },
    {
      heading: '1. Bucket (EU S3)',
      lines: [
        { label: 'Endpoint', text: k.storage.endpoint, mono: true },
        { label: 'Bucket', text: k.storage.bucket, mono: true },
        { label: 'Region', text: k.storage.region, mono: true },
        { label: 'Access key id', text: k.storage.accessKeyId, mono: true },
        { label: 'Secret access key', text: k.storage.secretAccessKey, mono: true },
      ],
    },
    {
      heading: '2. Encryption passphrases / Verschlüsselung',
      lines: [
        { label: 'pgBackRest repo1-cipher-pass', text: k.cipherPass, mono: true },
        { label: 'restic password', text: k.resticPassword, mono: true },
      ],
    },
    {
      heading: '3. Restore the database without Kumiko Recovery (pgBackRest)',
      lines: [
        {
          text: 'On a Linux host with PostgreSQL and pgBackRest installed, save as /etc/pgbackrest/pgbackrest.conf:',
        },
        { text: conf.join('\n'), mono: true },
        { text: 'Then, as the postgres user:' },
        {
          text: [
            `pgbackrest --stanza=${k.stanza} info`,
            `pgbackrest --stanza=${k.stanza} restore --type=time \\`,
            `  --target="2026-11-24 14:23:00+01" --target-action=promote`,
            `pg_ctl -D /var/lib/postgresql/${k.pgVersion}/restore -o "-c archive_mode=off" start`,
          ].join('\n'),
          mono: true,
        },
        {
          text: 'Leave out --type/--target to restore the latest state. archive_mode=off keeps the restored copy from writing into the backup.',
        },
      ],
    },
    {
      heading: '4. Restore attached files (restic)',
      lines: [
        {
          text: [
            `export AWS_ACCESS_KEY_ID=${k.storage.accessKeyId}`,
            `export AWS_SECRET_ACCESS_KEY=${k.storage.secretAccessKey}`,
            `export RESTIC_REPOSITORY=${k.resticRepository}`,
            'export RESTIC_PASSWORD=<restic password above>',
            'restic snapshots',
            'restic restore latest --target /srv/restore',
          ].join('\n'),
          mono: true,
        },
      ],
    },
  ];
}
