import type { ArchiveListing } from './model';
import { parseSegmentName } from './wal-name';

/**
 * The archived WAL of one timeline in typed arrays, for lookups over tens of thousands of
 * segments without allocating per segment.
 */
export interface TimelineWal {
  timeline: number;
  /** Segment positions, ascending, no duplicates. */
  pos: Float64Array;
  /** Archive time (S3 LastModified, epoch ms) as listed. */
  time: Float64Array;
  /**
   * Running maximum of `time`: with asynchronous archiving segments can land out of order,
   * and every record of segment i is older than the moment segment i was archived, so
   * `reach[i]` is a moment by which everything up to segment i had reached the bucket.
   * Monotone, so binary search works on it.
   */
  reach: Float64Array;
  /** `cumBytes[i]` = bytes of segments 0..i-1 (length n + 1). */
  cumBytes: Float64Array;
  /** Maximal runs of consecutive positions, as inclusive index ranges, ascending. */
  runs: { start: number; end: number }[];
}

/** Archived WAL of the current archive id, per timeline. */
export interface WalIndex {
  timelines: Map<number, TimelineWal>;
  /** Archive time of each timeline's history file (the moment the timeline began). */
  historyTimes: Map<number, number>;
  segments: number;
  bytes: number;
  /** Newest archive time of any segment; null without segments. */
  newestMs: number | null;
  /** The timeline of the newest segment; null without segments. */
  newestTimeline: number | null;
  partials: number;
}

/** Builds the per-timeline index from a listing (names need not be sorted). */
export function buildWalIndex(listing: ArchiveListing | null): WalIndex {
  const index: WalIndex = {
    timelines: new Map(),
    historyTimes: new Map(),
    segments: 0,
    bytes: 0,
    newestMs: null,
    newestTimeline: null,
    partials: listing?.partials.length ?? 0,
  };
  if (!listing) return index;
  for (const h of listing.timelineHistory) {
    const timeline = parseInt(h.name.slice(0, 8), 16);
    if (Number.isFinite(timeline)) index.historyTimes.set(timeline, h.time);
  }
  const { names, times, sizes } = listing.segments;
  const order = sortedOrder(names);
  let i = 0;
  while (i < order.length) {
    const first = names[order[i] as number] as string;
    const prefix = first.slice(0, 8);
    let j = i;
    while (j < order.length && (names[order[j] as number] as string).startsWith(prefix)) j++;
    const tl = timelineWal(order.subarray(i, j), names, times, sizes);
    index.timelines.set(tl.timeline, tl);
    index.segments += tl.pos.length;
    index.bytes += tl.cumBytes[tl.pos.length] as number;
    const newest = tl.reach[tl.pos.length - 1] as number;
    if (index.newestMs === null || newest > index.newestMs) {
      index.newestMs = newest;
      index.newestTimeline = tl.timeline;
    }
    i = j;
  }
  return index;
}

/** Indexes of `names` in ascending order; the identity (no sort) when already sorted. */
function sortedOrder(names: readonly string[]): Uint32Array {
  const order = new Uint32Array(names.length);
  let sorted = true;
  for (let i = 0; i < names.length; i++) {
    order[i] = i;
    if (i > 0 && (names[i - 1] as string) > (names[i] as string)) sorted = false;
  }
  if (!sorted) order.sort((a, b) => ((names[a] as string) < (names[b] as string) ? -1 : 1));
  return order;
}

function timelineWal(
  order: Uint32Array,
  names: readonly string[],
  times: readonly number[],
  sizes: readonly number[],
): TimelineWal {
  const n = order.length;
  const pos = new Float64Array(n);
  const time = new Float64Array(n);
  const reach = new Float64Array(n);
  const cumBytes = new Float64Array(n + 1);
  const runs: { start: number; end: number }[] = [];
  const timeline = n ? parseSegmentName(names[order[0] as number] as string).timeline : 0;
  let k = 0;
  let max = -Infinity;
  // Hot loop over tens of thousands of names: parse the log part only when it changes.
  let logPrefix = '-';
  let logBase = 0;
  for (let i = 0; i < n; i++) {
    const at = order[i] as number;
    const name = names[at] as string;
    if (!name.startsWith(logPrefix)) {
      logPrefix = name.slice(0, 16);
      logBase = parseSegmentName(`${logPrefix}00000000`).segment;
    }
    const segment = logBase + parseInt(name.slice(16), 16);
    if (k > 0 && segment === pos[k - 1]) continue; // listed twice: count once
    pos[k] = segment;
    time[k] = times[at] as number;
    max = Math.max(max, time[k] as number);
    reach[k] = max;
    cumBytes[k + 1] = (cumBytes[k] as number) + (sizes[at] as number);
    if (k === 0 || segment !== (pos[k - 1] as number) + 1) runs.push({ start: k, end: k });
    else (runs[runs.length - 1] as { end: number }).end = k;
    k++;
  }
  return {
    timeline,
    pos: pos.subarray(0, k),
    time: time.subarray(0, k),
    reach: reach.subarray(0, k),
    cumBytes: cumBytes.subarray(0, k + 1),
    runs,
  };
}

/** Index of position `segment` in the timeline, or -1. */
export function indexOfSegment(tl: TimelineWal, segment: number): number {
  let lo = 0;
  let hi = tl.pos.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const p = tl.pos[mid] as number;
    if (p === segment) return mid;
    if (p < segment) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The run holding segment index `idx`. */
export function runOf(tl: TimelineWal, idx: number): { start: number; end: number } {
  let lo = 0;
  let hi = tl.runs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((tl.runs[mid] as { start: number }).start <= idx) lo = mid;
    else hi = mid - 1;
  }
  return tl.runs[lo] as { start: number; end: number };
}

/** First index in [from, to] whose `reach` is at or after `ms`; -1 when none. */
export function firstReaching(tl: TimelineWal, from: number, to: number, ms: number): number {
  if (from > to || (tl.reach[to] as number) < ms) return -1;
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((tl.reach[mid] as number) >= ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Bytes of the segments with indexes from..to (inclusive). */
export function bytesBetween(tl: TimelineWal, from: number, to: number): number {
  return (tl.cumBytes[to + 1] as number) - (tl.cumBytes[from] as number);
}
