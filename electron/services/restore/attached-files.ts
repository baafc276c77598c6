import type { RestoreCheck } from '../../../shared/contract';
import { shq } from './restore-shell';
import type { RestoreSite } from './restore-site';
import type { ScratchPaths } from './scratch-paths';

/** The recovery point whose restic snapshot is restored, and what its manifest recorded. */
export interface AttachedFilesSource {
  label: string;
  resticSnapshotId: string;
  /** The point's end: the files are as of then, not of the restore's target moment. */
  takenAt: string | null;
  /** File count and bytes from the point's manifest, when it has one. */
  expected: { fileCount: number; bytes: number } | null;
}

/** Parses the `<files> <bytes>` line the restore script prints last. */
export function parseFileTotals(stdout: string): { files: number; bytes: number } | null {
  const lines = stdout.trim().split('\n');
  const m = /^(\d+) (\d+)$/.exec(lines[lines.length - 1] ?? '');
  return m ? { files: Number(m[1]), bytes: Number(m[2]) } : null;
}

/**
 * Restores the attached files of a recovery point with restic into `<scratch>/files`, as root
 * (the files keep their owners), with the agent's password file and S3 keys passed in the
 * script's environment — never on a command line. A cancel's clean-up stops restic by its
 * command line, which names the scratch folder. Returns the 'files' check: the file count and bytes
 * against the manifest.
 */
export async function restoreAttachedFiles(
  site: RestoreSite,
  paths: ScratchPaths,
  source: AttachedFilesSource,
  signal?: AbortSignal,
): Promise<RestoreCheck> {
  const restic = site.restic;
  if (!restic) {
    return { name: 'files', ok: false, detail: 'no restic repository is configured for this host' };
  }
  const env = Object.entries({
    ...restic.env,
    RESTIC_REPOSITORY: restic.repository,
    RESTIC_PASSWORD_FILE: restic.passwordFile,
  }).map(([name, value]) => `export ${name}=${shq(value)}`);
  const args = [
    ...(restic.caFile ? ['--cacert', restic.caFile] : []),
    '--cache-dir',
    paths.resticCache,
    'restore',
    source.resticSnapshotId,
    '--target',
    paths.files,
  ];
  const out = await site.shell.run(
    'restore attached files',
    [
      ...env,
      `mkdir -p -m 700 ${shq(paths.files)}`,
      `restic ${args.map(shq).join(' ')} >/dev/null`,
      `find ${shq(paths.files)} -type f -printf '%s\\n' | awk '{n++; s+=$1} END {printf "%d %d\\n", n, s}'`,
    ].join('\n'),
    { signal },
  );
  const totals = parseFileTotals(out.stdout);
  if (!totals) return { name: 'files', ok: false, detail: 'restic restored nothing countable' };
  const got = `${totals.files} files, ${totals.bytes} bytes from snapshot ${source.resticSnapshotId.slice(0, 8)} of ${source.label} in ${paths.files}, as of ${source.takenAt ?? 'the recovery point'} (attached files are saved daily, not continuously)`;
  if (!source.expected) return { name: 'files', ok: totals.files > 0, detail: got };
  const ok = totals.files === source.expected.fileCount && totals.bytes === source.expected.bytes;
  return {
    name: 'files',
    ok,
    detail: ok
      ? got
      : `${got}; the manifest recorded ${source.expected.fileCount} files, ${source.expected.bytes} bytes`,
  };
}
