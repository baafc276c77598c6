import { z } from 'zod';
import type { Bucket } from '../engines/s3';
import { readJsonFile, writeJsonFile } from '../runtime/json-file';
import { findGaps, isSegmentName, segmentPosition, type WalGap } from './wal-sequence';

/** How far the repository's WAL was checked, and the holes found (stateDir/wal-check.json). */
const WalCheckState = z.object({
  archiveId: z.string().nullable(),
  checkedThrough: z.string().nullable(),
  gaps: z.array(z.object({ after: z.string(), before: z.string(), missing: z.number() })),
  /** The re-read of already checked WAL: the key to list after next, and its segment. */
  recheckAfter: z.string().nullable().default(null),
  recheckLast: z.string().nullable().default(null),
});
type WalCheckState = z.infer<typeof WalCheckState>;

const EMPTY: WalCheckState = {
  archiveId: null,
  checkedThrough: null,
  gaps: [],
  recheckAfter: null,
  recheckLast: null,
};

/**
 * Keys of already checked WAL read again per heartbeat (one LIST request): a segment deleted
 * after it was checked is found within (segments / RECHECK_PAGE) heartbeats, 43 for 30 days
 * of WAL at one segment a minute.
 */
export const RECHECK_PAGE = 1000;

/** Where to look and how far the WAL may be trusted to be complete. */
export interface WalCheckInput {
  bucket: Bucket;
  /** `repo1-path` of the pgBackRest config, e.g. /kumiko/<id>/pgbackrest. */
  repoPath: string;
  stanza: string;
  /** Current archive id from `pgbackrest info` (e.g. 15-1). */
  archiveId: string;
  /** Oldest segment still in the archive (`archive.min`): older holes were expired away. */
  archiveMin: string | null;
  /**
   * Newest segment PostgreSQL reports as archived. PostgreSQL archives strictly in order, so
   * every segment up to here must be in the repository; segments after it may still be in
   * flight (async archiving pushes several in parallel) and are checked next time.
   */
  archivedThrough: string | null;
  walSegmentSize: number;
  stateFile: string;
}

/**
 * Finds holes in the repository's WAL sequence by listing its archive folder, incrementally:
 * each heartbeat lists only keys after the last checked segment (S3 StartAfter), so a repo
 * with 30 days of WAL is listed in full once, then a few keys a minute. A hole stays reported
 * until retention expires the WAL around it. Exact, unlike comparing archive min/max.
 */
export async function checkWalGaps(input: WalCheckInput): Promise<WalGap[]> {
  let state = readJsonFile(input.stateFile, WalCheckState, EMPTY);
  if (state.archiveId !== input.archiveId) state = { ...EMPTY, archiveId: input.archiveId };
  const upper = input.archivedThrough?.slice(0, 24);
  if (!upper || !isSegmentName(upper)) return state.gaps;
  const size = input.walSegmentSize;
  const prefix = `${input.repoPath.replace(/^\/+/, '')}/archive/${input.stanza}/${input.archiveId}/`;
  const from = state.checkedThrough;
  // '~' sorts after '-' and '.', so the listing starts after every object of `from` itself.
  const startAfter = from ? `${prefix}${from.slice(0, 16)}/${from}~` : undefined;
  const keys = await input.bucket.list(prefix, startAfter);
  const limit = segmentPosition(upper, size);
  const names = keys
    .map((key) => key.slice(key.lastIndexOf('/') + 1))
    .filter((file) => /^[0-9A-F]{24}-[0-9a-f]{40}/.test(file))
    .map((file) => file.slice(0, 24))
    .filter((name) => segmentPosition(name, size) <= limit);
  const { gaps, last } = findGaps(names, size, from ?? undefined);
  const checkedThrough = last ?? from;
  const recheck = checkedThrough
    ? await recheckPage(input, prefix, state, segmentPosition(checkedThrough, size))
    : { gaps: [], recheckAfter: null, recheckLast: null };
  const minPos = input.archiveMin ? segmentPosition(input.archiveMin, size) : 0;
  const known = new Set<string>();
  const next: WalCheckState = {
    archiveId: input.archiveId,
    checkedThrough,
    gaps: [...state.gaps, ...gaps, ...recheck.gaps].filter((g) => {
      const id = `${g.after}|${g.before}`;
      if (known.has(id) || segmentPosition(g.before, size) <= minPos) return false;
      known.add(id);
      return true;
    }),
    recheckAfter: recheck.recheckAfter,
    recheckLast: recheck.recheckLast,
  };
  writeJsonFile(input.stateFile, next);
  return next.gaps;
}

/**
 * Reads one page of the WAL checked before, from where the last heartbeat stopped, and finds
 * holes in it: a segment deleted from the bucket after the incremental check saw it (a
 * lifecycle rule, a cleanup by hand, someone with the key) is never listed by that check
 * again. Wraps around to the oldest segment at the end.
 */
async function recheckPage(
  input: WalCheckInput,
  prefix: string,
  state: WalCheckState,
  throughPos: number,
): Promise<Pick<WalCheckState, 'gaps' | 'recheckAfter' | 'recheckLast'>> {
  const size = input.walSegmentSize;
  const keys = await input.bucket.list(prefix, state.recheckAfter ?? undefined, RECHECK_PAGE);
  const names = keys
    .map((key) => key.slice(key.lastIndexOf('/') + 1))
    .filter((file) => /^[0-9A-F]{24}-[0-9a-f]{40}/.test(file))
    .map((file) => file.slice(0, 24))
    .filter((name) => segmentPosition(name, size) <= throughPos);
  const { gaps, last } = findGaps(names, size, state.recheckLast ?? undefined);
  const lastKey = keys.at(-1);
  const done =
    keys.length < RECHECK_PAGE ||
    !lastKey ||
    (last !== undefined && segmentPosition(last, size) >= throughPos);
  return done
    ? { gaps, recheckAfter: null, recheckLast: null }
    : { gaps, recheckAfter: lastKey, recheckLast: last ?? state.recheckLast };
}
