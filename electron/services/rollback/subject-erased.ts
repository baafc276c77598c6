import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { openLedgerObject, subjectKeyHash } from '../../../node/gdpr/ledger-object';
import { bucketLayout } from '../../../shared/agent/bucket-layout';
import { LEDGER_LIMITS } from '../../../shared/agent/erasure-ledger';
import { AppError } from '../app-error';
import { clientFor } from '../storage/bucket-reader';
import type { StorageCredentials } from '../storage/storage-service';

// "Erased subjects are never restored" (issue 18 §4): before a subject restore starts, the
// server's erasure ledger in the bucket is read, and an entry the app signed whose root table
// holds the keyed hash of this subject's value stops it. Only verified entries count: an entry
// planted by someone with the bucket key must not be able to block (or allow) anything, and an
// unverifiable one is not ours.

/** The subject's root: the table and column whose value names the subject. */
export interface SubjectRoot {
  schema: string;
  table: string;
  column: string;
}

/** The erasure that covers the subject, or null. */
export async function erasureOfSubject(
  storage: StorageCredentials,
  keys: { serverId: string; appKey: string | null; ledgerKey: string },
  database: string,
  root: SubjectRoot,
  value: string,
): Promise<{ erasureId: string; erasedAt: string } | null> {
  const hash = subjectKeyHash(keys.ledgerKey, value);
  const s3 = clientFor(storage);
  try {
    const prefix = bucketLayout.gdprPrefix(keys.serverId);
    const ledgerKeys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.client.send(
        new ListObjectsV2Command({
          Bucket: storage.bucket,
          Prefix: prefix,
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? [])
        if (o.Key && !o.Key.endsWith('/')) ledgerKeys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && ledgerKeys.length <= LEDGER_LIMITS.objects);
    if (ledgerKeys.length > LEDGER_LIMITS.objects) {
      throw new AppError(
        'CONFLICT',
        `The erasure ledger holds more than ${LEDGER_LIMITS.objects} objects, so it cannot be checked whether this subject was erased. Look at the ledger (kumiko gdpr erasures) before restoring anyone.`,
      );
    }
    for (const key of ledgerKeys) {
      const out = await s3.client.send(new GetObjectCommand({ Bucket: storage.bucket, Key: key }));
      if (!out.Body) continue;
      const opened = openLedgerObject(
        Buffer.from(await out.Body.transformToByteArray()),
        keys.appKey,
        keys.serverId,
      );
      if (!opened.ok || opened.entry.database !== database) continue;
      const covered = opened.entry.targets.some(
        (t) =>
          t.schema === root.schema &&
          t.table === root.table &&
          t.column === root.column &&
          t.keyHashes.includes(hash),
      );
      if (covered) return { erasureId: opened.entry.erasureId, erasedAt: opened.entry.erasedAt };
    }
    return null;
  } finally {
    s3.close();
  }
}
