import { encodeBase64 } from '../sshsig/bytes';
import { parseOpenSshPublicKeyLine } from '../sshsig/sshsig';

/** SHA-256 over bytes, supplied by the caller (node:crypto): `shared/` has no Node built-ins. */
export type Sha256 = (bytes: Uint8Array) => Uint8Array;

/**
 * `SHA256:…` fingerprint of an OpenSSH public key line, as `ssh-keygen -l` prints it (unpadded
 * base64 of the SHA-256 of the key blob), so people can compare keys by eye.
 * @throws SshsigFormatError for a malformed or non-Ed25519 key line.
 */
export function keyFingerprint(publicKeyLine: string, sha256: Sha256): string {
  const { blob } = parseOpenSshPublicKeyLine(publicKeyLine);
  return `SHA256:${encodeBase64(sha256(blob)).replace(/=+$/, '')}`;
}
