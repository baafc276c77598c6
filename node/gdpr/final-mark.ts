import {
  ERASURE_FINAL_NAMESPACE,
  ErasureFinalMark,
  SignedFinalMark,
} from '../../shared/agent/erasure-final';
import { signSshsig, verifySshsig } from '../signing';

// The crypto of the agent's "erasure final" marks (shared/agent/erasure-final.ts): the agent
// signs them with its key, the app verifies them against the agent key pinned at install.

/** The bucket object for a mark: its JSON text and the agent's SSHSIG over exactly that text. */
export function signFinalMark(mark: ErasureFinalMark, privateKeyPem: string): string {
  const text = JSON.stringify(ErasureFinalMark.parse(mark));
  const object: SignedFinalMark = {
    format: 'kumiko-erasure-final-signed-1',
    mark: text,
    signature: signSshsig(privateKeyPem, text, ERASURE_FINAL_NAMESPACE),
  };
  return JSON.stringify(object);
}

/**
 * Verifies a mark read from the bucket (untrusted) against `agentKey` (an OpenSSH public key
 * line), for `serverId`: the mark, or null when it is none the agent signed. Never throws.
 */
export function openFinalMark(
  body: Buffer,
  agentKey: string,
  serverId: string,
): ErasureFinalMark | null {
  if (body.length > 16_000) return null;
  try {
    const signed = SignedFinalMark.safeParse(JSON.parse(body.toString('utf8')));
    if (!signed.success) return null;
    if (!verifySshsig(signed.data.signature, signed.data.mark, ERASURE_FINAL_NAMESPACE, agentKey))
      return null;
    const mark = ErasureFinalMark.safeParse(JSON.parse(signed.data.mark));
    return mark.success && mark.data.serverId === serverId ? mark.data : null;
  } catch {
    return null;
  }
}
