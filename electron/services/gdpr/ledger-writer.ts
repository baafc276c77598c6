import { PutObjectCommand } from '@aws-sdk/client-s3';
import { signLedgerEntry, subjectKeyHash } from '../../../node/gdpr/ledger-object';
import { bucketLayout } from '../../../shared/agent/bucket-layout';
import type { ErasureLedgerEntry, ErasureTarget } from '../../../shared/agent/erasure-ledger';
import { repositorySecretNames } from '../agent-install/install-job';
import { AppError } from '../app-error';
import { appSigningKey } from '../reports/app-signing-key';
import type { SecretStore } from '../secrets/secret-store';
import { clientFor } from '../storage/bucket-reader';
import type { StorageCredentials } from '../storage/storage-service';

// Writing the GDPR erasure ledger (shared/agent/erasure-ledger.ts): what an erasure leaves in
// the bucket so that no restore brings the subject back. The app keys the subject's values with
// the server's ledger key (never stored in the bucket) and signs the entry with its own key,
// which the agent pinned at install and verifies before a replay deletes anything.

/** One table of an erasure, with the subject's key values in clear (hashed before they leave). */
export interface ErasureTableInput {
  schema: string;
  table: string;
  column: string;
  values: string[];
  /** Columns the erasure set to NULL instead of deleting the rows. */
  anonymise?: string[];
}

/** The server's ledger key from the secret store; the agent install made it. */
export async function ledgerKeyOf(secrets: SecretStore, serverId: string): Promise<string> {
  const key = await secrets.get(repositorySecretNames(serverId).ledgerKey);
  if (!key) {
    throw new AppError(
      'SECRET_STORE_UNAVAILABLE',
      'The GDPR ledger key of this server is not in the secret store: install the agent again (it keeps the backups) or enter the key from the recovery kit.',
    );
  }
  return key;
}

/** The targets of an entry: each value replaced by its keyed hash. */
export function erasureTargets(ledgerKey: string, tables: ErasureTableInput[]): ErasureTarget[] {
  return tables.map(({ values, ...table }) => ({
    ...table,
    keyHashes: [...new Set(values)].map((value) => subjectKeyHash(ledgerKey, value)),
  }));
}

/**
 * Signs an erasure and puts it into the server's ledger (`kumiko/<id>/gdpr/<erasureId>.json`),
 * with the capture key of the saved storage target. Returns the object key.
 */
export async function writeErasureEntry(
  secrets: SecretStore,
  storage: StorageCredentials,
  entry: Omit<ErasureLedgerEntry, 'format'>,
): Promise<string> {
  const { privateKeyPem } = await appSigningKey(secrets);
  const body = signLedgerEntry({ format: 'kumiko-erasure-2', ...entry }, privateKeyPem);
  const key = `${bucketLayout.gdprPrefix(entry.serverId)}${entry.erasureId}.json`;
  const s3 = clientFor(storage);
  try {
    await s3.client.send(
      new PutObjectCommand({
        Bucket: storage.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
      }),
    );
  } finally {
    s3.close();
  }
  return key;
}
