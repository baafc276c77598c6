/**
 * The files of a drill report bundle (issue 5), declared once for the writer (agent or app),
 * the verifier and the archive:
 *
 *   report.json                     the drill for machines (canonical JSON)
 *   report.pdf                      the drill for people
 *   evidence/…                      logs, `pgbackrest info`, check outputs
 *   chain/previous-manifest.sha256  the previous report's MANIFEST.sha256 hash (absent in the first)
 *   MANIFEST.sha256                 `sha256sum` lines for every file above, sorted
 *   MANIFEST.sha256.sig             SSHSIG (namespace kumiko-report) of MANIFEST.sha256
 *   MANIFEST.sha256.app.sig         optional countersignature by the app
 *   allowed_signers                 principal + key of each signature, for `ssh-keygen -Y verify`
 *   VERIFY.txt                      the one-line offline verification command
 *
 * The last five are the "envelope": they sign or explain the manifest, so they cannot be listed
 * in it, and countersigning rewrites them without touching any signed byte.
 */
export const BUNDLE_FILES = {
  reportJson: 'report.json',
  reportPdf: 'report.pdf',
  chain: 'chain/previous-manifest.sha256',
  manifest: 'MANIFEST.sha256',
  signature: 'MANIFEST.sha256.sig',
  appSignature: 'MANIFEST.sha256.app.sig',
  allowedSigners: 'allowed_signers',
  verifyText: 'VERIFY.txt',
} as const;

/** Evidence files live below this folder; check results name them without it. */
export const EVIDENCE_DIR = 'evidence/';

/** Files that are not (and cannot be) listed in MANIFEST.sha256. */
export const ENVELOPE_FILES: readonly string[] = [
  BUNDLE_FILES.manifest,
  BUNDLE_FILES.signature,
  BUNDLE_FILES.appSignature,
  BUNDLE_FILES.allowedSigners,
  BUNDLE_FILES.verifyText,
];

// One path segment: starts with a letter, digit or underscore (so never '.', '..' or a hidden
// file), then letters, digits, '.', '_' and '-'. No spaces, backslashes or newlines: sha256sum
// escapes those in its lines, and we want lines any tool reads the same way.
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const MAX_PATH = 200;

/** True for a relative POSIX path of safe segments (see SEGMENT above), at most 200 characters. */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > MAX_PATH) return false;
  return path.split('/').every((segment) => SEGMENT.test(segment));
}

/** True for a name an evidence file may have (relative to `evidence/`). */
export function isEvidenceName(name: string): boolean {
  return isSafeRelativePath(name) && isSafeRelativePath(`${EVIDENCE_DIR}${name}`);
}

/** `evidence/<name>`. */
export function evidencePath(name: string): string {
  return `${EVIDENCE_DIR}${name}`;
}

/** Byte-wise (code unit) order, the same everywhere, for manifest lines and file lists. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
