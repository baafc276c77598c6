import { GetObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { safeRelativePath, type ObjectVersion } from '../../shared/agent/bucket-history';

// The S3 side of restoring from the bucket's version history (issue 20, fault 8), for app and
// agent: list every version and delete marker under a prefix, and copy chosen versions into a
// local folder, each checked against the listing. Read rights only: s3:ListBucketVersions
// (ListObjectVersions) and s3:GetObjectVersion (GetObject with a version id).

/** Every version and delete marker under `prefix`, newest first per key (S3's order). */
export async function listObjectVersions(
  client: S3Client,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
): Promise<ObjectVersion[]> {
  const out: ObjectVersion[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        KeyMarker: keyMarker,
        VersionIdMarker: versionMarker,
      }),
      signal ? { abortSignal: signal } : {},
    );
    // Versions and delete markers come in two lists; merged back per key, newest first.
    const entries: (ObjectVersion & { latest: boolean })[] = [
      ...(page.Versions ?? []).map((v) => ({
        key: v.Key ?? '',
        versionId: v.VersionId ?? 'null',
        lastModified: v.LastModified ?? new Date(0),
        size: v.Size ?? 0,
        etag: (v.ETag ?? '').replace(/"/g, ''),
        deleteMarker: false,
        latest: v.IsLatest === true,
      })),
      ...(page.DeleteMarkers ?? []).map((m) => ({
        key: m.Key ?? '',
        versionId: m.VersionId ?? 'null',
        lastModified: m.LastModified ?? new Date(0),
        size: 0,
        etag: '',
        deleteMarker: true,
        latest: m.IsLatest === true,
      })),
    ];
    entries.sort(
      (a, b) =>
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) ||
        // The current one first, then by time (same-millisecond versions keep S3's order).
        Number(b.latest) - Number(a.latest) ||
        b.lastModified.getTime() - a.lastModified.getTime(),
    );
    for (const { latest: _latest, ...entry } of entries) if (entry.key) out.push(entry);
    if (!page.IsTruncated) return out;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
    if (!keyMarker) return out;
  }
}

/** What {@link copyVersions} wrote. */
export interface CopiedVersions {
  files: number;
  bytes: number;
}

/**
 * Reads each version (GetObject with its version id) into `targetDir/<key>` and checks it
 * against the listing: the size always, the MD5 where the ETag is one (a single-part upload).
 * Keys are untrusted: each must be a plain relative path under `prefix`
 * ({@link safeRelativePath}); files are created new (O_EXCL, never through a symlink) in a
 * folder only this process writes, with `fileMode`, and folders with `dirMode`.
 * @throws Error naming the key when a version cannot be read or does not match the listing.
 */
export async function copyVersions(
  client: S3Client,
  bucket: string,
  prefix: string,
  versions: readonly ObjectVersion[],
  targetDir: string,
  options: {
    signal?: AbortSignal;
    fileMode?: number;
    dirMode?: number;
    /** Called after each file with the bytes copied so far. */
    onBytes?: (bytes: number) => void;
    /** Group of every file and folder made (the owner stays this process's user). */
    gid?: number;
    /** Parallel downloads (default 4). */
    parallel?: number;
  } = {},
): Promise<CopiedVersions> {
  const fileMode = options.fileMode ?? 0o600;
  const dirMode = options.dirMode ?? 0o700;
  let bytes = 0;
  let next = 0;
  const made = new Set<string>([targetDir]);
  const ensureDir = (dir: string): void => {
    if (made.has(dir)) return;
    if (dir !== targetDir) ensureDir(path.dirname(dir));
    try {
      fs.mkdirSync(dir, { mode: dirMode });
      if (options.gid !== undefined) fs.lchownSync(dir, process.getuid?.() ?? 0, options.gid);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    made.add(dir);
  };
  const one = async (v: ObjectVersion): Promise<void> => {
    const relative = safeRelativePath(v.key, prefix);
    if (relative === null)
      throw new Error(`the bucket lists a key that is no plain path: ${v.key}`);
    const file = path.join(targetDir, relative);
    ensureDir(path.dirname(file));
    const answer = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: v.key, VersionId: v.versionId }),
      options.signal ? { abortSignal: options.signal } : {},
    );
    const hash = crypto.createHash('md5');
    let size = 0;
    const fd = fs.openSync(
      file,
      fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW,
      fileMode,
    );
    if (options.gid !== undefined) fs.fchownSync(fd, process.getuid?.() ?? 0, options.gid);
    const out = fs.createWriteStream('', { fd });
    const body = answer.Body as Readable | undefined;
    if (body) {
      body.on('data', (chunk: Buffer) => {
        size += chunk.length;
        hash.update(chunk);
      });
      await pipeline(body, out, options.signal ? { signal: options.signal } : {});
    } else {
      await new Promise<void>((resolve, reject) =>
        out.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
    }
    if (size !== v.size)
      throw new Error(`${v.key} (version ${v.versionId}): read ${size} bytes, listed ${v.size}`);
    if (/^[0-9a-f]{32}$/.test(v.etag) && hash.digest('hex') !== v.etag)
      throw new Error(`${v.key} (version ${v.versionId}): its content does not match its ETag`);
    bytes += size;
    options.onBytes?.(bytes);
  };
  const worker = async (): Promise<void> => {
    while (next < versions.length) {
      const v = versions[next++] as ObjectVersion;
      await one(v);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.parallel ?? 4, versions.length)) }, worker),
  );
  return { files: versions.length, bytes };
}
