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

/**
 * The allowed_signers file an auditor keeps outside every bundle, with keys whose fingerprints
 * they compared with the recovery kit: the bundle's own allowed_signers proves nothing alone.
 */
export const AUDITOR_SIGNERS_FILE = '~/kumiko-allowed_signers';

/** The recovery kit's section that prints the report signing keys' fingerprints. */
export const KIT_SIGNING_KEYS_HEADING = 'Report signing keys / Schlüssel der Prüfberichte';

/** Where an auditor finds a signer's fingerprint independently of the bundle. */
export const FINGERPRINT_SOURCES = {
  en:
    `the fingerprint printed in the server's recovery kit (section "${KIT_SIGNING_KEYS_HEADING}") ` +
    'and, for the agent, in its install record in Kumiko Recovery (signingKeyFingerprint)',
  de:
    `dem Fingerabdruck im Notfallblatt des Servers (Abschnitt „${KIT_SIGNING_KEYS_HEADING}“) ` +
    'und, für den Agenten, in seinem Installationsprotokoll in Kumiko Recovery (signingKeyFingerprint)',
} as const;

/**
 * The one-line command that verifies a bundle offline with stock OpenSSH and coreutils, against
 * the auditor's own allowed_signers file (never the bundle's).
 */
export function verifyCommand(
  principal: string,
  signatureFile: string = BUNDLE_FILES.signature,
): string {
  const ns = SIGNATURE_NAMESPACES.report;
  return (
    `ssh-keygen -Y verify -f ${AUDITOR_SIGNERS_FILE} -I ${principal} -n ${ns} ` +
    `-s ${signatureFile} < ${BUNDLE_FILES.manifest} && sha256sum -c ${BUNDLE_FILES.manifest}`
  );
}

/** Prints the SHA256 fingerprint of each key in the bundle's allowed_signers, in order. */
export const FINGERPRINT_COMMAND = `awk '{print $3, $4}' ${BUNDLE_FILES.allowedSigners} | ssh-keygen -lf -`;

/** Appends one signer's line from the bundle to the auditor's file (after the comparison). */
export function addSignerCommand(principal: string): string {
  return `awk '$1 == "${principal}"' ${BUNDLE_FILES.allowedSigners} >> ${AUDITOR_SIGNERS_FILE}`;
}

/**
 * VERIFY.txt: the verification command first (alone on its line, to copy and paste), then how
 * to obtain the signers' keys independently (fingerprint in the recovery kit and the install
 * record, never the bundle's allowed_signers alone), the countersignature and chain checks, in
 * English and German.
 */
export function verifyText(
  drillId: string,
  signers: readonly BundleSigner[],
  hasPrevious: boolean,
): string {
  const [primary, ...others] = signers;
  if (!primary) throw new Error('a bundle has at least one signer');
  const file = AUDITOR_SIGNERS_FILE;
  const lines = [
    verifyCommand(primary.principal),
    '',
    `Kumiko Recovery drill report ${drillId} / Prüfbericht Wiederherstellungstest ${drillId}`,
    '',
    'Run the command above in this folder (OpenSSH 8.2+, GNU coreutils). It checks the',
    `signature of ${primary.principal} over ${BUNDLE_FILES.manifest} against ${file},`,
    "your own file of keys you checked (see below), then every file's SHA-256.",
    'Führen Sie den Befehl oben in diesem Ordner aus (OpenSSH ab 8.2, GNU coreutils). Er prüft',
    `die Signatur von ${primary.principal} über ${BUNDLE_FILES.manifest} gegen ${file},`,
    'Ihre eigene Datei selbst geprüfter Schlüssel (siehe unten), und dann jede Datei.',
    '',
    'Trust only keys you checked yourself / Nur selbst geprüften Schlüsseln vertrauen:',
    `${BUNDLE_FILES.allowedSigners} in this folder proves nothing on its own: whoever changed the`,
    'report can replace it. Once per signer, show the fingerprints of its keys (one line each):',
    `  ${FINGERPRINT_COMMAND}`,
    `and compare each SHA256:… with ${FINGERPRINT_SOURCES.en}.`,
    `Only if they are equal, add the signer to ${file}:`,
    ...signers.map((s) => `  ${addSignerCommand(s.principal)}`),
    'If they differ, do not trust this report. Kumiko Recovery checks against the same file:',
    `  kumiko report verify . --key ${file}`,
    `Die Datei ${BUNDLE_FILES.allowedSigners} in diesem Ordner beweist allein nichts: wer den Bericht`,
    'ändert, kann sie ersetzen. Einmal je Unterzeichner die Fingerabdrücke mit dem awk-Befehl oben anzeigen',
    `und jeden SHA256:… mit ${FINGERPRINT_SOURCES.de} vergleichen.`,
    `Nur wenn sie gleich sind, den Unterzeichner mit dem Befehl oben in ${file} aufnehmen;`,
    'sonst dem Bericht nicht vertrauen.',
  ];
  for (const other of others) {
    lines.push(
      '',
      `Countersignature (${other.role}) / Gegenzeichnung (${other.role}):`,
      verifyCommand(other.principal, BUNDLE_FILES.appSignature).replace(/ && sha256sum.*$/, ''),
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
