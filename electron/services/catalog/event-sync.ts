import { bucketLayout } from '../../../shared/agent/bucket-layout';
import { eventFromRecord } from '../../../shared/catalog';
import type { CatalogEvent } from '../../../shared/contract';
import type { BucketReader } from './bucket-lister';

/** A record read once: its ETag and the event it gave (null: not an event record). */
export interface CachedEvent {
  etag: string;
  event: CatalogEvent | null;
}

/** Records read per update at most, so a large ledger fills the cache over several updates. */
const MAX_READS = 200;
const CONCURRENCY = 4;

/**
 * GDPR-erasure events from the JSON records under `gdpr/` (an empty prefix gives no events).
 * Only new or changed records are read. Drill events come from the signed drill reports
 * (drill-report-sync.ts), not from every JSON file of a bundle.
 */
export async function syncEvents(
  lister: BucketReader,
  serverId: string,
  cached: Readonly<Record<string, CachedEvent>>,
): Promise<Record<string, CachedEvent>> {
  const sources: [CatalogEvent['kind'], string][] = [
    ['erasure', bucketLayout.gdprPrefix(serverId)],
  ];
  const out: Record<string, CachedEvent> = {};
  const toRead: { kind: CatalogEvent['kind']; key: string; etag: string }[] = [];
  const listings = await Promise.all(sources.map(([, prefix]) => lister.list(prefix)));
  for (const [i, [kind]] of sources.entries()) {
    for (const o of listings[i] ?? []) {
      if (!o.key.endsWith('.json')) continue;
      const c = cached[o.key];
      if (c && c.etag === o.etag) out[o.key] = c;
      else if (toRead.length < MAX_READS) toRead.push({ kind, key: o.key, etag: o.etag });
    }
  }
  for (let i = 0; i < toRead.length; i += CONCURRENCY) {
    await Promise.all(
      toRead.slice(i, i + CONCURRENCY).map(async ({ kind, key, etag }) => {
        const bytes = await lister.get(key);
        if (bytes) out[key] = { etag, event: eventFromRecord(kind, key, bytes.toString('utf8')) };
      }),
    );
  }
  return out;
}
