import {
  bytesEqual,
  concatBytes,
  decodeBase64,
  encodeBase64,
  sshString,
  sshUint32,
  SshReader,
  utf8Encode,
} from './bytes';

/**
 * SSHSIG, the signature format of `ssh-keygen -Y sign` (OpenSSH PROTOCOL.sshsig), for Ed25519
 * keys. Pure encoding only: hashing, signing and verifying happen in the callers with
 * node:crypto (node/signing.ts, used by the app and the agent), because `shared/` may
 * not use Node built-ins. Signatures made here verify with stock OpenSSH:
 *
 *   ssh-keygen -Y verify -f allowed_signers -I <principal> -n <namespace> -s file.sig < file
 */

/** Hash algorithms PROTOCOL.sshsig allows; ssh-keygen signs with sha512. */
export type SshsigHashAlg = 'sha256' | 'sha512';
export const SSHSIG_HASH_ALGS: readonly SshsigHashAlg[] = ['sha256', 'sha512'];

export const SSHSIG_MAGIC = 'SSHSIG';
export const SSHSIG_VERSION = 1;
export const ED25519_KEY_TYPE = 'ssh-ed25519';
const ARMOR_BEGIN = '-----BEGIN SSH SIGNATURE-----';
const ARMOR_END = '-----END SSH SIGNATURE-----';
/** ssh-keygen wraps the armored base64 at 70 characters per line. */
const ARMOR_WIDTH = 70;

/** The fields of an SSHSIG signature (Ed25519 only). */
export interface SshsigFields {
  /** SSH public key blob: string "ssh-ed25519" + string key (see {@link ed25519PublicKeyBlob}). */
  publicKeyBlob: Uint8Array;
  namespace: string;
  hashAlg: SshsigHashAlg;
  /** The raw 64-byte Ed25519 signature over {@link sshsigSignedData}. */
  signature: Uint8Array;
}

/** A parsed signature; `publicKey` is the raw 32-byte Ed25519 key from the blob. */
export interface DecodedSshsig extends SshsigFields {
  version: number;
  publicKey: Uint8Array;
}

/** A malformed or unsupported signature, key line or blob. */
export class SshsigFormatError extends Error {
  override name = 'SshsigFormatError';
}

function formatError(message: string): never {
  throw new SshsigFormatError(message);
}

/**
 * The blob that is actually signed: "SSHSIG" + string namespace + string reserved ("") +
 * string hash_algorithm + string H(message). `messageHash` is H(message) with `hashAlg`.
 */
export function sshsigSignedData(
  namespace: string,
  messageHash: Uint8Array,
  hashAlg: SshsigHashAlg = 'sha512',
): Uint8Array {
  if (namespace === '') formatError('SSHSIG namespace must not be empty');
  const expected = hashAlg === 'sha512' ? 64 : 32;
  if (messageHash.length !== expected) {
    formatError(`${hashAlg} message hash must be ${expected} bytes, got ${messageHash.length}`);
  }
  return concatBytes(
    utf8Encode(SSHSIG_MAGIC),
    sshString(namespace),
    sshString(''),
    sshString(hashAlg),
    sshString(messageHash),
  );
}

/** SSH public key blob of a raw 32-byte Ed25519 key: string "ssh-ed25519" + string key. */
export function ed25519PublicKeyBlob(raw32: Uint8Array): Uint8Array {
  if (raw32.length !== 32) formatError(`Ed25519 public key must be 32 bytes, got ${raw32.length}`);
  return concatBytes(sshString(ED25519_KEY_TYPE), sshString(raw32));
}

/** The raw 32-byte key inside an Ed25519 public key blob. @throws SshsigFormatError */
export function ed25519KeyFromBlob(blob: Uint8Array): Uint8Array {
  return parse(() => {
    const r = new SshReader(blob);
    const type = r.text();
    if (type !== ED25519_KEY_TYPE) formatError(`unsupported key type ${type}`);
    const key = r.bytesString();
    if (key.length !== 32 || !r.done) formatError('malformed ssh-ed25519 public key blob');
    return key;
  });
}

/** `ssh-ed25519 AAAA… comment`, as in authorized_keys, `.pub` files and allowed_signers. */
export function openSshPublicKeyLine(raw32: Uint8Array, comment = ''): string {
  if (/[\r\n]/.test(comment)) formatError('public key comment must be one line');
  const line = `${ED25519_KEY_TYPE} ${encodeBase64(ed25519PublicKeyBlob(raw32))}`;
  return comment ? `${line} ${comment}` : line;
}

/** A parsed OpenSSH public key line. */
export interface OpenSshPublicKey {
  keyType: typeof ED25519_KEY_TYPE;
  blob: Uint8Array;
  /** Raw 32-byte Ed25519 key. */
  publicKey: Uint8Array;
  comment: string;
}

/**
 * Parses `ssh-ed25519 AAAA… [comment]` (no options prefix). The type word must match the type
 * inside the blob. @throws SshsigFormatError for other key types or malformed lines.
 */
export function parseOpenSshPublicKeyLine(line: string): OpenSshPublicKey {
  const m = /^\s*(\S+)\s+([A-Za-z0-9+/]+={0,2})(?:\s+(.*?))?\s*$/.exec(line);
  if (!m) formatError('not an OpenSSH public key line');
  if (m[1] !== ED25519_KEY_TYPE) formatError(`unsupported key type ${m[1]}`);
  const blob = parse(() => decodeBase64(m[2] as string));
  return {
    keyType: ED25519_KEY_TYPE,
    blob,
    publicKey: ed25519KeyFromBlob(blob),
    comment: m[3] ?? '',
  };
}

/**
 * One allowed_signers line for `ssh-keygen -Y verify`:
 * `<principal> namespaces="<ns>[,<ns>…]" ssh-ed25519 AAAA…`.
 */
export function allowedSignersLine(
  principal: string,
  namespaces: readonly string[],
  publicKeyLine: string,
): string {
  if (!/^[^\s"]+$/.test(principal)) formatError('principal must be one word without quotes');
  if (namespaces.some((n) => !/^[^\s",]+$/.test(n))) formatError('invalid namespace');
  const key = parseOpenSshPublicKeyLine(publicKeyLine);
  const keyPart = `${key.keyType} ${encodeBase64(key.blob)}`;
  const options = namespaces.length ? ` namespaces="${namespaces.join(',')}"` : '';
  return `${principal}${options} ${keyPart}`;
}

/** Armored SSHSIG text exactly as ssh-keygen writes it (base64 at 70 columns, final newline). */
export function encodeSshsig(fields: SshsigFields): string {
  ed25519KeyFromBlob(fields.publicKeyBlob);
  if (!SSHSIG_HASH_ALGS.includes(fields.hashAlg)) formatError(`bad hash ${fields.hashAlg}`);
  if (fields.namespace === '') formatError('SSHSIG namespace must not be empty');
  if (fields.signature.length !== 64) formatError('Ed25519 signature must be 64 bytes');
  const blob = concatBytes(
    utf8Encode(SSHSIG_MAGIC),
    sshUint32(SSHSIG_VERSION),
    sshString(fields.publicKeyBlob),
    sshString(fields.namespace),
    sshString(''),
    sshString(fields.hashAlg),
    sshString(concatBytes(sshString(ED25519_KEY_TYPE), sshString(fields.signature))),
  );
  const b64 = encodeBase64(blob);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += ARMOR_WIDTH) lines.push(b64.slice(i, i + ARMOR_WIDTH));
  return `${ARMOR_BEGIN}\n${lines.join('\n')}\n${ARMOR_END}\n`;
}

/**
 * Parses an armored SSHSIG signature (Ed25519, version 1). Does not verify anything
 * cryptographic; see {@link checkSshsig} and the callers' verifySshsig.
 * @throws SshsigFormatError when the text is not a well-formed Ed25519 SSHSIG.
 */
export function decodeSshsig(armored: string): DecodedSshsig {
  const text = armored.trim();
  if (!text.startsWith(ARMOR_BEGIN) || !text.endsWith(ARMOR_END)) {
    formatError('missing SSH SIGNATURE armor');
  }
  const body = text.slice(ARMOR_BEGIN.length, text.length - ARMOR_END.length);
  return parse(() => {
    const r = new SshReader(decodeBase64(body));
    const magic = r.raw(6);
    if (!bytesEqual(magic, utf8Encode(SSHSIG_MAGIC))) formatError('bad SSHSIG magic');
    const version = r.uint32();
    if (version !== SSHSIG_VERSION) formatError(`unsupported SSHSIG version ${version}`);
    const publicKeyBlob = r.bytesString();
    const publicKey = ed25519KeyFromBlob(publicKeyBlob);
    const namespace = r.text();
    r.bytesString(); // reserved: ignored, as ssh-keygen does
    const hashAlg = r.text();
    if (!(SSHSIG_HASH_ALGS as readonly string[]).includes(hashAlg)) {
      formatError(`unsupported SSHSIG hash algorithm ${hashAlg}`);
    }
    const sig = new SshReader(r.bytesString());
    if (!r.done) formatError('trailing data after SSHSIG');
    const sigType = sig.text();
    if (sigType !== ED25519_KEY_TYPE) formatError(`unsupported signature type ${sigType}`);
    const signature = sig.bytesString();
    if (signature.length !== 64 || !sig.done) formatError('malformed Ed25519 signature');
    if (namespace === '') formatError('empty SSHSIG namespace');
    return {
      version,
      publicKeyBlob,
      publicKey,
      namespace,
      hashAlg: hashAlg as SshsigHashAlg,
      signature,
    };
  });
}

/** What a caller needs to finish verification with its crypto: hash, then verify. */
export type SshsigCheck = { ok: true; signature: DecodedSshsig } | { ok: false; reason: string };

/**
 * The non-cryptographic half of verification: the signature parses, its namespace is the
 * expected one and its key is the expected (pinned) key. On ok the caller computes
 * `sshsigSignedData(namespace, H(message), signature.hashAlg)` and verifies
 * `signature.signature` over it with `signature.publicKey`.
 */
export function checkSshsig(
  armored: string,
  namespace: string,
  expectedPublicKeyLine: string,
): SshsigCheck {
  let expected: OpenSshPublicKey;
  let signature: DecodedSshsig;
  try {
    expected = parseOpenSshPublicKeyLine(expectedPublicKeyLine);
    signature = decodeSshsig(armored);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  if (signature.namespace !== namespace) {
    return { ok: false, reason: `namespace is ${signature.namespace}, expected ${namespace}` };
  }
  if (!bytesEqual(signature.publicKey, expected.publicKey)) {
    return { ok: false, reason: 'signed by a different key than the pinned one' };
  }
  return { ok: true, signature };
}

/** Runs a parser and turns any low-level error into an SshsigFormatError. */
function parse<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SshsigFormatError) throw error;
    throw new SshsigFormatError((error as Error).message);
  }
}
