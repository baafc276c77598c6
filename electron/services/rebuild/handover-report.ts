import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { signSshsig } from '../../../node/signing';
import { SIGNATURE_NAMESPACES } from '../../../shared/agent/bucket-layout';
import type { RebuildHandover, RebuildResult } from '../../../shared/contract';
import { appSigningKey } from '../reports/app-signing-key';
import type { SecretStore } from '../secrets/secret-store';

// The rebuild's hand-over (issue 19 §3), signed like a drill report: handover.json, its hash in
// MANIFEST.sha256 (sha256sum format) and that file's SSHSIG by the app's report key, namespace
// kumiko-report. It verifies offline with stock OpenSSH against the auditor's own
// allowed_signers: ssh-keygen -Y verify -f allowed_signers -I <principal> -n kumiko-report
// -s MANIFEST.sha256.sig < MANIFEST.sha256, then sha256sum -c MANIFEST.sha256.

/** Writes the signed hand-over of a finished rebuild into `<dataDir>/handovers/<id>/`. */
export async function writeHandover(
  dataDir: string,
  secrets: SecretStore,
  rebuildId: string,
  result: Omit<RebuildResult, 'handover'>,
): Promise<RebuildHandover> {
  const key = await appSigningKey(secrets);
  const directory = path.join(dataDir, 'handovers', rebuildId);
  await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  const report = `${JSON.stringify(
    {
      kind: 'kumiko-rebuild-handover',
      version: 1,
      rebuildId,
      at: new Date().toISOString(),
      ...result,
    },
    null,
    2,
  )}\n`;
  const sha256 = crypto.createHash('sha256').update(report).digest('hex');
  const manifest = `${sha256}  handover.json\n`;
  await fs.writeFile(path.join(directory, 'handover.json'), report, { mode: 0o600 });
  await fs.writeFile(path.join(directory, 'MANIFEST.sha256'), manifest, { mode: 0o600 });
  await fs.writeFile(
    path.join(directory, 'MANIFEST.sha256.sig'),
    signSshsig(key.privateKeyPem, Buffer.from(manifest), SIGNATURE_NAMESPACES.report),
    { mode: 0o600 },
  );
  return { directory, sha256, principal: key.principal, publicKey: key.publicKey };
}
