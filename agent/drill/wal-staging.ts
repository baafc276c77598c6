import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { pgbackrest } from '../engines/pgbackrest';
import { segmentName, segmentParts } from '../heartbeat/wal-sequence';
import { errorMessage } from '../runtime/errors';
import { runTool } from '../runtime/exec';
import type { DrillPaths } from './scratch-paths';

/**
 * The WAL a drill's recovery asks for, fetched from the repository beside the restore.
 *
 * A drill's recovery replays only the backup's own WAL (start to stop segment) and then,
 * promoting, asks for timeline history files that mostly do not exist. Each ask through
 * restore_command is one `pgbackrest archive-get` (a process, its config, an S3 request):
 * 0.1-0.2 s apiece, five or six of them between start and promotion, while the table
 * comparison already takes both cores. Fetched while pgBackRest is still writing and syncing
 * the data files (CPU mostly idle then), the same files come from a local folder instead; the
 * WAL is still pgBackRest's own archive-get from the repository, checksummed and decrypted as
 * always, only earlier.
 */

/** Never stage more segments than this (16 MB each); recovery fetches the rest itself. */
export const MAX_STAGED_SEGMENTS = 16;

/** `0000000N.history` of a timeline. */
export const historyFileName = (timeline: number): string =>
  `${timeline.toString(16).toUpperCase().padStart(8, '0')}.history`;

/**
 * What to fetch for a backup whose WAL runs from segment `start` to `stop`:
 * - the segments from start to stop, and the one after stop (PostgreSQL reads ahead past the
 *   consistency point), when start and stop share timeline and log number (no segment size
 *   needed to count); otherwise only start and stop. At most {@link MAX_STAGED_SEGMENTS};
 * - the history file of the backup's timeline (PostgreSQL asks for it when it writes the new
 *   timeline's history; timeline 1 has none) and of the next one (asked when choosing the new
 *   timeline; normally absent).
 * Any name may be missing from the repository (the segment after stop often is).
 */
export function recoveryWalNames(
  start: string | null,
  stop: string | null,
): { segments: string[]; histories: string[] } {
  const first = start ? segmentParts(start) : null;
  const last = stop ? segmentParts(stop) : null;
  if (!first || !last || !start || !stop) return { segments: [], histories: [] };
  const segments: string[] = [];
  if (first.timeline === last.timeline && first.log === last.log) {
    for (let n = first.segment; n <= last.segment + 1; n++) {
      if (segments.length === MAX_STAGED_SEGMENTS) break;
      segments.push(segmentName(first.timeline, first.log, n));
    }
  } else {
    segments.push(start, ...(stop === start ? [] : [stop]));
  }
  const { timeline } = first;
  return { segments, histories: [historyFileName(timeline), historyFileName(timeline + 1)] };
}

/** What was staged, for the restore_command and the evidence. */
export interface StagedWal {
  dir: string;
  /** Names now in `dir`. */
  fetched: string[];
  /**
   * Names the repository does not have. History files among them are marked `<name>.absent` in
   * `dir` (recovery then hears "not found" at once); a segment is not marked, as it may still
   * be archived while the drill runs, so recovery asks the repository for it again.
   */
  absent: string[];
  /** Names that could not be fetched for another reason; recovery asks the repository itself. */
  failed: string[];
}

/** pgBackRest archive-get's exit code when the file is not in the repository. */
const NOT_IN_ARCHIVE = 1;

/**
 * Fetches the names of {@link recoveryWalNames} into `paths.walStaging` with synchronous
 * `pgbackrest archive-get`, one at a time and at low priority (the restore beside it has the
 * cores). A file lands under a temporary name and is renamed once complete, so the folder
 * never holds half a segment. Everything in the folder is written by the cluster's OS user
 * (pgBackRest runs as that user, and so do the renames and markers). Never throws for a fetch
 * that fails; rethrows an abort.
 */
export async function stageRecoveryWal(
  config: AgentConfig,
  paths: DrillPaths,
  archive: { start: string | null; stop: string | null },
  signal?: AbortSignal,
  through?: { segment: string; waitMs: number } | null,
): Promise<StagedWal> {
  const { segments, histories } = recoveryWalNames(archive.start, archive.stop);
  const staged: StagedWal = { dir: paths.walStaging, fetched: [], absent: [], failed: [] };
  // The segment holding an exact manifest's position: archived a moment after the recovery
  // point (its snapshot switched to it without waiting), so a drill right after waits for it.
  const last = through && !segments.includes(through.segment) ? [through.segment] : [];
  const deadline = Date.now() + (through?.waitMs ?? 0);
  const fetch = (name: string, partial: string) =>
    pgbackrest(
      config,
      [
        `--lock-path=${paths.lock}`,
        `--log-path=${paths.pgbackrestLog}`,
        '--no-archive-async',
        'archive-get',
        name,
        partial,
      ],
      'pgbackrest archive-get',
      { check: false, signal, timeoutMs: 600_000, lowPriority: true },
    );
  // Renamed and marked at the end, in one go as the staging folder's owner (see
  // finishStaging): nothing reads the folder before the staging has returned.
  const renames: [string, string][] = [];
  const markers: string[] = [];
  for (const name of [...segments, ...last, ...histories]) {
    const target = path.join(paths.walStaging, name);
    const partial = `${target}.part`;
    try {
      let result = await fetch(name, partial);
      while (result.code === NOT_IN_ARCHIVE && name === through?.segment && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        result = await fetch(name, partial);
      }
      if (result.code === 0) {
        renames.push([partial, target]);
        staged.fetched.push(name);
      } else if (result.code === NOT_IN_ARCHIVE) {
        if (name.endsWith('.history')) markers.push(`${target}.absent`);
        staged.absent.push(name);
      } else {
        staged.failed.push(name);
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      staged.failed.push(`${name} (${errorMessage(error)})`);
    }
  }
  try {
    await finishStaging(config, renames, markers, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    // Whatever is in the folder now is complete (a rename is atomic); recovery asks the
    // repository for the rest, as for any name not staged.
    const why = errorMessage(error);
    staged.failed.push(...staged.fetched.map((n) => `${n} (${why})`));
    staged.fetched = [];
    staged.absent = staged.absent.filter((n) => !n.endsWith('.history'));
  }
  return staged;
}

/**
 * Renames each fetched `<name>.part` to `<name>` and creates the `<name>.absent` markers, in one
 * `sh` run as the cluster's OS user: the staging folder is that user's, and root never writes
 * into it (a marker's name may be a symlink it planted; DESIGN.md §6).
 * @throws AgentError when a rename or marker fails.
 */
async function finishStaging(
  config: AgentConfig,
  renames: readonly [string, string][],
  markers: readonly string[],
  signal?: AbortSignal,
): Promise<void> {
  if (renames.length === 0 && markers.length === 0) return;
  const script =
    'set -e; umask 077; n=$1; shift; ' +
    'while [ "$n" -gt 0 ]; do mv -f -- "$1" "$2"; shift 2; n=$((n - 1)); done; ' +
    'for f in "$@"; do : > "$f"; done';
  await runTool(
    '/bin/sh',
    ['-c', script, 'sh', String(renames.length), ...renames.flat(), ...markers],
    { runAs: config.pg.osUser, step: 'stage the recovery WAL', signal, timeoutMs: 60_000 },
  );
}

/** One line for the restore's evidence: what recovery found locally. */
export function describeStaging(staged: StagedWal | null): string {
  if (!staged) return 'WAL staging: none (recovery fetched every file from the repository)';
  const list = (names: string[]) => (names.length > 0 ? names.join(', ') : 'none');
  return (
    `WAL staged beside the restore (pgbackrest archive-get into ${staged.dir}): ${list(staged.fetched)}; ` +
    `not in the repository: ${list(staged.absent)}; not fetched: ${list(staged.failed)}`
  );
}
