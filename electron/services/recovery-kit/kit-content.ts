import type { StorageCredentials } from '../storage/storage-service';
import { restoreSections, type KitRestoreDefaults } from './kit-restore';
import type { RetiredAgentKey } from '../catalog/agent-key-ring';
import {
  earlierAgentKeysSection,
  signingKeysSection,
  type SigningKeyFingerprint,
} from './kit-signing-keys';

export interface KitInput {
  serverName: string;
  serverId: string;
  stanza: string;
  pgVersion: string;
  dataDirectory: string;
  storage: StorageCredentials;
  cipherPass: string;
  resticPassword: string;
  /** The GDPR erasure ledger key: a rebuild needs it to erase again who was erased. */
  ledgerKey?: string | null;
  repoPath: string;
  resticRepository: string;
  createdAt: Date;
  /** Where steps 3-6 restore (folder, port, PostgreSQL programs). */
  restore: KitRestoreDefaults;
  /** Fingerprints of the keys that sign drill reports: the auditors' trust anchor. */
  signingKeys?: SigningKeyFingerprint[];
  /** The public keys of the server's earlier agents, each with when it stopped signing. */
  earlierAgentKeys?: RetiredAgentKey[];
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
        {
          label: 'TLS',
          text: k.storage.caCertificate
            ? "Signed by the customer's own CA: its certificate is written to a file in step 3. / " +
              'Von einer eigenen CA signiert: ihr Zertifikat wird in Schritt 3 gespeichert.'
            : 'A publicly trusted certificate: no CA file needed. / Öffentlich vertrauenswürdig.',
        },
        { label: 'pgBackRest repo1-path', text: k.repoPath, mono: true },
        { label: 'restic repository', text: k.resticRepository, mono: true },
      ],
    },
    {
      heading: '2. Encryption passphrases / Verschlüsselung',
      lines: [
        { label: 'pgBackRest repo1-cipher-pass', text: k.cipherPass, mono: true },
        { label: 'restic password', text: k.resticPassword, mono: true },
        ...(k.ledgerKey
          ? [
              {
                label: 'GDPR ledger key / DSGVO-Löschschlüssel (gdpr.ledgerKey)',
                text: k.ledgerKey,
                mono: true,
              },
            ]
          : []),
      ],
    },
    ...restoreSections(k, k.restore),
    ...signingKeysSection(k.signingKeys ?? []),
    ...earlierAgentKeysSection(k.earlierAgentKeys ?? []),
  ];
}
