import type { ManifestSignatureState } from '../../../shared/catalog';

/** A key a server's agent had before its current one, and when it stopped signing. */
export interface RetiredAgentKey {
  publicKey: string;
  retiredAt: string;
}

/**
 * The agent keys a server's signatures are checked against: the one pinned now, and those its
 * earlier agents had. An uninstall destroys the agent's key and a reinstall makes a new one,
 * while the recovery points the old key signed stay in the bucket for their retention: without
 * the earlier keys they would all read as tampered with, and neither restore nor kit import
 * would accept them.
 */
export interface AgentKeyRing {
  current: string | null;
  retired: readonly RetiredAgentKey[];
}

/** Names the ring for the cache: a result checked against another ring is checked again. */
export function ringId(ring: AgentKeyRing): string | null {
  if (!ring.current && ring.retired.length === 0) return null;
  return [ring.current ?? '', ...ring.retired.map((k) => `${k.publicKey}@${k.retiredAt}`)].join(
    '\n',
  );
}

/**
 * Whether `verify` accepts the signature with a key of the ring. A retired key counts only for
 * what it signed before it was retired (`signedAt`, the signed document's own time, null when
 * unknown): a key that has left the app's trust signs nothing new, even if someone kept a copy.
 */
export function verifyWithRing(
  ring: AgentKeyRing,
  verify: (publicKey: string) => boolean,
  signedAt: () => string | null,
): ManifestSignatureState {
  if (!ring.current && ring.retired.length === 0) return 'no-pinned-key';
  if (ring.current && verify(ring.current)) return 'valid';
  for (const key of ring.retired) {
    if (!verify(key.publicKey)) continue;
    const at = signedAt();
    if (at !== null && Date.parse(at) <= Date.parse(key.retiredAt)) return 'valid';
  }
  return 'invalid';
}
