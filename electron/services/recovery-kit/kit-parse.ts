import { KIT_SIGNING_KEYS_HEADING } from '../../../shared/report/allowed-signers';
import type { KitValues } from '../../../shared/contract/kit-import';
import { earlierKeyLabel, KIT_EARLIER_AGENT_KEYS_HEADING } from './kit-signing-keys';

/**
 * The values of a recovery kit's text copy (what `kit export` saves beside the PDF), read
 * back for an import into a fresh console. The text is untrusted input like anything typed:
 * every value found here goes through the same contract schema as typed values, and a value
 * the kit lacks is named, so the admin can type it instead.
 */
export function parseKitText(text: string): { values: Partial<KitValues>; missing: string[] } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const labelled = new Map<string, string>();
  for (let i = 0; i + 1 < lines.length; i++) {
    const label = /^(.+):$/.exec(lines[i] as string)?.[1];
    const value = lines[i + 1]?.trim();
    if (label && value && !labelled.has(label)) labelled.set(label, value);
  }
  const server = /^(.*) \(([0-9a-f-]{36})\)$/.exec(labelled.get('Server') ?? '');
  const cluster = /^PostgreSQL (\d+)(?:\.\d+)?, (\/.*)$/.exec(labelled.get('Cluster') ?? '');
  const stanza = /--stanza=([A-Za-z0-9_.-]+)/.exec(text)?.[1];
  const values: Partial<KitValues> = {
    serverName: server?.[1],
    serverId: server?.[2],
    pgVersion: cluster?.[1],
    dataDirectory: cluster?.[2],
    stanza,
    endpoint: labelled.get('Endpoint'),
    bucket: labelled.get('Bucket'),
    region: labelled.get('Region'),
    accessKeyId: labelled.get('Access key id'),
    secretAccessKey: labelled.get('Secret access key'),
    repoPath: labelled.get('pgBackRest repo1-path'),
    cipherPass: labelled.get('pgBackRest repo1-cipher-pass'),
    resticPassword: labelled.get('restic password'),
    ledgerKey: [...labelled].find(([label]) => label.includes('gdpr.ledgerKey'))?.[1],
    caCertificate: caCertificateOf(lines),
    agentKeyFingerprint: agentFingerprintOf(lines),
    earlierAgentKeys: earlierAgentKeysOf(lines),
  };
  const optional = new Set(['ledgerKey', 'caCertificate', 'earlierAgentKeys']);
  const missing = Object.entries(values)
    .filter(([name, value]) => value === undefined && !optional.has(name))
    .map(([name]) => name);
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete values[name as keyof KitValues];
  }
  return { values, missing };
}

/** The PEM between the heredoc that writes storage-ca.pem in step 3 and its EOF. */
function caCertificateOf(lines: string[]): string | undefined {
  const start = lines.findIndex((l) => /storage-ca\.pem" <<'EOF'$/.test(l));
  if (start < 0) return undefined;
  const end = lines.indexOf('EOF', start + 1);
  if (end < 0) return undefined;
  return `${lines.slice(start + 1, end).join('\n')}\n`;
}

/** The agent's key fingerprint from the report signing keys section (`kumiko-agent@<id>:`). */
function agentFingerprintOf(lines: string[]): string | undefined {
  const section = lines.indexOf(KIT_SIGNING_KEYS_HEADING);
  if (section < 0) return undefined;
  for (let i = section; i + 1 < lines.length; i++) {
    if (/^kumiko-agent\b.*:$/.test(lines[i] as string)) {
      return /^SHA256:[A-Za-z0-9+/]{43}$/.exec(lines[i + 1]?.trim() ?? '')?.[0];
    }
  }
  return undefined;
}

/**
 * The earlier agents' keys: in their section, each `Signed until / Signierte bis <ISO>:`
 * followed by the key line. Checked by the contract like every other value.
 */
function earlierAgentKeysOf(lines: string[]): KitValues['earlierAgentKeys'] {
  const section = lines.indexOf(KIT_EARLIER_AGENT_KEYS_HEADING);
  if (section < 0) return undefined;
  const prefix = earlierKeyLabel('');
  const keys: NonNullable<KitValues['earlierAgentKeys']> = [];
  for (let i = section + 1; i + 1 < lines.length; i++) {
    const line = lines[i] as string;
    // The next section's heading, underlined, ends this one.
    if (/^-+$/.test(lines[i + 1] ?? '') && line.trim() !== '') break;
    if (line.startsWith(prefix) && line.endsWith(':')) {
      keys.push({
        retiredAt: line.slice(prefix.length, -1),
        publicKey: lines[i + 1]?.trim() ?? '',
      });
    }
  }
  return keys.length > 0 ? keys : undefined;
}
