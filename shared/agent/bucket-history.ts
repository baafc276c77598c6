/**
 * The bucket as it was at a moment T, from its version history (issue 20, fault 8). After an
 * attack with the agent's own key, the current objects are delete markers or overwrites; with
 * versioning (and Object Lock) the versions from before are still there. pgBackRest 2.45 has no
 * repo-target-time and restic reads only current objects, so the agent copies the versions that
 * were current at T into a local repository and restores from that. Pure: listing in, choice
 * out; node/storage/version-history.ts talks to S3.
 */

/** One entry of ListObjectVersions (a version or a delete marker). */
export interface ObjectVersion {
  key: string;
  versionId: string;
  lastModified: Date;
  /** Bytes (0 for a delete marker). */
  size: number;
  /** The ETag without quotes ('' for a delete marker). */
  etag: string;
  deleteMarker: boolean;
}

/** The versions that were current at T, one per key, and why the history may not be whole. */
export interface BucketAsOf {
  at: Date;
  /** Keys current at T (no delete marker newest at T), with the version to read. */
  objects: ObjectVersion[];
  /**
   * Versions without an id ('null': written while versioning was off or suspended): such an
   * object keeps no history, so what it was at T may be gone.
   */
  unversioned: number;
}

/**
 * For each key, the newest entry written at or before `at`; keys whose newest such entry is a
 * delete marker (deleted by T) or that have none (made after T) are left out. Entries with the
 * same time (S3 keeps milliseconds at best) are ordered by their place in the listing, which
 * S3 gives newest first.
 */
export function bucketAsOf(versions: readonly ObjectVersion[], at: Date): BucketAsOf {
  const chosen = new Map<string, ObjectVersion>();
  const limit = at.getTime();
  for (const v of versions) {
    if (v.lastModified.getTime() > limit) continue;
    const seen = chosen.get(v.key);
    // The listing is newest first per key: the first one at or before T wins.
    if (!seen) chosen.set(v.key, v);
  }
  const objects = [...chosen.values()]
    .filter((v) => !v.deleteMarker)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const unversioned = versions.filter((v) => v.versionId === 'null' && !v.deleteMarker).length;
  return { at, objects, unversioned };
}

/**
 * Objects that are rewritten or removed in normal work, so a new version or a delete marker of
 * them says nothing about an attack: pgBackRest's info files and backup manifests, restic's
 * locks, the heartbeat, the agent's public key (published with every recovery point), the
 * bucket-protection probe, drill reports and the erasure ledger.
 */
export function isMutableObject(key: string): boolean {
  return (
    /\/(?:backup|archive)\.info(?:\.copy)?$/.test(key) ||
    // pgBackRest saves a running backup's manifest again and again (for a resume).
    /\/backup\.manifest(?:\.copy)?$/.test(key) ||
    /\/agent\.pub$/.test(key) ||
    /\/restic\/locks\//.test(key) ||
    /\/heartbeat\.json$/.test(key) ||
    /\/\.probe\//.test(key) ||
    /\/drills\//.test(key) ||
    /\/gdpr\//.test(key)
  );
}

/** The first damage to a write-once object, and how much of it the history shows. */
export interface DamageReport {
  /** Time of the first overwrite or delete marker of a write-once object; null: none seen. */
  firstDamageAt: Date | null;
  /** The newest moment whose objects are all intact: just before the first damage. */
  intactUntil: Date | null;
  /** The key damaged first. */
  firstKey: string | null;
  /** Write-once objects deleted (newest entry a delete marker) or overwritten. */
  deleted: number;
  overwritten: number;
}

/** Overwrites or deletes within this gap of each other count as one burst. */
const BURST_GAP_MS = 15 * 60_000;

/**
 * Names the attack for the admin: write-once objects (WAL segments, backup files, restic packs,
 * manifests) are never rewritten by the agent, and deleted only by retention, a few old ones at
 * a time; an attacker rewrites or deletes them all within minutes. The damage is the newest
 * burst of such changes (bursts more than 15 minutes apart are separate events, so an earlier
 * retention run is not taken for the attack); the moment before its first change is the newest
 * one whose objects are all intact.
 */
export function findDamage(versions: readonly ObjectVersion[]): DamageReport {
  const byKey = new Map<string, ObjectVersion[]>();
  for (const v of versions) {
    if (isMutableObject(v.key)) continue;
    const list = byKey.get(v.key) ?? [];
    list.push(v);
    byKey.set(v.key, list);
  }
  const events: { at: number; key: string }[] = [];
  let deleted = 0;
  let overwritten = 0;
  for (const [key, list] of byKey) {
    const oldestFirst = [...list].sort(
      (a, b) => a.lastModified.getTime() - b.lastModified.getTime(),
    );
    // Every entry after the first real version is damage: a delete marker or a rewrite.
    const first = oldestFirst.findIndex((v) => !v.deleteMarker);
    if (first < 0) continue;
    const later = oldestFirst.slice(first + 1);
    if (later.length === 0) continue;
    for (const v of later) events.push({ at: v.lastModified.getTime(), key });
    if (oldestFirst.at(-1)?.deleteMarker) deleted += 1;
    else overwritten += 1;
  }
  if (events.length === 0)
    return { firstDamageAt: null, intactUntil: null, firstKey: null, deleted, overwritten };
  events.sort((a, b) => a.at - b.at);
  let start = 0;
  for (let i = 1; i < events.length; i++) {
    if ((events[i] as { at: number }).at - (events[i - 1] as { at: number }).at > BURST_GAP_MS)
      start = i;
  }
  const first = events[start] as { at: number; key: string };
  return {
    firstDamageAt: new Date(first.at),
    // S3 times are to the millisecond at best; a second earlier is safely before it.
    intactUntil: new Date(Math.floor(first.at / 1000) * 1000 - 1000),
    firstKey: first.key,
    deleted,
    overwritten,
  };
}

/**
 * A key of the listing as a relative path below a local folder: every segment a plain name (no
 * '', '.', '..', no NUL or backslash), so a key from the bucket (untrusted) never points outside
 * the copy. Null for a key that cannot be one.
 */
export function safeRelativePath(key: string, prefix: string): string | null {
  if (!key.startsWith(prefix)) return null;
  const segments = key.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || /[\0\\]/.test(s))) return null;
  return segments.join('/');
}
