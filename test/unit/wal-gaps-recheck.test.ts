import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Bucket } from '../../agent/engines/s3';
import { checkWalGaps, RECHECK_PAGE } from '../../agent/heartbeat/wal-gaps';
import { segmentName } from '../../agent/heartbeat/wal-sequence';

// A segment deleted from the bucket after the incremental WAL check had seen it (fault 6 of
// the fault suite): the check re-reads one page of already checked WAL per heartbeat, so the
// hole is found within (segments / RECHECK_PAGE) heartbeats.

const SIZE = 16 * 1024 * 1024;
const prefix = 'kumiko/s/pgbackrest/archive/main/15-1/';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-walgaps-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function keyOf(n: number): string {
  const name = segmentName(1, Math.floor(n / 256), n % 256);
  return `${prefix}${name.slice(0, 16)}/${name}-${'a'.repeat(40)}.zst`;
}

function fakeBucket(keys: Set<string>): Bucket & { lists: number } {
  const bucket = {
    lists: 0,
    async list(p: string, startAfter?: string, limit?: number) {
      bucket.lists += 1;
      const all = [...keys].filter((k) => k.startsWith(p) && (!startAfter || k > startAfter));
      return all.sort().slice(0, limit ?? all.length);
    },
    put: async () => undefined,
    get: async () => null,
    delete: async () => undefined,
    close: () => undefined,
  };
  return bucket;
}

async function heartbeat(bucket: Bucket, through: number, stateFile: string) {
  return checkWalGaps({
    bucket,
    repoPath: '/kumiko/s/pgbackrest',
    stanza: 'main',
    archiveId: '15-1',
    archiveMin: segmentName(1, 0, 1),
    archivedThrough: segmentName(1, Math.floor(through / 256), through % 256),
    walSegmentSize: SIZE,
    stateFile,
  });
}

describe('WAL gap check: segments deleted after they were checked', () => {
  it('finds a small archive hole at the next heartbeat', async () => {
    const keys = new Set(Array.from({ length: 40 }, (_, i) => keyOf(i + 1)));
    const bucket = fakeBucket(keys);
    const state = path.join(dir, 'small.json');
    expect(await heartbeat(bucket, 40, state)).toEqual([]);
    keys.delete(keyOf(17));
    const gaps = await heartbeat(bucket, 40, state);
    expect(gaps).toEqual([
      { after: segmentName(1, 0, 16), before: segmentName(1, 0, 18), missing: 1 },
    ]);
    // Reported once, however often it is seen again.
    expect(await heartbeat(bucket, 40, state)).toHaveLength(1);
  });

  it('walks a large archive a page per heartbeat, across page ends, and wraps around', async () => {
    const total = RECHECK_PAGE * 2 + 500;
    const keys = new Set(Array.from({ length: total }, (_, i) => keyOf(i + 1)));
    const bucket = fakeBucket(keys);
    const state = path.join(dir, 'large.json');
    await heartbeat(bucket, total, state);
    // The first and last of the second page, and one right at a page's end.
    for (const n of [RECHECK_PAGE + 1, RECHECK_PAGE + 600, 2 * RECHECK_PAGE]) keys.delete(keyOf(n));
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) seen.push((await heartbeat(bucket, total, state)).length);
    expect(seen.at(-1)).toBe(3);
    // Found within one pass of ceil(total / page) heartbeats.
    expect(seen.slice(0, Math.ceil(total / RECHECK_PAGE) + 1).at(-1)).toBe(3);
  });
});
