import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { AppError } from '../app-error';
import { addressingFor, createS3Client, type OpenS3Client } from '../storage/s3-client';
import { codeFor, describeS3Error } from '../storage/s3-errors';
import type { StorageCredentials } from '../storage/storage-service';

/** One listed object. */
export interface BucketObject {
  key: string;
  /** LastModified, epoch ms. */
  time: number;
  size: number;
  etag: string;
}

/** Options of {@link BucketLister.list}. */
export interface ListOptions {
  startAfter?: string;
  /** Stop paging once this many objects were returned (S3 may return a few more). */
  limit?: number;
  /** Stop at the first key for which this is true (the key itself is not returned). */
  until?: (key: string) => boolean;
}

/** Socket timeout of the catalog's S3 requests. */
const LIST_TIMEOUT_MS = 30_000;

/** What the catalog reads a bucket with (a fake in unit tests). */
export interface BucketReader {
  list(prefix: string, options?: ListOptions): Promise<BucketObject[]>;
  folders(prefix: string): Promise<{ folders: string[]; objects: BucketObject[] }>;
  get(key: string): Promise<Buffer | null>;
}

/**
 * Read-only access to one bucket for the catalog: paginated ListObjectsV2, folder listings
 * and GETs. Every S3 failure becomes an AppError with the storage check's codes
 * (STORAGE_UNREACHABLE, STORAGE_ACCESS_DENIED, STORAGE_TLS_FAILED); messages never carry keys.
 */
export class BucketLister implements BucketReader {
  private readonly s3: OpenS3Client;
  /** S3 requests made, for diagnostics and tests. */
  requests = 0;

  constructor(private readonly creds: StorageCredentials) {
    this.s3 = createS3Client({
      ...addressingFor(creds.endpoint),
      region: creds.region,
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      maxAttempts: 2,
      // A listing page of 1000 keys can take an S3-compatible server on slow disks (MinIO,
      // Ceph, the test server under load) more than the 10 s a probe allows; a catalog that
      // gives up early shows nothing at all, so listings get longer.
      timeoutMs: LIST_TIMEOUT_MS,
      ...(creds.caCertificate ? { caCertificate: creds.caCertificate } : {}),
    });
  }

  close(): void {
    this.s3.close();
  }

  private async send<T>(what: string, run: () => Promise<T>): Promise<T> {
    this.requests++;
    try {
      return await run();
    } catch (err) {
      if (err instanceof AppError) throw err;
      const failure = describeS3Error(err);
      throw new AppError(
        codeFor(failure.kind),
        `Cannot read the bucket ${this.creds.bucket} (${what}): ${failure.text}`,
      );
    }
  }

  /** Every object under `prefix` (no delimiter), in key order, page by page. */
  async list(prefix: string, options: ListOptions = {}): Promise<BucketObject[]> {
    const out: BucketObject[] = [];
    let token: string | undefined;
    let startAfter = options.startAfter;
    for (;;) {
      const page = await this.send('list', () =>
        this.s3.client.send(
          new ListObjectsV2Command({
            Bucket: this.creds.bucket,
            Prefix: prefix,
            ContinuationToken: token,
            StartAfter: token ? undefined : startAfter,
            MaxKeys: options.limit ? Math.min(1000, options.limit - out.length + 1) : 1000,
          }),
        ),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        if (options.until?.(o.Key)) return out;
        out.push({
          key: o.Key,
          time: o.LastModified?.getTime() ?? 0,
          size: o.Size ?? 0,
          etag: o.ETag ?? '',
        });
      }
      if (!page.IsTruncated || (options.limit !== undefined && out.length >= options.limit))
        return out;
      token = page.NextContinuationToken;
      // Some S3-compatible servers omit the token: continue after the last key instead.
      if (!token) {
        startAfter = out[out.length - 1]?.key;
        if (!startAfter) return out;
      }
    }
  }

  /** The sub-folders (common prefixes, without `prefix`) and objects directly under `prefix`. */
  async folders(prefix: string): Promise<{ folders: string[]; objects: BucketObject[] }> {
    const folders: string[] = [];
    const objects: BucketObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.send('list folders', () =>
        this.s3.client.send(
          new ListObjectsV2Command({
            Bucket: this.creds.bucket,
            Prefix: prefix,
            Delimiter: '/',
            ContinuationToken: token,
          }),
        ),
      );
      for (const p of page.CommonPrefixes ?? []) {
        if (p.Prefix) folders.push(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
      }
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        const item = {
          time: o.LastModified?.getTime() ?? 0,
          size: o.Size ?? 0,
          etag: o.ETag ?? '',
        };
        objects.push({ key: o.Key, ...item });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return { folders: folders.sort(), objects };
  }

  /** The object's bytes, or null when it does not exist. */
  async get(key: string): Promise<Buffer | null> {
    return this.send('read', async () => {
      try {
        const out = await this.s3.client.send(
          new GetObjectCommand({ Bucket: this.creds.bucket, Key: key }),
        );
        return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : null;
      } catch (err) {
        // Deleted between listing and reading: absent, not a failure.
        const name = (err as { name?: string }).name;
        if (name === 'NoSuchKey' || name === 'NotFound') return null;
        throw err;
      }
    });
  }
}
