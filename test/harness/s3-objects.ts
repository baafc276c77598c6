import fs from 'node:fs';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../electron/services/storage/s3-client';
import type { S3Server } from './s3';

/** A client of the harness's S3 server (TLS with its own CA), as the app builds one. */
export function testS3Client(s3: S3Server) {
  return createS3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
    caCertificate: fs.readFileSync(s3.caFile, 'utf8'),
  });
}

/** Writes one object (a ledger entry a test puts in place of the app's GDPR erasure). */
export async function putTestObject(
  s3: S3Server,
  bucket: string,
  key: string,
  body: string,
): Promise<void> {
  const client = testS3Client(s3);
  try {
    await client.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  } finally {
    client.close();
  }
}

/** Deletes one object. */
export async function deleteTestObject(s3: S3Server, bucket: string, key: string): Promise<void> {
  const client = testS3Client(s3);
  try {
    await client.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  } finally {
    client.close();
  }
}
