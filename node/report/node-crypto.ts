import { createHash } from 'node:crypto';
import type { VerifyCrypto } from '../../shared/report/verify';
import { verifySshsig } from '../signing';

// node:crypto behind the function types shared/report asks for (shared has no Node built-ins).

/** SHA-256 of bytes. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/** What shared/report/verify.ts needs, with node:crypto. */
export const nodeVerifyCrypto: VerifyCrypto = {
  sha256,
  verifySshsig: (armored, message, namespace, publicKeyLine) =>
    verifySshsig(armored, Buffer.from(message), namespace, publicKeyLine),
};
