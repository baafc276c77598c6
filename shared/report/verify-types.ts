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
  | 'signer-not-trusted'
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
  /**
   * Where the key is trusted from: 'pinned' = a key the caller trusts (pinned in the app or
   * given with --key); 'bundle' = only the bundle's own allowed_signers names it, which proves
   * nothing by itself; 'none' = neither.
   */
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
  /**
   * The primary signature is valid and made by a key the caller trusts. False for a valid
   * signature by a key only the bundle vouches for: then the problems hold 'signer-not-trusted'.
   */
  signerTrusted: boolean;
  problems: BundleProblem[];
  warnings: string[];
}

/**
 * The verdict: 'valid' (every signature by a trusted key, every hash and link right);
 * 'untrusted-signer' (signatures and hashes are right, but no trusted key matches the signer,
 * so nothing says who wrote the report); 'invalid' (anything else, e.g. a signature by a key
 * other than the one pinned for the server).
 */
export type VerificationStatus = 'valid' | 'untrusted-signer' | 'invalid';

/** A bundle's files, read by the caller from a folder or a zip. */
export interface BundleInput {
  location: string;
  /** Relative POSIX path → bytes; regular files only. */
  files: ReadonlyMap<string, Uint8Array>;
  /** What the reader could not accept (symlinks, special files, unreadable entries). */
  readProblems?: readonly BundleProblem[];
}

/**
 * Keys the caller trusts. A bundle's own allowed_signers is never trusted: it only names the
 * signer of a bundle for which the caller has no key ('signer-not-trusted').
 */
export interface VerifyTrust {
  /**
   * OpenSSH public key lines every bundle is expected to be signed by (an auditor's --key);
   * a valid signature by another key is refused ('signature-untrusted').
   */
  pinnedKeys: readonly string[];
  /**
   * Keys pinned per server id (the app knows each server's agent key). A bundle whose server is
   * listed here is checked against these keys instead of `pinnedKeys`. Choosing by the server
   * report.json names is sound: the claim counts only if that server's key signed it.
   */
  serverKeys?: Readonly<Record<string, readonly string[]>>;
  /**
   * Keys trusted for any bundle without being expected (the app's own key): a bundle signed by
   * one of them is trusted; one signed by another key, with nothing expected for it, is
   * 'signer-not-trusted', not refused.
   */
  knownKeys?: readonly string[];
}
