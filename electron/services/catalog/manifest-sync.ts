import crypto from 'node:crypto';
import { bucketLayout, SIGNATURE_NAMESPACES } from '../../../shared/agent/bucket-layout';
import { parseManifestJson, type RecoveryPointManifest } from '../../../shared/agent/manifest';
import type { ManifestSignatureState } from '../../../shared/catalog';
import { verifySshsig } from '../../../node/signing';
import type { BucketObject, BucketReader } from './bucket-lister';

/** A manifest as read and checked, kept in the cache so it is fetched only once. */
export interface CachedManifest {
  label: string;
  key: string;
  /** ETags of manifest and signature when read: a change means read again. */
  etag: string;
  sigEtag: string | null;
  /** The pinned key line it was checked against (public; null: none pinned). */
  verifiedWith: string | null;
  sha256: string;
  signature: ManifestSignatureState;
  /** Null when the bytes are not a valid manifest of this server. */
  manifest: RecoveryPointManifest | null;
}

const CONCURRENCY = 4;

/**
 * Checks one manifest: SHA-256 of the downloaded bytes, and the SSHSIG signature over exactly
 * those bytes (namespace kumiko-manifest) against the agent key pinned at install. The bytes
 * are parsed only after hashing; an invalid signature is recorded, never dropped silently.
 */
export function checkManifest(
  serverId: string,
  label: string,
  bytes: Buffer,
  signature: Buffer | null,
  pinnedKey: string | null,
): Pick<CachedManifest, 'sha256' | 'signature' | 'manifest'> {
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  let state: ManifestSignatureState;
  if (!signature) state = 'missing';
  else if (!pinnedKey) state = 'no-pinned-key';
  else {
    const ok = verifySshsig(
      signature.toString('utf8'),
      bytes,
      SIGNATURE_NAMESPACES.manifest,
      pinnedKey,
    );
    state = ok ? 'valid' : 'invalid';
  }
  let manifest: RecoveryPointManifest | null = null;
  try {
    const parsed = parseManifestJson(bytes.toString('utf8'));
    if (parsed.serverId === serverId && parsed.label === label) manifest = parsed;
  } catch {
    // Not a manifest: kept as null, reported by the catalog as unusable.
  }
  return { sha256, signature: state, manifest };
}

/**
 * The manifests under `manifests/`, reading only those that are new or changed (or all with
 * `full`), or checked against a different pinned key than now.
 */
export async function syncManifests(
  lister: BucketReader,
  serverId: string,
  pinnedKey: string | null,
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
      c.verifiedWith === pinnedKey;
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
          verifiedWith: pinnedKey,
          ...checkManifest(serverId, label, bytes, signature, pinnedKey),
        };
      }),
    );
  }
  return out;
}
