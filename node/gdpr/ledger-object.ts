import { createHmac, randomBytes } from 'node:crypto';
import {
  ERASURE_SIGNATURE_NAMESPACE,
  ErasureLedgerEntry,
  LEDGER_KEY,
  LEDGER_LIMITS,
  SignedLedgerObject,
} from '../../shared/agent/erasure-ledger';
import { signSshsig, verifySshsig } from '../signing';

// The erasure ledger's crypto, for the app (writes entries: keyed hashes, signature) and the
// agent (verifies every entry against the app key pinned in its config before a replay may
// delete anything). Node-only: HMAC and Ed25519 from node:crypto.

/** A new ledger key for a server: 32 random bytes, hex. */
export function newLedgerKey(): string {
  return randomBytes(32).toString('hex');
}

/** The hash an entry records for one key value: HMAC-SHA256(ledger key, UTF-8 text), hex. */
export function subjectKeyHash(ledgerKey: string, value: string): string {
  if (!LEDGER_KEY.test(ledgerKey)) throw new Error('the ledger key is not 32 bytes of hex');
  return createHmac('sha256', Buffer.from(ledgerKey, 'hex')).update(value, 'utf8').digest('hex');
}

/** The bucket object for an entry: its JSON text and the app's SSHSIG over exactly that text. */
export function signLedgerEntry(entry: ErasureLedgerEntry, privateKeyPem: string): string {
  const text = JSON.stringify(ErasureLedgerEntry.parse(entry));
  const object: SignedLedgerObject = {
    format: 'kumiko-erasure-signed-1',
    entry: text,
    signature: signSshsig(privateKeyPem, text, ERASURE_SIGNATURE_NAMESPACE),
  };
  return JSON.stringify(object);
}

/** An opened ledger object: the verified entry, or why it may not be replayed. */
export type OpenedLedgerObject =
  { ok: true; entry: ErasureLedgerEntry } | { ok: false; why: string };

/**
 * Verifies one ledger object from the bucket (untrusted): the size, the envelope, the app's
 * signature against `signerKey` (the public key line pinned in the agent's config), and only
 * then the entry, which must name `serverId`. Never throws.
 */
export function openLedgerObject(
  body: Buffer,
  signerKey: string | null,
  serverId: string,
): OpenedLedgerObject {
  if (body.length > LEDGER_LIMITS.objectBytes)
    return { ok: false, why: `larger than ${LEDGER_LIMITS.objectBytes} bytes` };
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, why: 'not JSON' };
  }
  const signed = SignedLedgerObject.safeParse(raw);
  if (!signed.success) return { ok: false, why: 'not a signed ledger entry' };
  if (!signerKey) return { ok: false, why: 'no ledger signing key is pinned on this server' };
  if (
    !verifySshsig(signed.data.signature, signed.data.entry, ERASURE_SIGNATURE_NAMESPACE, signerKey)
  ) {
    return { ok: false, why: 'its signature does not verify against the pinned app key' };
  }
  let entryRaw: unknown;
  try {
    entryRaw = JSON.parse(signed.data.entry);
  } catch {
    return { ok: false, why: 'the signed entry is not JSON' };
  }
  const entry = ErasureLedgerEntry.safeParse(entryRaw);
  if (!entry.success)
    return { ok: false, why: `not a ledger entry: ${entry.error.issues[0]?.message ?? '?'}` };
  if (entry.data.serverId !== serverId) return { ok: false, why: 'it belongs to another server' };
  return { ok: true, entry: entry.data };
}
