import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalManifestJson } from '../../shared/agent/manifest';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import { segmentName } from '../../shared/catalog';
import { ed25519PublicKeyFromPrivate, signSshsig } from '../../node/signing';
import { syncArchive, TAIL_LOOKBACK } from '../../electron/services/catalog/archive-sync';
import type {
  BucketObject,
  BucketReader,
  ListOptions,
} from '../../electron/services/catalog/bucket-lister';
import { syncManifests } from '../../electron/services/catalog/manifest-sync';
import { synthManifest } from './catalog-fixtures';

const SHA = 'd75a045abe886c8c85c8910af76bf18a1f216697';
const ARCHIVE = 'kumiko/srv-1/pgbackrest/archive/main/';

/** An in-memory bucket with S3's listing semantics (key order, StartAfter, delimiter). */
class FakeBucket implements BucketReader {
  readonly objects = new Map<string, { time: number; body: Buffer; etag: string }>();
  requests = 0;

  put(key: string, body: string | Buffer = 'x', time = 0): void {
    const bytes = Buffer.from(body);
    const etag = `"${crypto.createHash('md5').update(bytes).digest('hex')}"`;
    this.objects.set(key, { time, body: bytes, etag });
  }

  private sorted(prefix: string): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  private obj(key: string): BucketObject {
    const o = this.objects.get(key) as { time: number; body: Buffer; etag: string };
    return { key, time: o.time, size: o.body.length, etag: o.etag };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<BucketObject[]> {
    this.requests++;
    const out: BucketObject[] = [];
    for (const key of this.sorted(prefix)) {
      if (options.startAfter !== undefined && key <= options.startAfter) continue;
      if (options.until?.(key)) break;
      out.push(this.obj(key));
      if (options.limit !== undefined && out.length >= options.limit) break;
    }
    return out;
  }

  async folders(prefix: string): Promise<{ folders: string[]; objects: BucketObject[] }> {
    this.requests++;
    const folders = new Set<string>();
    const objects: BucketObject[] = [];
    for (const key of this.sorted(prefix)) {
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) folders.add(rest.slice(0, slash));
      else objects.push(this.obj(key));
    }
    return { folders: [...folders].sort(), objects };
  }

  async get(key: string): Promise<Buffer | null> {
    this.requests++;
    return this.objects.get(key)?.body ?? null;
  }
}

const segKey = (tl: number, pos: number) => {
  const name = segmentName(tl, pos);
  return `${ARCHIVE}15-1/${name.slice(0, 16)}/${name}-${SHA}.zst`;
};

function archiveOf(count: number, start = 0): FakeBucket {
  const bucket = new FakeBucket();
  bucket.put(`${ARCHIVE}archive.info`);
  for (let i = start; i < start + count; i++) bucket.put(segKey(1, i), 'x'.repeat(10), 1000 * i);
  return bucket;
}

describe('archive listing sync', () => {
  it('an incremental update ends where a full listing would: new, expired and deleted WAL', async () => {
    const bucket = archiveOf(1500);
    const first = await syncArchive(bucket, ARCHIVE, null, false);
    expect(first.mode).toBe('full');
    expect(first.listing?.segments.names).toHaveLength(1500);

    for (let i = 1500; i < 1503; i++) bucket.put(segKey(1, i), 'x'.repeat(10), 1000 * i);
    for (let i = 0; i < 300; i++) bucket.objects.delete(segKey(1, i)); // retention: head expired
    bucket.objects.delete(segKey(1, 1400)); // deleted inside the re-read tail
    bucket.put(`${ARCHIVE}15-1/000000010000000100000010.00000028.backup`, 'b', 1_400_000);
    bucket.put(`${ARCHIVE}15-1/00000002.history`, 'h', 1_600_000);
    for (let i = 1490; i < 1495; i++) bucket.put(segKey(2, i), 'y', 1_600_000 + i);

    bucket.requests = 0;
    const incremental = await syncArchive(bucket, ARCHIVE, first.listing, false);
    expect(incremental.mode).toBe('incremental');
    // archive ids, folder level, head and tail of TL1, then the new timeline 2.
    expect(bucket.requests).toBe(5);
    const full = await syncArchive(bucket, ARCHIVE, null, true);
    expect(incremental.listing).toEqual(full.listing);
    expect(full.listing?.segments.names).toHaveLength(1500 + 3 - 300 - 1 + 5);
    expect(full.listing?.timelineHistory.map((h) => h.name)).toEqual(['00000002.history']);
  });

  it('a deletion older than the re-read tail needs a full listing (refresh)', async () => {
    const bucket = archiveOf(TAIL_LOOKBACK + 500);
    const first = await syncArchive(bucket, ARCHIVE, null, false);
    bucket.objects.delete(segKey(1, 400));
    const incremental = await syncArchive(bucket, ARCHIVE, first.listing, false);
    expect(incremental.listing?.segments.names).toContain(segmentName(1, 400));
    const full = await syncArchive(bucket, ARCHIVE, first.listing, true);
    expect(full.listing?.segments.names).not.toContain(segmentName(1, 400));
  });

  it('a new archive id (stanza-upgrade) is listed in full; the old one is named', async () => {
    const bucket = archiveOf(10);
    const first = await syncArchive(bucket, ARCHIVE, null, false);
    bucket.put(`${ARCHIVE}16-2/0000000100000000/${segmentName(1, 3)}-${SHA}.zst`, 'z', 5);
    const next = await syncArchive(bucket, ARCHIVE, first.listing, false);
    expect(next.mode).toBe('full');
    expect(next.listing?.archiveId).toBe('16-2');
    expect(next.otherArchiveIds).toEqual(['15-1']);
  });
});

describe('manifest sync', () => {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const pinned = openSshPublicKeyLine(ed25519PublicKeyFromPrivate(pem), 'agent');
  const other = crypto
    .generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const PREFIX = 'kumiko/srv-1/manifests/';

  function publish(
    bucket: FakeBucket,
    minute: number,
    signWith: string | null,
    tamper = false,
  ): string {
    const m = synthManifest(minute);
    const text = canonicalManifestJson(m);
    const bytes = Buffer.from(text);
    bucket.put(
      `${PREFIX}${m.label}.json`,
      tamper ? text.replace('"rowCount": 10', '"rowCount": 11') : bytes,
    );
    if (signWith)
      bucket.put(`${PREFIX}${m.label}.json.sig`, signSshsig(signWith, bytes, 'kumiko-manifest'));
    return m.label;
  }

  it('verifies hash and signature against the pinned key and reads each manifest once', async () => {
    const bucket = new FakeBucket();
    const valid = publish(bucket, 10, pem);
    const tampered = publish(bucket, 20, pem, true);
    const foreign = publish(bucket, 30, other);
    const unsigned = publish(bucket, 40, null);
    const ring = { current: pinned, retired: [] };
    const result = await syncManifests(bucket, 'srv-1', ring, {}, false);
    expect(result[valid]?.signature).toBe('valid');
    expect(result[valid]?.sha256).toBe(
      crypto
        .createHash('sha256')
        .update(bucket.objects.get(`${PREFIX}${valid}.json`)?.body ?? '')
        .digest('hex'),
    );
    expect(result[tampered]?.signature).toBe('invalid');
    expect(result[foreign]?.signature).toBe('invalid');
    expect(result[unsigned]?.signature).toBe('missing');

    bucket.requests = 0;
    const again = await syncManifests(bucket, 'srv-1', ring, result, false);
    expect(again).toEqual(result);
    expect(bucket.requests).toBe(1); // the listing only

    const unpinned = await syncManifests(
      bucket,
      'srv-1',
      { current: null, retired: [] },
      result,
      false,
    );
    expect(unpinned[valid]?.signature).toBe('no-pinned-key');

    // The foreign key was the server's earlier agent's, retired after it signed that point:
    // its point verifies again; retired before the point's time, it does not.
    const otherLine = openSshPublicKeyLine(ed25519PublicKeyFromPrivate(other), 'old agent');
    const signedAt = Date.parse(synthManifest(30).createdAt);
    const retiredLater = {
      publicKey: otherLine,
      retiredAt: new Date(signedAt + 1000).toISOString(),
    };
    const later = await syncManifests(
      bucket,
      'srv-1',
      { current: pinned, retired: [retiredLater] },
      again,
      false,
    );
    expect(later[foreign]?.signature).toBe('valid');
    expect(later[valid]?.signature).toBe('valid');
    expect(later[tampered]?.signature).toBe('invalid');
    const retiredBefore = {
      publicKey: otherLine,
      retiredAt: new Date(signedAt - 1000).toISOString(),
    };
    const before = await syncManifests(
      bucket,
      'srv-1',
      { current: pinned, retired: [retiredBefore] },
      later,
      false,
    );
    expect(before[foreign]?.signature).toBe('invalid');
  });
});
