import path from 'node:path';
import type { Row } from '../../../node/gdpr/export-rows';
import { tableName } from '../../../node/gdpr/schema-graph';
import type { SubjectMap } from '../../../node/gdpr/subject-map';
import { shq, type RemoteShell } from '../agent-install/remote-shell';

// The subject's attached files for the access export: paths come from the database (untrusted:
// anyone who can write a row can name /etc/shadow), so a file is read only when what was
// actually OPENED lies inside one of the folders the agent backs up as attached files. The
// script opens the file, then asks /proc which file that descriptor is (no race between a
// check and the read: a symlink swapped in later changes nothing), and reads through it.

/** Largest file the export takes (bigger ones are named in the summary, not copied). */
export const ATTACHED_FILE_LIMIT = 100 * 1024 * 1024;

/** A path worth asking the server about: absolute, normalised, one line, under a root. */
export function acceptablePath(candidate: string, roots: readonly string[]): boolean {
  if (!candidate.startsWith('/') || /[\0\n\r]/.test(candidate)) return false;
  if (path.posix.normalize(candidate) !== candidate) return false;
  return roots.some((root) => candidate.startsWith(`${root.replace(/\/+$/, '')}/`));
}

/** The distinct file paths the subject's rows name in the map's file columns. */
export function namedFiles(map: SubjectMap, rows: ReadonlyMap<string, readonly Row[]>): string[] {
  const out = new Set<string>();
  for (const t of map.tables) {
    for (const row of rows.get(tableName(t)) ?? []) {
      for (const column of t.fileColumns) {
        const value = row[column];
        if (typeof value === 'string' && value !== '') out.add(value);
      }
    }
  }
  return [...out];
}

/** The script that prints the file base64-encoded if it is a regular file inside `roots`. */
export function readFileScript(file: string, roots: readonly string[]): string {
  const patterns = roots.map((r) => `${shq(r.replace(/\/+$/, ''))}/*`).join('|');
  return [
    `f=${shq(file)}`,
    // Not a FIFO or device (opening one could block or have effects); re-checked on the descriptor.
    `[ -f "$f" ] && [ ! -L "$f" ] || exit 3`,
    `exec 3< "$f" || exit 3`,
    `real=$(readlink /proc/$$/fd/3)`,
    `case "$real" in ${patterns}) ;; *) exit 4 ;; esac`,
    `[ -f /proc/$$/fd/3 ] || exit 3`,
    `[ "$(stat -L -c %s /proc/$$/fd/3)" -le ${ATTACHED_FILE_LIMIT} ] || exit 5`,
    `base64 -w0 <&3`,
  ].join('\n');
}

export interface AttachedFiles {
  files: Map<string, Uint8Array>;
  /** Named by the rows but not exported, with why (shown in the summary). */
  skipped: { path: string; why: 'outside' | 'missing' | 'too large' }[];
}

/** Reads the files the subject's rows name, within the agent's attached-file folders. */
export async function readAttachedFiles(
  shell: RemoteShell,
  paths: readonly string[],
  roots: readonly string[],
  signal?: AbortSignal,
): Promise<AttachedFiles> {
  const files = new Map<string, Uint8Array>();
  const skipped: AttachedFiles['skipped'] = [];
  for (const file of paths) {
    if (!acceptablePath(file, roots)) {
      skipped.push({ path: file, why: 'outside' });
      continue;
    }
    const result = await shell.run(
      'read an attached file',
      `timeout 120 sh -c ${shq(readFileScript(file, roots))}`,
      {
        allowFailure: true,
        signal,
      },
    );
    if (result.code === 0) files.set(file, Buffer.from(result.stdout.trim(), 'base64'));
    else
      skipped.push({
        path: file,
        why: result.code === 4 ? 'outside' : result.code === 5 ? 'too large' : 'missing',
      });
  }
  return { files, skipped };
}

/**
 * The script that removes one attached file of an erased subject: only when the folder it is
 * in, resolved, lies inside `roots`; the name itself is removed, never followed (a symlink goes,
 * its target stays). Run as that folder's owner when the shell is root: root never writes
 * inside a folder another user can write (a folder swapped in between then only lets that user
 * remove what they could remove anyway). Exit 3: missing; 4: outside; 6: rm failed.
 */
export function removeFileScript(file: string, roots: readonly string[]): string {
  const patterns = roots.map((r) => `${shq(r.replace(/\/+$/, ''))}/*`).join('|');
  return [
    `f=${shq(file)}`,
    `[ -L "$f" ] || [ -f "$f" ] || exit 3`,
    `b=$(basename -- "$f")`,
    `real=$(cd -P -- "$(dirname -- "$f")" 2>/dev/null && pwd -P) || exit 3`,
    `case "$real/" in ${patterns}) ;; *) exit 4 ;; esac`,
    `owner=$(stat -c %U -- "$real") || exit 3`,
    `if [ "$(id -u)" -eq 0 ] && [ "$owner" != root ]; then`,
    `  runuser -u "$owner" -- rm -f -- "$real/$b" || exit 6`,
    `else`,
    `  rm -f -- "$real/$b" || exit 6`,
    `fi`,
  ].join('\n');
}

/** What the erasure did with each attached file the subject's rows named. */
export interface RemovedFiles {
  removed: string[];
  /** Not removed, with why: outside the attached-file folders, already gone, or rm failed. */
  kept: { path: string; why: 'outside' | 'missing' | 'failed' }[];
}

/** Removes the files an erased subject's rows named, within the agent's attached-file folders. */
export async function removeAttachedFiles(
  shell: RemoteShell,
  paths: readonly string[],
  roots: readonly string[],
  signal?: AbortSignal,
): Promise<RemovedFiles> {
  const out: RemovedFiles = { removed: [], kept: [] };
  for (const file of paths) {
    if (!acceptablePath(file, roots)) {
      out.kept.push({ path: file, why: 'outside' });
      continue;
    }
    const result = await shell.run(
      'remove an attached file of the erased subject',
      `timeout 60 sh -c ${shq(removeFileScript(file, roots))}`,
      { allowFailure: true, signal },
    );
    if (result.code === 0) out.removed.push(file);
    else
      out.kept.push({
        path: file,
        why: result.code === 4 ? 'outside' : result.code === 3 ? 'missing' : 'failed',
      });
  }
  return out;
}
