import { GetObjectCommand } from '@aws-sdk/client-s3';
import { addressingFor, createS3Client, type OpenS3Client } from './s3-client';
import type { StorageCredentials, StorageService } from './storage-service';

/**
 * Reads one object of a server's saved bucket (heartbeat, manifest …); null when it does
 * not exist. Used where the server itself may be gone: the bucket describes itself.
 */
export async function readBucketObject(
  storage: StorageService,
  serverId: string,
  key: string,
): Promise<Buffer | null> {
  const creds = await storage.credentials(serverId);
  const s3 = clientFor(creds);
  try {
    const out = await s3.client.send(new GetObjectCommand({ Bucket: creds.bucket, Key: key }));
    return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : null;
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound') return null;
    throw err;
  } finally {
    s3.close();
  }
}

/** An S3 client for a saved target's credentials (its CA, if any; verification stays on). */
export function clientFor(creds: StorageCredentials): OpenS3Client {
  return createS3Client({
    ...addressingFor(creds.endpoint),
    region: creds.region,
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
    ...(creds.caCertificate ? { caCertificate: creds.caCertificate } : {}),
  });
}
