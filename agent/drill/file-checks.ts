import fs from 'node:fs';
import type { AgentConfig } from '../../shared/agent/config';
import type { RecoveryPointManifest } from '../../shared/agent/manifest';
import type { DrillCheck } from '../../shared/report/drill-result';
import { resticCheck, resticRestore, resticUnlockStale } from '../engines/restic';
import type { ToolResult } from '../runtime/exec';
import { checkWord } from '../../shared/report/check-words';
import { drillCheck, EVIDENCE } from './checks';
import { folderUsage } from '../heartbeat/local-facts';

/** What the attached-files checks say when the server has none. */
export const NO_ATTACHED_FILES = 'no attached files configured';

const output = (result: ToolResult): string =>
  [result.stdout.trim(), result.stderr.trim()].filter((t) => t !== '').join('\n');

/** The attached files of a recovery point: what the manifest recorded about them. */
export type AttachedFiles = Pick<
  RecoveryPointManifest['restic'],
  'snapshotId' | 'fileCount' | 'bytes'
>;

/**
 * `files-hash`: `restic restore --verify` of the recovery point's snapshot into the drill's
 * folder (restic reads every restored file back and compares it with the snapshot's content
 * hashes), then the restored file count and bytes against the manifest.
 */
export async function filesHashCheck(
  config: AgentConfig,
  cacheDir: string,
  attached: AttachedFiles | null,
  target: string,
  signal?: AbortSignal,
): Promise<{ check: DrillCheck; evidence: Record<string, string>; bytes: number | null }> {
  const ids = [EVIDENCE.files];
  if (!attached) {
    const why =
      'the manifest could not be trusted, so the snapshot of the attached files is unknown';
    return {
      check: drillCheck('files-hash', false, why, ids, [checkWord('files.manifestUntrusted')]),
      evidence: { [EVIDENCE.files]: `${why}\n` },
      bytes: null,
    };
  }
  if (!attached.snapshotId) {
    const none = config.restic.paths.length === 0;
    const detail = none
      ? NO_ATTACHED_FILES
      : `attached-file paths are configured, but recovery point has no restic snapshot`;
    return {
      check: drillCheck('files-hash', none, detail, ids, [
        checkWord(none ? 'files.none' : 'files.noSnapshot'),
      ]),
      evidence: { [EVIDENCE.files]: `${detail}\n` },
      bytes: null,
    };
  }
  // restic restores as root (the files get their owners back): only into a folder that is the
  // agent's alone (scratch-env.ts makes it, 0700), never one another user could have replaced
  // with a symlink to a folder of root's.
  const unsafe = unsafeTarget(target);
  if (unsafe) {
    const why = `refused to restore the attached files: ${unsafe}`;
    return {
      check: drillCheck('files-hash', false, why, ids, [
        checkWord('files.refused', { detail: unsafe }),
      ]),
      evidence: { [EVIDENCE.files]: `${why}\n` },
      bytes: null,
    };
  }
  // Beside the database's restore and verification: restic takes what CPU they leave.
  const restored = await resticRestore(config, cacheDir, attached.snapshotId, target, signal, true);
  const totals = folderUsage(target);
  const short = attached.snapshotId.slice(0, 8);
  const verified = restored.code === 0;
  const matches = totals.files === attached.fileCount && totals.bytes === attached.bytes;
  const got = `${totals.files} files, ${totals.bytes} bytes restored from snapshot ${short}`;
  const want = `the manifest recorded ${attached.fileCount} files, ${attached.bytes} bytes`;
  const counts = {
    files: totals.files,
    bytes: totals.bytes,
    snapshot: short,
    manifestFiles: attached.fileCount,
    manifestBytes: attached.bytes,
  };
  const word = !verified
    ? checkWord('files.verifyFailed', {
        code: String(restored.code),
        detail: output(restored).split('\n').slice(-3).join(' / '),
      })
    : checkWord(matches ? 'files.matches' : 'files.differs', counts);
  const detail = !verified
    ? `restic restore --verify failed (exit code ${restored.code}): ${output(restored).split('\n').slice(-3).join(' / ')}`
    : matches
      ? `${got}; restic verified every file against the snapshot's hashes; ${want}`
      : `${got}, but ${want}`;
  return {
    check: drillCheck(
      'files-hash',
      verified && matches,
      detail,
      [EVIDENCE.files, EVIDENCE.resticRestore],
      [word],
    ),
    evidence: {
      [EVIDENCE.resticRestore]: `$ restic restore ${short} --target <drill>/files --verify\nexit code: ${restored.code}\n\n${output(restored)}\n`,
      [EVIDENCE.files]: `restored: ${totals.files} files, ${totals.bytes} bytes\nmanifest: ${attached.fileCount} files, ${attached.bytes} bytes\nrestic --verify: ${verified ? 'ok' : 'failed'}\n`,
    },
    bytes: totals.bytes,
  };
}

/** Why `target` is no folder for restic to restore into as root; null when it is one. */
function unsafeTarget(target: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(target);
  } catch (error) {
    return `${target} is missing (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`;
  }
  const me = process.getuid?.() ?? 0;
  if (st.isSymbolicLink()) return `${target} is a symbolic link`;
  if (!st.isDirectory()) return `${target} is not a folder`;
  if (st.uid !== me || (st.mode & 0o077) !== 0) {
    return `${target} is not the agent's alone (owner uid ${st.uid}, mode ${(st.mode & 0o777).toString(8)})`;
  }
  return null;
}

/**
 * `restic-check`: `restic check --read-data-subset=<percent>%` on the repository, after
 * `restic unlock` has removed the locks of restic runs that were killed (the check needs the
 * repository to itself; see resticUnlockStale). Both outputs are the evidence.
 */
export async function resticCheckCheck(
  config: AgentConfig,
  cacheDir: string,
  percent: number,
  signal?: AbortSignal,
): Promise<{ check: DrillCheck; evidence: string }> {
  if (config.restic.paths.length === 0) {
    return {
      check: drillCheck(
        'restic-check',
        true,
        NO_ATTACHED_FILES,
        [EVIDENCE.resticCheck],
        [checkWord('files.none')],
      ),
      evidence: `${NO_ATTACHED_FILES}\n`,
    };
  }
  const unlock = await resticUnlockStale(config, cacheDir, signal);
  // At low priority: the drill's data is back, and this runs beside production's own work.
  const result = await resticCheck(config, cacheDir, percent, signal, true);
  const text = output(result);
  const clean = result.code === 0 && /no errors were found/.test(text);
  const detail = clean
    ? `restic check read ${percent}% of the data packs: no errors were found`
    : // The heal first: a long restic message is what the detail's length limit cuts.
      `restic check --read-data-subset=${percent}% failed (exit code ${result.code}); to heal, rebuild restic's index ` +
      `(restic rebuild-index with the agent's repository settings), forget the snapshots restic check names as damaged, ` +
      `then take a new recovery point: ${text.split('\n').slice(-3).join(' / ')}`;
  return {
    check: drillCheck(
      'restic-check',
      clean,
      detail,
      [EVIDENCE.resticCheck],
      [
        clean
          ? checkWord('restic.passed', { percent })
          : checkWord('restic.failed', {
              percent: String(percent),
              code: String(result.code),
              detail: text.split('\n').slice(-3).join(' / '),
            }),
      ],
    ),
    evidence:
      `$ restic unlock (removes stale locks only; restic 0.14 reports "successfully removed locks" also when there were none)\n` +
      `exit code: ${unlock.code}\n${output(unlock)}\n\n` +
      `$ restic check --read-data-subset=${percent}%\nexit code: ${result.code}\n\n${text}\n`,
  };
}
