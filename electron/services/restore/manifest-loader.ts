import crypto from 'node:crypto';
import { bucketLayout } from '../../../shared/agent/bucket-layout';
import { parseManifestJson } from '../../../shared/agent/manifest';
import type { CatalogModel } from '../../../shared/catalog';
import { readBucketObject } from '../storage/bucket-reader';
import type { StorageService } from '../storage/storage-service';
import type { TrustedManifest } from './manifest-check';

/**
 * A recovery point's manifest from the bucket, used only when its bytes hash to what the
 * catalog verified, so the catalog's signature state applies to exactly these bytes. Null when
 * the point has no manifest or the bytes changed since.
 */
export async function loadTrustedManifest(
  storage: StorageService,
  serverId: string,
  model: CatalogModel,
  label: string,
): Promise<TrustedManifest | null> {
  const entry = model.backups.find((b) => b.label === label)?.entry.manifest;
  if (!entry) return null;
  const bytes = await readBucketObject(
    storage,
    serverId,
    entry.key || bucketLayout.manifest(serverId, label),
  );
  if (!bytes) return null;
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== entry.sha256) return null;
  try {
    return { manifest: parseManifestJson(bytes.toString('utf8')), signature: entry.signature };
  } catch {
    return null;
  }
}
