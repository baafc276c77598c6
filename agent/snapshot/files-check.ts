import type { AgentConfig } from '../../shared/agent/config';
import {
  resticFindInSnapshot,
  resticStructureCheck,
  type ResticBackupResult,
} from '../engines/restic';
import type { ToolResult } from '../runtime/exec';
import { AgentError, EXIT } from '../runtime/errors';

// A recovery point proves its own attached files (issue 21 §2). restic 0.14 reuses every blob
// its index lists: after a pack vanished from the bucket, the next backup succeeds and refers
// to blobs that are gone, and only a restore finds out. So after each restic snapshot the
// repository's structure is checked (restic check --with-cache: the bucket's pack listing
// against the index, the snapshots' trees against the index; no data is downloaded), and the
// point fails when the new snapshot depends on something missing.

/** How the heal is named to the admin, wherever the failure shows (agent log, app, CLI). */
export const HEAL_HINT =
  'Heal it with `kumiko point heal` or Heal in the console: restic rebuilds its index, so the next backup uploads the missing data again, and a new recovery point is taken.';

/** What the check found; `seconds` is its own duration (the bench reports it). */
export interface FilesCheck {
  seconds: number;
  /** Data older snapshots lost that the new one does not need (logged, the drill names it). */
  olderDamage: string | null;
}

const PACK_MISSING = /^pack ([0-9a-f]{64}): does not exist$/gm;
const BLOB_MISSING = /blob ([0-9a-f]{64}) not found in index/g;
/** Ids per `restic find` call: well inside the argument limit. */
const FIND_BATCH = 1_000;

/**
 * Checks that every blob the new restic snapshot refers to is stored.
 * @throws AgentError (step 'attached files check', exit EXIT.filesMissing) naming what is
 * missing and the heal, when the snapshot depends on a pack the bucket lacks or a blob the index
 * lacks; also when restic's check fails in a way it does not explain (the point is then not
 * proven, so it does not count as one).
 */
export async function checkPointFiles(
  config: AgentConfig,
  cacheDir: string,
  snapshot: ResticBackupResult,
  signal?: AbortSignal,
): Promise<FilesCheck> {
  const started = Date.now();
  const check = await resticStructureCheck(config, cacheDir, signal);
  const seconds = (Date.now() - started) / 1000;
  if (check.code === 0) return { seconds, olderDamage: null };
  const text = `${check.stdout}\n${check.stderr}`;
  const packs = [...new Set([...text.matchAll(PACK_MISSING)].map((m) => m[1] as string))];
  const blobs = [...new Set([...text.matchAll(BLOB_MISSING)].map((m) => m[1] as string))];
  if (packs.length > 0) {
    // The index still lists the pack's blobs: this and every later backup may reuse them, and
    // a pack of trees cannot be traced to a snapshot with restic's tools. Not proven.
    const files = await findIn(config, cacheDir, 'pack', packs, snapshot.snapshotId, signal);
    throw missing(
      `${packs.length} pack(s) of the attached files' repository are gone from the bucket (first ${short(packs[0])}) while restic's index still lists their data` +
        (files && files.length > 0
          ? `; ${files.length} file(s) of this point are in them, e.g. ${files[0]}`
          : ''),
    );
  }
  if (blobs.length > 0) {
    const files = await findIn(config, cacheDir, 'blob', blobs, snapshot.snapshotId, signal);
    if (files === null || files.length > 0) {
      throw missing(
        `${blobs.length} blob(s) the repository's snapshots refer to are not stored` +
          (files ? `; ${files.length} file(s) of this point need them, e.g. ${files[0]}` : ''),
      );
    }
    // Older snapshots lost data whose files are gone from disk; this point has all of its own.
    return {
      seconds,
      olderDamage: `${blobs.length} blob(s) older snapshots refer to are not stored (first ${short(blobs[0])}); this point's files are complete`,
    };
  }
  throw missing(`restic check could not prove the repository whole: ${lastLines(check)}`);
}

/** Files of the snapshot among `ids`; null when restic could not say (counts as affected). */
async function findIn(
  config: AgentConfig,
  cacheDir: string,
  kind: 'blob' | 'pack',
  ids: readonly string[],
  snapshotId: string,
  signal?: AbortSignal,
): Promise<string[] | null> {
  try {
    const found: string[] = [];
    for (let i = 0; i < ids.length && found.length === 0; i += FIND_BATCH) {
      found.push(
        ...(await resticFindInSnapshot(
          config,
          cacheDir,
          kind,
          ids.slice(i, i + FIND_BATCH),
          snapshotId,
          signal,
        )),
      );
    }
    return found;
  } catch (error) {
    if (signal?.aborted) throw error;
    return null;
  }
}

function missing(what: string): AgentError {
  return new AgentError(
    'attached files check',
    `${what}. The database part of this backup is intact, but the point does not count: its attached files could not be restored. ${HEAL_HINT}`,
    EXIT.filesMissing,
  );
}

const short = (id: string | undefined): string => (id ?? '').slice(0, 8);

function lastLines(result: ToolResult): string {
  const lines = `${result.stdout}\n${result.stderr}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.slice(-3).join(' / ') || `exit code ${result.code}`;
}
