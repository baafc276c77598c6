import { SIGNATURE_NAMESPACES } from '../agent/bucket-layout';
import {
  allowedSignersLine,
  parseOpenSshPublicKeyLine,
  type OpenSshPublicKey,
} from '../sshsig/sshsig';
import { BUNDLE_FILES } from './bundle-layout';

/** A signature in a bundle, with who made it. */
export interface BundleSigner {
  role: 'agent' | 'app';
  principal: string;
  /** OpenSSH public key line (`ssh-ed25519 AAAA… [comment]`). */
  publicKey: string;
}

/** allowed_signers text: one line per signer, limited to the kumiko-report namespace. */
export function allowedSignersText(signers: readonly BundleSigner[]): string {
  return signers
    .map((s) => `${allowedSignersLine(s.principal, [SIGNATURE_NAMESPACES.report], s.publicKey)}\n`)
    .join('');
}

/** One parsed allowed_signers line. */
export interface AllowedSigner {
  /** The principal field: comma-separated names (we write exactly one). */
  principals: string[];
  /** null = any namespace (no namespaces= option). */
  namespaces: string[] | null;
  key: OpenSshPublicKey;
}

/**
 * Reads allowed_signers text (the subset OpenSSH documents that we need: principals, an optional
 * `namespaces="…"` option, an ssh-ed25519 key). Lines with other options or key types are
 * reported, not guessed at. Blank lines and `#` comments are skipped.
 */
export function parseAllowedSigners(text: string): {
  signers: AllowedSigner[];
  problems: string[];
} {
  const signers: AllowedSigner[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+)\s+(?:namespaces="([^"]*)"\s+)?(ssh-\S+\s+\S+.*)$/.exec(line);
    if (!m) {
      problems.push(`allowed_signers line ${i + 1} is not "<principal> [namespaces=…] <key>"`);
      return;
    }
    try {
      signers.push({
        principals: (m[1] as string).split(','),
        namespaces: m[2] === undefined ? null : m[2].split(','),
        key: parseOpenSshPublicKeyLine(m[3] as string),
      });
    } catch (error) {
      problems.push(`allowed_signers line ${i + 1}: ${(error as Error).message}`);
    }
  });
  return { signers, problems };
}

/** The one-line command that verifies a bundle offline with stock OpenSSH and coreutils. */
export function verifyCommand(
  principal: string,
  signatureFile: string = BUNDLE_FILES.signature,
): string {
  const ns = SIGNATURE_NAMESPACES.report;
  return (
    `ssh-keygen -Y verify -f ${BUNDLE_FILES.allowedSigners} -I ${principal} -n ${ns} ` +
    `-s ${signatureFile} < ${BUNDLE_FILES.manifest} && sha256sum -c ${BUNDLE_FILES.manifest}`
  );
}

/**
 * VERIFY.txt: the verification command first (alone on its line, to copy and paste), then the
 * countersignature and chain checks, in English and German.
 */
export function verifyText(
  drillId: string,
  signers: readonly BundleSigner[],
  hasPrevious: boolean,
): string {
  const [primary, ...others] = signers;
  if (!primary) throw new Error('a bundle has at least one signer');
  const lines = [
    verifyCommand(primary.principal),
    '',
    `Kumiko Recovery drill report ${drillId} / Prüfbericht Wiederherstellungstest ${drillId}`,
    '',
    'Run the command above in this folder (OpenSSH 8.2+, GNU coreutils). It checks the',
    `signature of ${primary.principal} over ${BUNDLE_FILES.manifest}, then every file's SHA-256.`,
    'Führen Sie den Befehl oben in diesem Ordner aus (OpenSSH ab 8.2, GNU coreutils). Er prüft',
    `die Signatur von ${primary.principal} über ${BUNDLE_FILES.manifest} und dann jede Datei.`,
    '',
    'allowed_signers comes with the bundle: compare its key with the key pinned in the',
    'Kumiko Recovery app before trusting it. / allowed_signers liegt dem Bericht bei: den',
    'Schlüssel vor dem Vertrauen mit dem in der App hinterlegten Schlüssel vergleichen.',
  ];
  for (const other of others) {
    lines.push(
      '',
      `Countersignature (${other.role}) / Gegenzeichnung (${other.role}):`,
      `ssh-keygen -Y verify -f ${BUNDLE_FILES.allowedSigners} -I ${other.principal} -n ${SIGNATURE_NAMESPACES.report} -s ${BUNDLE_FILES.appSignature} < ${BUNDLE_FILES.manifest}`,
    );
  }
  if (hasPrevious) {
    lines.push(
      '',
      "Chain: with the previous report's folder beside this one / Kette: mit dem Ordner des",
      'vorigen Berichts daneben:',
      `sha256sum -c ${BUNDLE_FILES.chain}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
