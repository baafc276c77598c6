import crypto from 'node:crypto';
import { KIT_SIGNING_KEYS_HEADING } from '../../../shared/report/allowed-signers';
import { keyFingerprint } from '../../../shared/report/keys';
import { parseOpenSshPublicKeyLine } from '../../../shared/sshsig/sshsig';
import { appSigningKey } from '../reports/app-signing-key';
import type { SecretStore } from '../secrets/secret-store';
import type { KitSection } from './kit-content';

/** A key that signs drill reports, as the kit prints it. */
export interface SigningKeyFingerprint {
  principal: string;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  fingerprint: string;
}

const sha256 = (bytes: Uint8Array) =>
  new Uint8Array(crypto.createHash('sha256').update(bytes).digest());

/**
 * The report signing keys of a server: the agent's (pinned at install) and the app's own (made
 * now if it does not exist yet, so a kit printed today also anchors the app's later signatures).
 */
export async function reportSigningKeys(
  agentKey: string,
  secrets: SecretStore,
): Promise<SigningKeyFingerprint[]> {
  const app = await appSigningKey(secrets);
  return [
    {
      principal: parseOpenSshPublicKeyLine(agentKey).comment || 'kumiko-agent',
      fingerprint: keyFingerprint(agentKey, sha256),
    },
    { principal: app.principal, fingerprint: keyFingerprint(app.publicKey, sha256) },
  ];
}

/**
 * The kit's trust anchor for report verification: an auditor trusts a report's key only when
 * its fingerprint equals one printed here (VERIFY.txt in every report says how to compare).
 */
export function signingKeysSection(keys: readonly SigningKeyFingerprint[]): KitSection[] {
  if (keys.length === 0) return [];
  const note =
    "Drill reports are signed with these keys. An auditor trusts a report's key only if its " +
    'SHA256 fingerprint equals one printed here (VERIFY.txt in each report says how). / ' +
    'Prüfberichte sind mit diesen Schlüsseln signiert. Prüfer vertrauen dem Schlüssel eines ' +
    'Berichts nur, wenn sein SHA256-Fingerabdruck einem hier gedruckten gleicht (siehe VERIFY.txt).';
  return [
    {
      heading: KIT_SIGNING_KEYS_HEADING,
      lines: [
        { text: note },
        ...keys.map((key) => ({ label: key.principal, text: key.fingerprint, mono: true })),
      ],
    },
  ];
}
