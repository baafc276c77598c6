import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import {
  checkSshsig,
  ed25519PublicKeyBlob,
  encodeSshsig,
  sshsigSignedData,
} from '../shared/sshsig/sshsig';

// Ed25519 + SSHSIG with node:crypto, for the agent (signing recovery-point manifests and
// drill reports with the key the app pinned at install) and the app (countersigning reports,
// verifying the agent's manifests and reports against its pinned key). One module in the
// Node-only layer both import; the format lives once in shared/sshsig.

/** A new key pair: the private key as PKCS#8 PEM, the public key as its raw 32 bytes. */
export interface Ed25519KeyPair {
  privateKeyPem: string;
  publicKey: Uint8Array;
}

/** Generates an Ed25519 key pair (`openSshPublicKeyLine(publicKey, comment)` gives the .pub line). */
export function generateEd25519KeyPair(): Ed25519KeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { privateKeyPem, publicKey: ed25519PublicKeyFromPrivate(privateKeyPem) };
}

/** The raw 32-byte public key of a PKCS#8 PEM Ed25519 private key (from its JWK `x`). */
export function ed25519PublicKeyFromPrivate(privateKeyPem: string): Uint8Array {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`signing key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not ed25519`);
  }
  const { x } = createPublicKey(key).export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(x as string, 'base64url'));
}

/** SSHSIG-signs `message` (sha512, like ssh-keygen); returns the armored signature text. */
export function signSshsig(
  privateKeyPem: string,
  message: Buffer | string,
  namespace: string,
): string {
  const publicKey = ed25519PublicKeyFromPrivate(privateKeyPem);
  const digest = createHash('sha512').update(message).digest();
  const signedData = sshsigSignedData(namespace, digest, 'sha512');
  const signature = sign(null, signedData, createPrivateKey(privateKeyPem));
  return encodeSshsig({
    publicKeyBlob: ed25519PublicKeyBlob(publicKey),
    namespace,
    hashAlg: 'sha512',
    signature,
  });
}

/**
 * True only if `armored` is a valid SSHSIG over `message` in `namespace`, made by the key of
 * `expectedPublicKeyLine` (`ssh-ed25519 AAAA… [comment]`). Never throws on bad input.
 */
export function verifySshsig(
  armored: string,
  message: Buffer | string,
  namespace: string,
  expectedPublicKeyLine: string,
): boolean {
  const check = checkSshsig(armored, namespace, expectedPublicKeyLine);
  if (!check.ok) return false;
  const { hashAlg, publicKey, signature } = check.signature;
  const digest = createHash(hashAlg).update(message).digest();
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });
  return verify(null, sshsigSignedData(namespace, digest, hashAlg), key, signature);
}
