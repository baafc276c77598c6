import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { signSshsig } from '../../../node/signing';
import { SIGNATURE_NAMESPACES } from '../../../shared/agent/bucket-layout';
import type { GdprEraseResult } from '../../../shared/contract/gdpr';
import type { GdprErasureConfirmation } from '../../../shared/contract/gdpr-requests';
import { appSigningKey } from '../reports/app-signing-key';
import type { SecretStore } from '../secrets/secret-store';

// The evidence of an answered erasure request (issue 17 §4), signed like a drill report:
// confirmation.json, its hash in MANIFEST.sha256 (sha256sum format) and that file's SSHSIG by
// the app's report key, namespace kumiko-report. It verifies offline with stock OpenSSH:
// ssh-keygen -Y verify -f allowed_signers -I <principal> -n kumiko-report
// -s MANIFEST.sha256.sig < MANIFEST.sha256, then sha256sum -c MANIFEST.sha256.
// It names who, when, which tables and how many rows, the ledger entry and the day the backups
// still holding the data roll over, and holds no personal value: not the subject's key (the
// request id links it to the request in the app), no row content, no file path.

export interface ConfirmationFacts {
  requestId: string;
  serverName: string;
  database: string;
  erasedBy: string;
  receivedOn: string;
  erasure: GdprEraseResult;
}

/** Writes the signed confirmation into `<dataDir>/gdpr-evidence/<request id>/`. */
export async function writeErasureConfirmation(
  dataDir: string,
  secrets: SecretStore,
  facts: ConfirmationFacts,
): Promise<GdprErasureConfirmation> {
  const { erasure } = facts;
  if (erasure.dryRun || !erasure.erasureId || !erasure.erasedAt)
    throw new Error('a confirmation is written for an erasure that ran, not for a dry run');
  const key = await appSigningKey(secrets);
  const directory = path.join(dataDir, 'gdpr-evidence', facts.requestId);
  await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  const confirmation = `${JSON.stringify(
    {
      kind: 'kumiko-gdpr-erasure-confirmation',
      version: 1,
      requestId: facts.requestId,
      requestReceivedOn: facts.receivedOn,
      server: facts.serverName,
      database: facts.database,
      erasedBy: facts.erasedBy,
      erasedAt: erasure.erasedAt,
      ledgerEntry: erasure.erasureId,
      tables: erasure.tables.map((t) => ({ table: t.table, rows: t.rows })),
      files: {
        removed: erasure.files.filter((f) => f.state === 'removed').length,
        notRemoved: erasure.files.filter((f) => f.state !== 'removed').length,
      },
      backupsRollOverBy: erasure.hardDeleteDue,
    },
    null,
    2,
  )}\n`;
  const manifest = `${crypto.createHash('sha256').update(confirmation).digest('hex')}  confirmation.json\n`;
  await fs.writeFile(path.join(directory, 'confirmation.json'), confirmation, { mode: 0o600 });
  await fs.writeFile(path.join(directory, 'MANIFEST.sha256'), manifest, { mode: 0o600 });
  await fs.writeFile(
    path.join(directory, 'MANIFEST.sha256.sig'),
    signSshsig(key.privateKeyPem, Buffer.from(manifest), SIGNATURE_NAMESPACES.report),
    { mode: 0o600 },
  );
  // An allowed_signers line, as in the export zip: `ssh-keygen -Y verify -f signer.pub` after
  // the reader checked the key is the app's (its fingerprint, or the one they pinned).
  await fs.writeFile(path.join(directory, 'signer.pub'), `${key.principal} ${key.publicKey}\n`, {
    mode: 0o600,
  });
  return {
    erasureId: erasure.erasureId,
    directory,
    sha256: crypto.createHash('sha256').update(manifest).digest('hex'),
    principal: key.principal,
  };
}

/** The files of a confirmation folder, in the order they go into its zip. */
export const CONFIRMATION_FILES = [
  'confirmation.json',
  'MANIFEST.sha256',
  'MANIFEST.sha256.sig',
  'signer.pub',
] as const;
