import type { SegmentRef, WalPiece } from './model';
import { bytesBetween, firstReaching, indexOfSegment, type WalIndex } from './wal-index';
import { segmentName } from './wal-name';

/** A stretch of WAL a restore reads: first and last segment, how many, how many bytes. */
export interface WalSpan {
  first: SegmentRef;
  last: SegmentRef;
  segments: number;
  bytes: number;
  /** True when `last` is the final segment of the path (nothing archived after it there). */
  atEnd: boolean;
}

/** The span's first and last segment as 24-hex names. */
export function spanNames(span: WalSpan): { firstSegment: string; lastSegment: string } {
  return {
    firstSegment: segmentName(span.first.timeline, span.first.segment),
    lastSegment: segmentName(span.last.timeline, span.last.segment),
  };
}

/**
 * The WAL along `path` from its start through the first segment archived at or after
 * `untilMs` (the whole path when none is): the segments a recovery to `untilMs` replays.
 * Every piece of the path must be present in `wal` (paths are built from its runs).
 */
export function walThrough(wal: WalIndex, path: readonly WalPiece[], untilMs: number): WalSpan {
  const first = path[0] as WalPiece;
  let segments = 0;
  let bytes = 0;
  let last: SegmentRef = { timeline: first.timeline, segment: first.from };
  for (let p = 0; p < path.length; p++) {
    const piece = path[p] as WalPiece;
    const tl = wal.timelines.get(piece.timeline);
    if (!tl) throw new Error(`timeline ${piece.timeline} is not in the WAL index`);
    const s = indexOfSegment(tl, piece.from);
    const e = indexOfSegment(tl, piece.to);
    if (s < 0 || e < 0) throw new Error(`path piece ${piece.from}..${piece.to} is not listed`);
    const hit = firstReaching(tl, s, e, untilMs);
    const end = hit >= 0 ? hit : e;
    segments += end - s + 1;
    bytes += bytesBetween(tl, s, end);
    last = { timeline: piece.timeline, segment: tl.pos[end] as number };
    if (hit >= 0) {
      return {
        first: { timeline: first.timeline, segment: first.from },
        last,
        segments,
        bytes,
        atEnd: p === path.length - 1 && hit === e,
      };
    }
  }
  return {
    first: { timeline: first.timeline, segment: first.from },
    last,
    segments,
    bytes,
    atEnd: true,
  };
}

/** The WAL from `from` through segment position `to` on one timeline (a backup's own range). */
export function walBetween(
  wal: WalIndex,
  timeline: number,
  from: number,
  to: number,
): WalSpan | null {
  const tl = wal.timelines.get(timeline);
  if (!tl) return null;
  const s = indexOfSegment(tl, from);
  const e = indexOfSegment(tl, to);
  if (s < 0 || e < s || e - s !== to - from) return null;
  return {
    first: { timeline, segment: from },
    last: { timeline, segment: to },
    segments: e - s + 1,
    bytes: bytesBetween(tl, s, e),
    atEnd: e === tl.pos.length - 1,
  };
}
