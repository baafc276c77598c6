import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { hardDeleteDue } from '../../../node/gdpr/hard-delete-due';
import { openFinalMark } from '../../../node/gdpr/final-mark';
import { openLedgerObject } from '../../../node/gdpr/ledger-object';
import { bucketLayout } from '../../../shared/agent/bucket-layout';
import { LEDGER_LIMITS } from '../../../shared/agent/erasure-ledger';
import type { RetentionPolicy } from '../../../shared/contract/agent';
import type { GdprErasuresResult } from '../../../shared/contract/gdpr';
import { clientFor } from '../storage/bucket-reader';
import type { StorageCredentials } from '../storage/storage-service';

// The erasures of a server as its bucket holds them (issue 17 §3 "hard delete on rollover"):
// the ledger entries the app signed, each with the day it is final in every backup at the
// latest, and "final" once the agent's retention run has put its signed mark beside the
// ledger. Both kinds of object are untrusted until their signature verifies against a pinned
// key: the app's own for entries, the agent's pinned at install for marks.

export interface ErasureStatusKeys {
  serverId: string;
  /** The app's ledger signing key (public line); null: nothing the app signed can verify. */
  appKey: string | null;
  /** The agent's key pinned at install (public line); null: no mark counts. */
  agentKey: string | null;
  retention: RetentionPolicy;
}

/** Every object under `prefix` (at most `limit`, more is refused by the caller's count). */
async function listAll(
  s3: ReturnType<typeof clientFor>,
  bucket: string,
  prefix: string,
  limit: number,
): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token && keys.length <= limit);
  return keys;
}

async function read(
  s3: ReturnType<typeof clientFor>,
  bucket: string,
  key: string,
): Promise<Buffer | null> {
  try {
    const out = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : null;
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound') return null;
    throw err;
  }
}

/** The server's erasures, oldest first, and the ledger objects refused. */
export async function erasureStatus(
  storage: StorageCredentials,
  keys: ErasureStatusKeys,
): Promise<GdprErasuresResult> {
  const s3 = clientFor(storage);
  try {
    const prefix = bucketLayout.gdprPrefix(keys.serverId);
    const ledgerKeys = await listAll(s3, storage.bucket, prefix, LEDGER_LIMITS.objects);
    if (ledgerKeys.length > LEDGER_LIMITS.objects) {
      return {
        erasures: [],
        refused: [{ key: prefix, why: `more than ${LEDGER_LIMITS.objects} objects` }],
      };
    }
    const finalPrefix = bucketLayout.gdprFinalPrefix(keys.serverId);
    const finalKeys = new Set(
      await listAll(s3, storage.bucket, finalPrefix, LEDGER_LIMITS.objects),
    );
    const result: GdprErasuresResult = { erasures: [], refused: [] };
    for (const key of ledgerKeys) {
      const body = await read(s3, storage.bucket, key);
      const opened = body
        ? openLedgerObject(body, keys.appKey, keys.serverId)
        : ({ ok: false, why: 'it vanished while the ledger was read' } as const);
      if (!opened.ok) {
        result.refused.push({ key, why: opened.why });
        continue;
      }
      const entry = opened.entry;
      const markKey = `${finalPrefix}${entry.erasureId}.json`;
      const markBody =
        keys.agentKey && finalKeys.has(markKey) ? await read(s3, storage.bucket, markKey) : null;
      const mark = markBody ? openFinalMark(markBody, keys.agentKey!, keys.serverId) : null;
      const final =
        mark && mark.erasureId === entry.erasureId && mark.erasedAt === entry.erasedAt
          ? { at: mark.finalAt, oldestRetained: mark.oldestRetained?.label ?? null }
          : null;
      result.erasures.push({
        erasureId: entry.erasureId,
        erasedAt: entry.erasedAt,
        database: entry.database,
        tables: entry.targets.map((t) => `${t.schema}.${t.table}`),
        hardDeleteDue: hardDeleteDue(new Date(entry.erasedAt), keys.retention),
        final,
      });
    }
    result.erasures.sort((a, b) => Date.parse(a.erasedAt) - Date.parse(b.erasedAt));
    return result;
  } finally {
    s3.close();
  }
}
