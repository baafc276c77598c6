import { describe, expect, it } from 'vitest';
import {
  buildWalIndex,
  emptyArchiveListing,
  firstReaching,
  isBackupLabel,
  backupTypeFromLabel,
  labelStartMs,
  lsnToSegment,
  mergeArchiveObjects,
  nextSegment,
  parseArchiveFileName,
  parseSegmentName,
  previousSegment,
  segmentName,
  segmentStartLsn,
  splitArchiveKey,
  compareArchiveIds,
  listedTimelines,
} from '../../shared/catalog';

const SHA = 'd75a045abe886c8c85c8910af76bf18a1f216697';

describe('WAL names', () => {
  it('parses a segment name into timeline and position (log * 256 + seg)', () => {
    expect(parseSegmentName('000000010000000000000003')).toEqual({ timeline: 1, segment: 3 });
    expect(parseSegmentName('0000000200000001000000A3')).toEqual({
      timeline: 2,
      segment: 256 + 0xa3,
    });
    expect(() => parseSegmentName('00000001000000000000000')).toThrow(/not a WAL segment/);
    expect(() => parseSegmentName('000000010000000000000100')).toThrow(/16 MB/);
  });

  it('steps to the next and previous segment across a log boundary', () => {
    expect(nextSegment('0000000100000000000000FF')).toBe('000000010000000100000000');
    expect(previousSegment('000000010000000100000000')).toBe('0000000100000000000000FF');
    expect(previousSegment('000000010000000000000000')).toBeNull();
    expect(segmentName(3, 0x1ff)).toBe('0000000300000001000000FF');
  });

  it('converts between LSNs and segments', () => {
    expect(lsnToSegment('0/3000028')).toBe(3);
    expect(lsnToSegment('1/A3FFFFFF')).toBe(256 + 0xa3);
    expect(segmentStartLsn(256 + 0xa3)).toBe('1/A3000000');
  });

  it('recognises segments, partial segments, backup and timeline history files', () => {
    expect(parseArchiveFileName(`000000010000000000000003-${SHA}.zst`)).toEqual({
      kind: 'segment',
      name: '000000010000000000000003',
      timeline: 1,
      segment: 3,
      sha1: SHA,
      partial: false,
    });
    expect(parseArchiveFileName(`000000010000000000000007.partial-${SHA}.zst`)).toMatchObject({
      kind: 'segment',
      partial: true,
    });
    expect(parseArchiveFileName('000000010000000000000004.00000028.backup')).toEqual({
      kind: 'backup-history',
      name: '000000010000000000000004',
      timeline: 1,
      segment: 4,
      offset: 0x28,
    });
    expect(parseArchiveFileName('00000002.history')).toEqual({
      kind: 'timeline-history',
      timeline: 2,
    });
    expect(parseArchiveFileName('archive.info')).toBeNull();
    expect(splitArchiveKey('15-1/0000000100000000/x.zst')).toEqual({
      archiveId: '15-1',
      file: 'x.zst',
    });
    expect(splitArchiveKey('archive.info')).toBeNull();
    expect(compareArchiveIds('15-2', '15-10')).toBeLessThan(0);
  });

  it('reads pgBackRest labels: type from the suffix, start from the (local) time in it', () => {
    expect(backupTypeFromLabel('20261126-173250F')).toBe('full');
    expect(backupTypeFromLabel('20261126-173250F_20261127-023000I')).toBe('incr');
    expect(backupTypeFromLabel('20261126-173250F_20261127-023000D')).toBe('diff');
    expect(isBackupLabel('backup.history')).toBe(false);
    expect(labelStartMs('20261126-173250F')).toBe(Date.UTC(2026, 10, 26, 17, 32, 50));
    // Europe/Berlin is UTC+1 in November, UTC+2 in July.
    expect(labelStartMs('20261126-173250F_20261127-023000I', 'Europe/Berlin')).toBe(
      Date.UTC(2026, 10, 27, 1, 30, 0),
    );
    expect(labelStartMs('20260701-120000F', 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 1, 10, 0, 0));
  });
});

describe('WAL index and listing', () => {
  const obj = (seg: number, time: number, tl = 1) => ({
    file: `${segmentName(tl, seg)}-${SHA}.zst`,
    time,
    size: 100,
  });

  it('splits segments into runs per timeline and keeps archive times monotone', () => {
    let listing = emptyArchiveListing('15-1');
    listing = mergeArchiveObjects(listing, { timeline: 1, after: null, upTo: null }, [
      obj(1, 1000),
      obj(2, 3000),
      obj(3, 2000), // archived before segment 2 (asynchronous push)
      obj(6, 4000),
      { file: '000000010000000000000003.00000028.backup', time: 2500, size: 300 },
    ]);
    listing = mergeArchiveObjects(listing, { timeline: 2, after: null, upTo: null }, [
      obj(6, 5000, 2),
    ]);
    const index = buildWalIndex(listing);
    const tl1 = index.timelines.get(1);
    expect(tl1?.runs).toEqual([
      { start: 0, end: 2 },
      { start: 3, end: 3 },
    ]);
    expect(Array.from(tl1?.reach ?? [])).toEqual([1000, 3000, 3000, 4000]);
    expect(tl1 && firstReaching(tl1, 0, 3, 2500)).toBe(1);
    expect(index.segments).toBe(5);
    expect(index.bytes).toBe(500);
    expect(index.newestTimeline).toBe(2);
    expect(listing.backupHistory).toHaveLength(1);
    expect(listedTimelines(listing)).toEqual([1, 2]);
  });

  it('treats a re-listed window as authoritative: deletions vanish, new objects appear', () => {
    let listing = mergeArchiveObjects(
      emptyArchiveListing('15-1'),
      { timeline: 1, after: null, upTo: null },
      [1, 2, 3, 4, 5].map((s) => obj(s, s * 1000)),
    );
    // Re-list after segment 2: segment 4 was deleted, 6 and 7 are new, 3 is listed again.
    listing = mergeArchiveObjects(listing, { timeline: 1, after: segmentName(1, 2), upTo: null }, [
      obj(3, 3000),
      obj(5, 5000),
      obj(6, 6000),
      obj(7, 7000),
      obj(1, 1),
      obj(7, 7000),
    ]);
    expect(listing.segments.names.map((n) => parseSegmentName(n).segment)).toEqual([
      1, 2, 3, 5, 6, 7,
    ]);
    expect(listing.segments.times[0]).toBe(1000); // outside the window: untouched
    // A window that ends before the tail: the head folder re-listed, segment 1 expired.
    listing = mergeArchiveObjects(listing, { timeline: 1, after: null, upTo: segmentName(1, 3) }, [
      obj(2, 2000),
      obj(3, 3000),
    ]);
    expect(listing.segments.names.map((n) => parseSegmentName(n).segment)).toEqual([2, 3, 5, 6, 7]);
  });
});
