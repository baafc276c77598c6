import crypto from 'node:crypto';
import { bucketLayout } from '../../../shared/agent/bucket-layout';
import { parseManifestJson, type RecoveryPointManifest } from '../../../shared/agent/manifest';
import type {
  CatalogModel,
  ManifestSignatureState,
  ResolvedRecovery,
} from '../../../shared/catalog';
import { phrase } from '../../../shared/contract/phrases';
import { AppError } from '../app-error';
import { readBucketObject } from '../storage/bucket-reader';
import type { StorageService } from '../storage/storage-service';

// A restore uses a manifest from the bucket only when its SSHSIG verified against the agent
// key pinned at install (the catalog checked it: manifest-sync.ts). Anyone who can write to the
// bucket can put a manifest there; only the agent can sign one. A point whose manifest does
// not verify is refused rather than restored "with a warning": a recovery point is its
// manifest (the numbers it is checked against, its attached files), and the same moment stays
// restorable as a time target, which uses only pgBackRest's own encrypted repository.

const UNVERIFIED: Record<Exclude<ManifestSignatureState, 'valid'>, string> = {
  missing: 'its manifest in the bucket has no signature',
  invalid: "its manifest's signature does not verify against the agent key pinned at install",
  'no-pinned-key': 'no agent key is pinned to verify its manifest with',
};

/**
 * Why a restore must not use the manifest of recovery point `label`, or null when it may (its
 * signature verified) or when the point has no manifest at all (then nothing of it is used).
 */
export function unverifiedManifestReason(model: CatalogModel, label: string): string | null {
  const signature = model.backups.find((b) => b.label === label)?.entry.manifest?.signature;
  return signature === undefined || signature === 'valid' ? null : UNVERIFIED[signature];
}

/**
 * Refuses (RESTORE_NOT_COVERED, with the reason) to restore recovery point `label` when its
 * manifest is in the bucket but does not verify, before anything happens on a server.
 */
export function requireVerifiedPoint(model: CatalogModel, label: string): void {
  const reason = unverifiedManifestReason(model, label);
  if (!reason) return;
  throw new AppError(
    'RESTORE_NOT_COVERED',
    `Recovery point ${label} is not restored: ${reason}, so nothing in it can be trusted ` +
      "(it may not come from this server's agent). Nothing was changed. A moment after it can " +
      "still be restored as a time: that uses only pgBackRest's encrypted repository, not the manifest.",
    {
      label,
      manifestSignature: model.backups.find((b) => b.label === label)?.entry.manifest?.signature,
    },
  );
}

/**
 * The resolution without attached files whose recovery point's manifest did not verify (its
 * restic snapshot id would come from an unsigned object), with a warning saying so.
 */
export function withVerifiedFiles(
  model: CatalogModel,
  resolved: ResolvedRecovery,
): ResolvedRecovery {
  const files = resolved.attachedFiles;
  const reason = files ? unverifiedManifestReason(model, files.label) : null;
  if (!files || !reason) return resolved;
  return {
    ...resolved,
    attachedFiles: null,
    warnings: [
      ...resolved.warnings,
      `Attached files are not restored: recovery point ${files.label} holds them, but ${reason}.`,
    ],
    warningWords: [
      ...resolved.warningWords,
      phrase('plan.filesUnverified', {
        label: files.label,
        why: model.backups.find((b) => b.label === files.label)?.entry.manifest?.signature ?? '',
      }),
    ],
  };
}

/**
 * A manifest as the app read it: the bytes hash to what the catalog read, and their signature
 * verified against the agent key pinned at install. Nothing else from the bucket is used.
 */
export interface TrustedManifest {
  manifest: RecoveryPointManifest;
  signature: 'valid';
}

/**
 * A recovery point's manifest from the bucket, used only when its signature verified and its
 * bytes hash to what the catalog verified, so the signature applies to exactly these bytes.
 * Null when the point has no such manifest or the bytes changed since.
 */
export async function loadTrustedManifest(
  storage: StorageService,
  serverId: string,
  model: CatalogModel,
  label: string,
): Promise<TrustedManifest | null> {
  const entry = model.backups.find((b) => b.label === label)?.entry.manifest;
  if (!entry || entry.signature !== 'valid') return null;
  const bytes = await readBucketObject(
    storage,
    serverId,
    entry.key || bucketLayout.manifest(serverId, label),
  );
  if (!bytes) return null;
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== entry.sha256) return null;
  try {
    const manifest = parseManifestJson(bytes.toString('utf8'));
    if (manifest.serverId !== serverId || manifest.label !== label) return null;
    return { manifest, signature: 'valid' };
  } catch {
    return null;
  }
}
