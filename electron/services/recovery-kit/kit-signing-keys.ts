import crypto from 'node:crypto';
import { KIT_SIGNING_KEYS_HEADING } from '../../../shared/report/allowed-signers';
import { keyFingerprint } from '../../../shared/report/keys';
import { parseOpenSshPublicKeyLine } from '../../../shared/sshsig/sshsig';
import { appSigningKey } from '../reports/app-signing-key';
import type { RetiredAgentKey } from '../catalog/agent-key-ring';
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

/** The kit's section of the keys earlier agents of the server signed with. */
export const KIT_EARLIER_AGENT_KEYS_HEADING = 'Earlier agent keys / Frühere Agentenschlüssel';

/** The label of one earlier key: the moment it stopped signing, which the import reads back. */
export const earlierKeyLabel = (retiredAt: string): string =>
  `Signed until / Signierte bis ${retiredAt}`;

/**
 * The whole public keys of the server's earlier agents (an uninstall destroys the agent's key, a
 * reinstall makes a new one): the recovery points and reports they signed stay in the bucket for
 * their retention, and a console rebuilt from this kit checks them against these keys, each only
 * for what it signed before it was retired. Whole keys, not fingerprints: the bucket keeps only
 * the current agent's key.
 */
export function earlierAgentKeysSection(keys: readonly RetiredAgentKey[]): KitSection[] {
  if (keys.length === 0) return [];
  const note =
    'Recovery points and reports signed by earlier agents of this server (before a reinstall) ' +
    'are checked against these keys, each only for what it signed before the date given. / ' +
    'Wiederherstellungspunkte und Berichte früherer Agenten dieses Servers (vor einer ' +
    'Neuinstallation) werden mit diesen Schlüsseln geprüft, jeder nur für das, was er vor dem ' +
    'genannten Zeitpunkt signiert hat.';
  return [
    {
      heading: KIT_EARLIER_AGENT_KEYS_HEADING,
      lines: [
        { text: note },
        ...keys.map((key) => ({
          label: earlierKeyLabel(key.retiredAt),
          text: key.publicKey,
          mono: true,
        })),
      ],
    },
  ];
}
