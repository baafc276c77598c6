import type { ChainPrevious } from './chain';
import type { Sha256 } from './keys';

// The result and input types of report bundle verification (shared/report/verify.ts).

/** The crypto verification needs. */
export interface VerifyCrypto {
  sha256: Sha256;
  /** True only for a valid SSHSIG over `message` in `namespace` by the key of `publicKeyLine`. */
  verifySshsig(
    armored: string,
    message: Uint8Array,
    namespace: string,
    publicKeyLine: string,
  ): boolean;
}

/** Why a bundle is not valid. */
export type BundleProblemCode =
  | 'read-error'
  | 'manifest-missing'
  | 'manifest-malformed'
  | 'missing-file'
  | 'hash-mismatch'
  | 'unlisted-file'
  | 'signature-missing'
  | 'signature-invalid'
  | 'signature-untrusted'
  | 'countersignature-invalid'
  | 'report-invalid'
  | 'report-signer-mismatch'
  | 'chain-file-mismatch'
  | 'evidence-mismatch';

export interface BundleProblem {
  code: BundleProblemCode;
  /** The file concerned, relative to the bundle. */
  file?: string;
  message: string;
}

/** One signature of a bundle and what came of checking it. */
export interface SignatureCheck {
  file: string;
  role: 'primary' | 'countersignature';
  valid: boolean;
  /** allowed_signers principal of the key, when the bundle names it. */
  principal: string | null;
  fingerprint: string | null;
  /** Where the trusted key came from: the caller's pinned keys, or only the bundle itself. */
  trust: 'pinned' | 'bundle' | 'none';
}

/** The result for one bundle. `ok` means no problems; warnings do not make it invalid. */
export interface BundleVerification {
  /** Folder (or zip folder) of the bundle, for messages. */
  location: string;
  ok: boolean;
  drillId: string | null;
  serverId: string | null;
  serverName: string | null;
  sequence: number | null;
  passed: boolean | null;
  startedAt: string | null;
  rtoSeconds: number | null;
  rpoSeconds: number | null;
  /** SHA-256 of MANIFEST.sha256: what the next report in the chain records. */
  manifestSha256: string | null;
  previous: ChainPrevious | null;
  /** Files listed in the manifest. */
  listedFiles: number;
  signatures: SignatureCheck[];
  problems: BundleProblem[];
  warnings: string[];
}

/** A bundle's files, read by the caller from a folder or a zip. */
export interface BundleInput {
  location: string;
  /** Relative POSIX path → bytes; regular files only. */
  files: ReadonlyMap<string, Uint8Array>;
  /** What the reader could not accept (symlinks, special files, unreadable entries). */
  readProblems?: readonly BundleProblem[];
}

/** Keys the caller trusts. Without any, the bundle's allowed_signers is used (integrity only). */
export interface VerifyTrust {
  /** OpenSSH public key lines (the agent key pinned at install, the app key, an auditor's list). */
  pinnedKeys: readonly string[];
  /**
   * Keys pinned per server id (the app knows each server's agent key). A bundle whose server is
   * listed here is checked against these keys instead of `pinnedKeys`. Choosing by the server
   * report.json names is sound: the claim counts only if that server's key signed it.
   */
  serverKeys?: Readonly<Record<string, readonly string[]>>;
}
