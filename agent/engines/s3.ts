import fs from 'node:fs';
import https from 'node:https';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { BucketProtectionFacts } from '../../shared/agent/bucket-protection';
import type { AgentConfig } from '../../shared/agent/config';
import { probeBucketProtection } from '../../node/storage/bucket-protection-probe';

/** The few bucket operations the agent needs. */
export interface Bucket {
  /** `signal` ends the upload (also one whose connection hangs, which no timeout here ends). */
  put(key: string, body: string | Buffer, contentType: string, signal?: AbortSignal): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  /**
   * Keys under `prefix` (all pages), optionally only those after `startAfter`, and at most
   * `limit` of them (one request of that size) when given.
   */
  list(prefix: string, startAfter?: string, limit?: number): Promise<string[]>;
  delete(keys: string[]): Promise<void>;
  close(): void;
}

/**
 * An S3 client for the configured bucket. TLS is always verified: a private CA is added with
 * an https.Agent, never by switching verification off. Path-style addressing for everything
 * but AWS, since on-prem servers (MinIO, Ceph) rarely have wildcard DNS for bucket names.
 * Timeouts are short so a heartbeat during an outage fails fast instead of hanging.
 */
export function openBucket(s3: AgentConfig['s3']): Bucket {
  const { client, httpsAgent } = s3Client(s3);
  const Bucket = s3.bucket;
  return {
    async put(key, body, contentType, signal) {
      await client.send(
        new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType }),
        signal ? { abortSignal: signal } : {},
      );
    },
    async get(key) {
      try {
        const result = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return Buffer.from((await result.Body?.transformToByteArray()) ?? []);
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async list(prefix, startAfter, limit) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket,
            Prefix: prefix,
            ContinuationToken: token,
            ...(startAfter && !token ? { StartAfter: startAfter } : {}),
            ...(limit ? { MaxKeys: Math.min(1000, limit - keys.length) } : {}),
          }),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token && (!limit || keys.length < limit));
      return limit ? keys.slice(0, limit) : keys;
    },
    async delete(keys) {
      // One DeleteObject per key: retention deletes a handful of manifests, and the
      // multi-object delete needs a checksum header that not every S3-compatible server takes.
      for (const Key of keys) await client.send(new DeleteObjectCommand({ Bucket, Key }));
    },
    close() {
      client.destroy();
      httpsAgent.destroy();
    },
  };
}

/** The S3 client of {@link openBucket}, with its agent (destroy both when done). */
export function s3Client(
  s3: AgentConfig['s3'],
  maxAttempts = 3,
): { client: S3Client; httpsAgent: https.Agent } {
  const isAws = new URL(s3.endpoint).hostname.endsWith('.amazonaws.com');
  const httpsAgent = new https.Agent({
    keepAlive: true,
    ...(s3.caFile ? { ca: fs.readFileSync(s3.caFile) } : {}),
  });
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: !isAws,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    maxAttempts,
    // Checksums only where S3 requires them: on-prem S3 servers often reject the newer
    // flexible-checksum headers the SDK would otherwise add to every upload.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { httpsAgent, connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
  return { client, httpsAgent };
}

const PROBE_CALL_TIMEOUT_MS = 10_000;

/**
 * Whether the agent's own key can destroy history (issue 15 §3): a version-delete probe under
 * its prefix, and the bucket's versioning, Object Lock and lifecycle.
 */
export async function probeBucketKey(s3: AgentConfig['s3']): Promise<BucketProtectionFacts> {
  // One attempt and 10 s per call: a heartbeat waits for this, and a hanging storage must not
  // hold back its alerts (a failed probe keeps the last verdict).
  const { client, httpsAgent } = s3Client(s3, 1);
  try {
    return await probeBucketProtection(client, s3.bucket, s3.prefix, (run) =>
      run({ abortSignal: AbortSignal.timeout(PROBE_CALL_TIMEOUT_MS) }),
    );
  } finally {
    client.destroy();
    httpsAgent.destroy();
  }
}
