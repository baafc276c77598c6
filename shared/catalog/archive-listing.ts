import type { ArchiveListing, ListedFile } from './model';
import { parseArchiveFileName } from './wal-name';

/**
 * Keeping an {@link ArchiveListing} up to date from partial S3 listings. A listing of a window
 * of names (a timeline's tail, one folder, the stretch of a hole) is authoritative for that
 * window: what it does not return there is gone (expired or deleted), what it returns is
 * added. Segment names sort like S3 keys within an archive id, so windows are name ranges.
 */

/** One listed object of the archive folder: file name (no folder), LastModified ms, size. */
export interface ArchiveObject {
  file: string;
  time: number;
  size: number;
}

/**
 * A window of 24-hex segment names on one timeline: names in (`after`, `upTo`]; null ends are
 * open (the timeline's first / last segment).
 */
export interface ListingWindow {
  timeline: number;
  after: string | null;
  upTo: string | null;
}

/** A listing with nothing in it. */
export function emptyArchiveListing(archiveId: string): ArchiveListing {
  return {
    archiveId,
    segments: { names: [], times: [], sizes: [] },
    partials: [],
    backupHistory: [],
    timelineHistory: [],
  };
}

const tlHex = (timeline: number): string => timeline.toString(16).toUpperCase().padStart(8, '0');

/** First index with names[i] > name (or >= when `inclusive`). */
function bound(names: readonly string[], name: string, inclusive: boolean): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const n = names[mid] as string;
    if (n < name || (!inclusive && n === name)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Replaces the window's contents with `objects` (objects outside the window are ignored;
 * timeline history files are not handled here: see {@link setTimelineHistory}). Returns a new
 * listing; the input is not changed.
 */
export function mergeArchiveObjects(
  listing: ArchiveListing,
  window: ListingWindow,
  objects: readonly ArchiveObject[],
): ArchiveListing {
  const low = window.after ?? `${tlHex(window.timeline)}${'0'.repeat(16)}`;
  const high = window.upTo ?? `${tlHex(window.timeline)}${'F'.repeat(16)}`;
  const inWindow = (name: string) =>
    (window.after === null ? name >= low : name > low) && name <= high;

  const fresh: { name: string; time: number; size: number }[] = [];
  const partials: ListedFile[] = listing.partials.filter((f) => !inWindow(f.name.slice(0, 24)));
  const backupHistory: ListedFile[] = listing.backupHistory.filter(
    (f) => !inWindow(f.name.slice(0, 24)),
  );
  for (const o of objects) {
    const parsed = parseArchiveFileName(o.file);
    if (!parsed || parsed.kind === 'timeline-history' || !inWindow(parsed.name)) continue;
    if (parsed.kind === 'backup-history')
      backupHistory.push({ name: o.file, time: o.time, size: o.size });
    else if (parsed.partial) partials.push({ name: parsed.name, time: o.time, size: o.size });
    else fresh.push({ name: parsed.name, time: o.time, size: o.size });
  }
  fresh.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const { names, times, sizes } = listing.segments;
  const lo = bound(names, low, window.after === null);
  const hi = bound(names, high, false);
  const out = { names: names.slice(0, lo), times: times.slice(0, lo), sizes: sizes.slice(0, lo) };
  let last = '';
  for (const f of fresh) {
    if (f.name === last) continue;
    last = f.name;
    out.names.push(f.name);
    out.times.push(f.time);
    out.sizes.push(f.size);
  }
  for (let i = hi; i < names.length; i++) {
    out.names.push(names[i] as string);
    out.times.push(times[i] as number);
    out.sizes.push(sizes[i] as number);
  }
  return { ...listing, segments: out, partials, backupHistory };
}

/** Replaces the timeline history files with those among `objects` (listed in full each time). */
export function setTimelineHistory(
  listing: ArchiveListing,
  objects: readonly ArchiveObject[],
): ArchiveListing {
  const timelineHistory = objects
    .filter((o) => parseArchiveFileName(o.file)?.kind === 'timeline-history')
    .map((o) => ({ name: o.file, time: o.time, size: o.size }));
  return { ...listing, timelineHistory };
}

/** Timelines present in the listing, ascending. */
export function listedTimelines(listing: ArchiveListing): number[] {
  const out = new Set<number>();
  let prefix = '';
  for (const name of listing.segments.names) {
    if (name.startsWith(prefix) && prefix) continue;
    prefix = name.slice(0, 8);
    out.add(parseInt(prefix, 16));
  }
  return [...out].sort((a, b) => a - b);
}

/** A listing built from a full listing of one archive id's folder. */
export function listingFromObjects(
  archiveId: string,
  objects: readonly ArchiveObject[],
): ArchiveListing {
  let listing = setTimelineHistory(emptyArchiveListing(archiveId), objects);
  const timelines = new Set<number>();
  for (const o of objects) {
    const parsed = parseArchiveFileName(o.file);
    if (parsed && parsed.kind !== 'timeline-history') timelines.add(parsed.timeline);
  }
  for (const timeline of [...timelines].sort((a, b) => a - b)) {
    listing = mergeArchiveObjects(listing, { timeline, after: null, upTo: null }, objects);
  }
  return listing;
}

/** The segment names of one timeline in the listing (a view, ascending). */
export function timelineNames(listing: ArchiveListing, timeline: number): string[] {
  const { names } = listing.segments;
  const hex = tlHex(timeline);
  const lo = bound(names, `${hex}${'0'.repeat(16)}`, true);
  const hi = bound(names, `${hex}${'F'.repeat(16)}`, false);
  return names.slice(lo, hi);
}
