import fs from 'node:fs';
import { AgentError } from './errors';

// Files in folders another OS user can write (a drill's data directory, its WAL staging and
// pgBackRest log folders belong to the cluster's OS user): root opens them without following
// a symlink and only when they are regular files of the expected owner, so what postgres
// plants there (a symlink to /etc/shadow, a FIFO, a hard link to a root file) is never read,
// written or waited on (DESIGN.md §6).

/** Why a file in a folder another user can write was refused. */
export class UntrustedFileError extends AgentError {}

/**
 * Opens `file` for reading without following a symlink (O_NOFOLLOW) and without blocking on a
 * FIFO (O_NONBLOCK), and checks that it is a regular file owned by one of `owners` (null: any
 * owner, for a file whose folder entry only the agent can change). Returns
 * the open descriptor (the caller closes it) or null when there is no such file.
 * Only the last path component is protected: every folder above must be one that the other
 * user cannot replace (an entry of a root-owned folder).
 * @throws UntrustedFileError naming `step` for a symlink, anything not a regular file, or a
 *   foreign owner.
 */
export function openNoFollow(
  file: string,
  owners: readonly number[] | null,
  step: string,
): number | null {
  let fd: number;
  try {
    fd = fs.openSync(
      file,
      fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') {
      throw new UntrustedFileError(step, `${file} is a symbolic link, not a regular file`);
    }
    throw error;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new UntrustedFileError(step, `${file} is not a regular file`);
    if (owners && !owners.includes(st.uid)) {
      throw new UntrustedFileError(
        step,
        `${file} belongs to uid ${st.uid}, not a regular file of the cluster's OS user`,
      );
    }
    return fd;
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/**
 * The text of `file` (see {@link openNoFollow}), at most its last `tailBytes`; null when there
 * is no such file.
 * @throws UntrustedFileError as openNoFollow does.
 */
export function readNoFollow(
  file: string,
  owners: readonly number[] | null,
  step: string,
  tailBytes = Number.POSITIVE_INFINITY,
): string | null {
  const fd = openNoFollow(file, owners, step);
  if (fd === null) return null;
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, tailBytes);
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = fs.readSync(fd, buffer, read, length - read, size - length + read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes `content` to a new file `file` (O_CREAT|O_EXCL|O_NOFOLLOW: never an existing file or
 * a symlink's target), mode `mode`, then hands it to `owner` through the open descriptor. For
 * files in folders only the agent can write; a file that must be replaced is written under a
 * temporary name and renamed over it (see {@link replaceOwnedFile}).
 */
export function writeExclusive(
  file: string,
  content: string,
  mode: number,
  owner?: { uid: number; gid: number },
): void {
  const fd = fs.openSync(
    file,
    fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW,
    mode,
  );
  try {
    fs.writeSync(fd, content);
    fs.fchmodSync(fd, mode);
    if (owner) fs.fchownSync(fd, owner.uid, owner.gid);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Replaces `file`, in a folder only the agent can write, with a new file holding `content`:
 * written exclusively under a temporary name beside it, then renamed over it.
 */
export function replaceOwnedFile(
  file: string,
  content: string,
  mode: number,
  owner?: { uid: number; gid: number },
): void {
  const temporary = `${file}.${process.pid}.new`;
  fs.rmSync(temporary, { force: true });
  writeExclusive(temporary, content, mode, owner);
  fs.renameSync(temporary, file);
}
