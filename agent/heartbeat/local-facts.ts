import fs from 'node:fs';
import path from 'node:path';
import { runTool } from '../runtime/exec';

/**
 * How many WAL files PostgreSQL has handed to archiving and not yet seen archived: the
 * `.ready` marks in pg_wal/archive_status (0 when the folder cannot be read). pgBackRest's
 * spool holds only its acknowledgements (`.ok`, `.error`) of files already handled, so the
 * files there are no measure of WAL that waits. Only read (as root), never written.
 */
export function walWaiting(dataDirectory: string): number {
  try {
    return fs
      .readdirSync(path.join(dataDirectory, 'pg_wal', 'archive_status'))
      .filter((name) => name.endsWith('.ready')).length;
  } catch {
    return 0;
  }
}

/** Bytes and file count below a folder (0/0 when it does not exist yet). */
export function folderUsage(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (current: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        files++;
        try {
          bytes += fs.statSync(full).size;
        } catch {
          // Removed while we looked (pgBackRest cleans its spool as it goes).
        }
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

/**
 * Free and total bytes of the file system holding `dir` (space for the unprivileged user, as
 * PostgreSQL sees it). fs.statfs exists from Node 18.15; older runtimes fall back to `df`.
 */
export async function diskUsage(dir: string): Promise<{ freeBytes: number; totalBytes: number }> {
  const statfs = (fs.promises as { statfs?: typeof fs.promises.statfs }).statfs;
  if (statfs) {
    const s = await statfs(dir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  }
  const result = await runTool('df', ['-P', '-B1', dir], { step: 'disk space', timeoutMs: 10_000 });
  const fields = (result.stdout.trim().split('\n')[1] ?? '').split(/\s+/);
  return { totalBytes: Number(fields[1] ?? 0), freeBytes: Number(fields[3] ?? 0) };
}
