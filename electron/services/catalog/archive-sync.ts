import {
  compareArchiveIds,
  isSegmentName,
  listedTimelines,
  listingFromObjects,
  mergeArchiveObjects,
  previousSegment,
  setTimelineHistory,
  timelineNames,
  type ArchiveListing,
  type ArchiveObject,
} from '../../../shared/catalog';
import type { BucketObject, BucketReader } from './bucket-lister';

/**
 * How many of a timeline's newest segments an incremental update lists again. Asynchronous
 * archiving pushes several segments in parallel, so one can land after a newer one was
 * listed; re-reading the tail also notices a recent segment deleted. At one segment a minute
 * this is the last ~16 hours, in one ListObjectsV2 page.
 */
export const TAIL_LOOKBACK = 1000;
/** Keys read from the front of a timeline to notice WAL expired by retention. */
const HEAD_KEYS = 300;
/** Folders listed side by side in a full listing. */
const FOLDER_CONCURRENCY = 8;

/** The archive listing after an update, with what else was found. */
export interface ArchiveSync {
  listing: ArchiveListing | null;
  /** Older archive ids (before a stanza-upgrade): listed by name only, not in coverage. */
  otherArchiveIds: string[];
  mode: 'full' | 'incremental';
}

const toArchiveObject = (o: BucketObject): ArchiveObject => ({
  file: o.key.slice(o.key.lastIndexOf('/') + 1),
  time: o.time,
  size: o.size,
});

const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');

/**
 * Brings the WAL listing of `<archivePrefix><newest archive id>/` up to date.
 *
 * Full: the folder level, then every timeline/log folder (≤ 256 segments each) side by side.
 * Incremental (a cached listing of the same archive id), all requests at once: the archive
 * ids and the folder level (new timelines, history files), and per timeline the first
 * {@link HEAD_KEYS} keys (retention expires WAL from the front) and the tail after the
 * {@link TAIL_LOOKBACK}th newest segment with StartAfter (keys sort like segment names within
 * a timeline). A segment deleted from the middle of older WAL is only seen by a full listing.
 */
export async function syncArchive(
  lister: BucketReader,
  archivePrefix: string,
  cached: ArchiveListing | null,
  full: boolean,
): Promise<ArchiveSync> {
  if (!full && cached) {
    const incremental = await syncIncremental(lister, archivePrefix, cached);
    if (incremental) return incremental;
  }
  const ids = await archiveIds(lister, archivePrefix);
  const id = ids[ids.length - 1];
  if (!id) return { listing: null, otherArchiveIds: [], mode: 'full' };
  const base = `${archivePrefix}${id}/`;
  const top = await lister.folders(base);
  const objects = top.objects.map(toArchiveObject);
  const folders = top.folders.filter((f) => /^[0-9A-F]{16}$/.test(f));
  for (let i = 0; i < folders.length; i += FOLDER_CONCURRENCY) {
    const pages = await Promise.all(
      folders.slice(i, i + FOLDER_CONCURRENCY).map((f) => lister.list(`${base}${f}/`)),
    );
    for (const page of pages) for (const o of page) objects.push(toArchiveObject(o));
  }
  return {
    listing: listingFromObjects(id, objects),
    otherArchiveIds: ids.slice(0, -1),
    mode: 'full',
  };
}

async function archiveIds(lister: BucketReader, archivePrefix: string): Promise<string[]> {
  const { folders } = await lister.folders(archivePrefix);
  return folders.filter((f) => /^\d+-\d+$/.test(f)).sort(compareArchiveIds);
}

/** The incremental update; null when the archive id changed (then a full listing is due). */
async function syncIncremental(
  lister: BucketReader,
  archivePrefix: string,
  cached: ArchiveListing,
): Promise<ArchiveSync | null> {
  const base = `${archivePrefix}${cached.archiveId}/`;
  const timelines = listedTimelines(cached);
  const windows = timelines.map((timeline) => {
    const names = timelineNames(cached, timeline);
    const after =
      names.length > TAIL_LOOKBACK ? (names[names.length - TAIL_LOOKBACK] as string) : null;
    return { timeline, after };
  });
  const [ids, top, ...pages] = await Promise.all([
    archiveIds(lister, archivePrefix),
    lister.folders(base),
    ...windows.flatMap(({ timeline, after }) => [
      // '~' sorts after '-' and '.': StartAfter skips every object of `after` itself.
      after
        ? lister.list(`${base}${hex8(timeline)}`, {
            startAfter: `${base}${after.slice(0, 16)}/${after}~`,
          })
        : lister.list(`${base}${hex8(timeline)}`),
      after ? lister.list(`${base}${hex8(timeline)}`, { limit: HEAD_KEYS }) : Promise.resolve(null),
    ]),
  ]);
  if (ids[ids.length - 1] !== cached.archiveId) return null;

  let listing = setTimelineHistory(cached, top.objects.map(toArchiveObject));
  windows.forEach(({ timeline, after }, i) => {
    const tail = (pages[2 * i] as BucketObject[]).map(toArchiveObject);
    const head = pages[2 * i + 1];
    if (head) {
      // The head page holds every object before its last key: segments before the last
      // key's segment are complete there, and whatever it lacks before them has expired.
      const objects = head.map(toArchiveObject);
      const lastName = objects[objects.length - 1]?.file.slice(0, 24) ?? '';
      const upTo =
        head.length < HEAD_KEYS
          ? null
          : isSegmentName(lastName)
            ? previousSegment(lastName)
            : undefined;
      if (upTo !== undefined && (upTo !== null || head.length < HEAD_KEYS))
        listing = mergeArchiveObjects(listing, { timeline, after: null, upTo }, objects);
    }
    listing = mergeArchiveObjects(listing, { timeline, after, upTo: null }, tail);
  });

  const present = new Set(
    top.folders.filter((f) => /^[0-9A-F]{16}$/.test(f)).map((f) => parseInt(f.slice(0, 8), 16)),
  );
  for (const timeline of timelines) {
    if (!present.has(timeline))
      listing = mergeArchiveObjects(listing, { timeline, after: null, upTo: null }, []);
  }
  for (const timeline of [...present].filter((t) => !timelines.includes(t))) {
    const objects = (await lister.list(`${base}${hex8(timeline)}`)).map(toArchiveObject);
    listing = mergeArchiveObjects(listing, { timeline, after: null, upTo: null }, objects);
  }
  return { listing, otherArchiveIds: ids.slice(0, -1), mode: 'incremental' };
}
