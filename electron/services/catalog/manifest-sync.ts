import crypto from 'node:crypto';
import { bucketLayout, SIGNATURE_NAMESPACES } from '../../../shared/agent/bucket-layout';
import { parseManifestJson, type RecoveryPointManifest } from '../../../shared/agent/manifest';
import type { ManifestSignatureState } from '../../../shared/catalog';
import { verifySshsig } from '../../../node/signing';
import { ringId, verifyWithRing, type AgentKeyRing } from './agent-key-ring';
import type { BucketObject, BucketReader } from './bucket-lister';

/** A manifest as read and checked, kept in the cache so it is fetched only once. */
export interface CachedManifest {
  label: string;
  key: string;
  /** ETags of manifest and signature when read: a change means read again. */
  etag: string;
  sigEtag: string | null;
  /** The agent keys it was checked against (ringId: public; null: none pinned). */
  verifiedWith: string | null;
  sha256: string;
  signature: ManifestSignatureState;
  /** Null when the bytes are not a valid manifest of this server. */
  manifest: RecoveryPointManifest | null;
}

const CONCURRENCY = 4;

/**
 * Checks one manifest: SHA-256 of the downloaded bytes, and the SSHSIG signature over exactly
 * those bytes (namespace kumiko-manifest) against the agent key pinned at install, or a key an
 * earlier agent of the server had, for what it signed before it was retired. The bytes are
 * parsed only after hashing; an invalid signature is recorded, never dropped silently.
 */
export function checkManifest(
  serverId: string,
  label: string,
  bytes: Buffer,
  signature: Buffer | null,
  keys: AgentKeyRing,
): Pick<CachedManifest, 'sha256' | 'signature' | 'manifest'> {
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  let manifest: RecoveryPointManifest | null = null;
  try {
    const parsed = parseManifestJson(bytes.toString('utf8'));
    if (parsed.serverId === serverId && parsed.label === label) manifest = parsed;
  } catch {
    // Not a manifest: kept as null, reported by the catalog as unusable.
  }
  const state: ManifestSignatureState = !signature
    ? 'missing'
    : verifyWithRing(
        keys,
        (key) =>
          verifySshsig(signature.toString('utf8'), bytes, SIGNATURE_NAMESPACES.manifest, key),
        () => manifest?.createdAt ?? null,
      );
  return { sha256, signature: state, manifest };
}

/**
 * The manifests under `manifests/`, reading only those that are new or changed (or all with
 * `full`), or checked against other agent keys than now.
 */
export async function syncManifests(
  lister: BucketReader,
  serverId: string,
  keys: AgentKeyRing,
  cached: Readonly<Record<string, CachedManifest>>,
  full: boolean,
): Promise<Record<string, CachedManifest>> {
  const prefix = bucketLayout.manifestsPrefix(serverId);
  const objects = await lister.list(prefix);
  const byKey = new Map(objects.map((o) => [o.key, o]));
  const wanted: { label: string; json: BucketObject; sig: BucketObject | undefined }[] = [];
  for (const o of objects) {
    const m = /^([^/]+)\.json$/.exec(o.key.slice(prefix.length));
    if (!m) continue;
    wanted.push({ label: m[1] as string, json: o, sig: byKey.get(`${o.key}.sig`) });
  }
  const out: Record<string, CachedManifest> = {};
  const toRead = wanted.filter(({ label, json, sig }) => {
    const c = cached[label];
    const fresh =
      !full &&
      c !== undefined &&
      c.etag === json.etag &&
      c.sigEtag === (sig?.etag ?? null) &&
      c.verifiedWith === ringId(keys);
    if (fresh) out[label] = c;
    return !fresh;
  });
  for (let i = 0; i < toRead.length; i += CONCURRENCY) {
    await Promise.all(
      toRead.slice(i, i + CONCURRENCY).map(async ({ label, json, sig }) => {
        const [bytes, signature] = await Promise.all([
          lister.get(json.key),
          sig ? lister.get(sig.key) : Promise.resolve(null),
        ]);
        if (!bytes) return; // deleted since the listing (retention): gone
        out[label] = {
          label,
          key: json.key,
          etag: json.etag,
          sigEtag: signature ? (sig?.etag ?? null) : null,
          verifiedWith: ringId(keys),
          ...checkManifest(serverId, label, bytes, signature, keys),
        };
      }),
    );
  }
  return out;
}
