import { BUNDLE_FILES, isSafeRelativePath } from '../../../shared/report/bundle-layout';
import { SafeId } from '../../../shared/report/drill-result';
import { parseManifest } from '../../../shared/report/manifest';

/** An object in the bucket (key, LastModified in epoch ms, size). */
export interface ListedObject {
  key: string;
  time: number;
  size: number;
}

/** The objects of one report bundle in the bucket, `kumiko/<id>/drills/<drillId>/…`. */
export interface RemoteBundle {
  drillId: string;
  /** Relative path inside the bundle → bucket key. */
  files: Map<string, string>;
  bytes: number;
  /** LastModified of the newest object: an upload still in progress looks recent. */
  newest: number;
  /** Why the listing alone already rules the bundle out (unsafe names, too big); null if fine. */
  unsafe: string | null;
}

/** Above this a "report bundle" is not one (reports are PDFs, JSON and logs of a few MB). */
export const MAX_BUNDLE_BYTES = 200 * 1024 * 1024;

/**
 * Groups the keys under the drills prefix into bundles, sorted by drill id (ids sort by time,
 * so this is the chain's order). Names come from the bucket, which the app does not control:
 * a drill id or path that could escape a folder marks the bundle unsafe instead of being used.
 */
export function groupBundles(prefix: string, objects: readonly ListedObject[]): RemoteBundle[] {
  const byId = new Map<string, RemoteBundle>();
  for (const object of objects) {
    if (!object.key.startsWith(prefix)) continue;
    const rest = object.key.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) continue; // a loose object beside the bundles, not part of any
    const drillId = rest.slice(0, slash);
    const relative = rest.slice(slash + 1);
    let bundle = byId.get(drillId);
    if (!bundle) {
      bundle = { drillId, files: new Map(), bytes: 0, newest: 0, unsafe: null };
      byId.set(drillId, bundle);
    }
    bundle.bytes += object.size;
    bundle.newest = Math.max(bundle.newest, object.time);
    if (!SafeId.safeParse(drillId).success) bundle.unsafe ??= `unsafe drill id ${drillId}`;
    else if (relative === '')
      continue; // a "folder" marker object
    else if (!isSafeRelativePath(relative))
      bundle.unsafe ??= `unsafe file name ${JSON.stringify(relative)}`;
    else bundle.files.set(relative, object.key);
  }
  for (const bundle of byId.values()) {
    if (bundle.bytes > MAX_BUNDLE_BYTES) bundle.unsafe ??= `${bundle.bytes} bytes is too big`;
  }
  return [...byId.values()].sort((a, b) => (a.drillId < b.drillId ? -1 : 1));
}

/**
 * Files a downloaded bundle lacks: the manifest, its signature, or anything the manifest
 * lists. The agent uploads file by file, so a bundle listed mid-upload lacks some.
 */
export function missingFiles(files: ReadonlyMap<string, Uint8Array>): string[] {
  const manifest = files.get(BUNDLE_FILES.manifest);
  const missing: string[] = [];
  if (!manifest) missing.push(BUNDLE_FILES.manifest);
  if (!files.has(BUNDLE_FILES.signature)) missing.push(BUNDLE_FILES.signature);
  if (!manifest) return missing;
  const listed = parseManifest(Buffer.from(manifest).toString('utf8')).entries;
  for (const entry of listed) if (!files.has(entry.path)) missing.push(entry.path);
  return missing;
}
