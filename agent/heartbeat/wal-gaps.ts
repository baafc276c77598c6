import { z } from 'zod';
import type { Bucket } from '../engines/s3';
import { readJsonFile, writeJsonFile } from '../runtime/json-file';
import { findGaps, isSegmentName, segmentPosition, type WalGap } from './wal-sequence';

/** How far the repository's WAL was checked, and the holes found (stateDir/wal-check.json). */
const WalCheckState = z.object({
  archiveId: z.string().nullable(),
  checkedThrough: z.string().nullable(),
  gaps: z.array(z.object({ after: z.string(), before: z.string(), missing: z.number() })),
});
type WalCheckState = z.infer<typeof WalCheckState>;

const EMPTY: WalCheckState = { archiveId: null, checkedThrough: null, gaps: [] };

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
  const minPos = input.archiveMin ? segmentPosition(input.archiveMin, size) : 0;
  const next: WalCheckState = {
    archiveId: input.archiveId,
    checkedThrough: last ?? from,
    gaps: [...state.gaps, ...gaps].filter((g) => segmentPosition(g.before, size) > minPos),
  };
  writeJsonFile(input.stateFile, next);
  return next.gaps;
}
