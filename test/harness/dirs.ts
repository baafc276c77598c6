import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { osUser } from './os-user';

/** A folder a harness piece writes into. */
export interface WorkDir {
  readonly path: string;
  /** True when the harness created it as a temp dir (and so may delete it). */
  readonly temporary: boolean;
  /** Deletes a temporary dir (unless KUMIKO_KEEP_TEST_DIRS=1); leaves a given baseDir alone. */
  remove(): Promise<void>;
  /** Synchronous remove() for the process 'exit' hook. */
  removeSync(): void;
}

/**
 * Uses `baseDir` when given (created if missing; the demo passes its own folder), otherwise a
 * fresh `fs.mkdtemp` dir under os.tmpdir(). The dir is made world-traversable (0755) because
 * services that run as `postgres` need to reach their files inside it.
 */
export function makeWorkDir(prefix: string, baseDir?: string): WorkDir {
  const dir = baseDir
    ? path.resolve(baseDir)
    : fs.mkdtempSync(path.join(os.tmpdir(), `kumiko-${prefix}-`));
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  const temporary = baseDir === undefined;
  return {
    path: dir,
    temporary,
    async remove() {
      if (!temporary || process.env.KUMIKO_KEEP_TEST_DIRS === '1') return;
      await fs.promises.rm(dir, { recursive: true, force: true, maxRetries: 3 });
    },
    removeSync() {
      if (!temporary || process.env.KUMIKO_KEEP_TEST_DIRS === '1') return;
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        // Best effort while the process exits.
      }
    },
  };
}

/**
 * Creates `dir` (recursively) owned by an OS user with the given mode.
 * @throws Error when a parent folder is not traversable by others, because the user could not
 *   reach the folder however it is owned (a mkdtemp dir is 0700, for example).
 */
export function makeOwnedDir(dir: string, owner: string, mode = 0o700): string {
  const user = osUser(owner);
  fs.mkdirSync(dir, { recursive: true });
  fs.chownSync(dir, user.uid, user.gid);
  fs.chmodSync(dir, mode);
  assertTraversable(path.dirname(dir), owner);
  return dir;
}

/** Hands an existing file or folder to an OS user. */
export function chownTo(target: string, owner: string): void {
  const user = osUser(owner);
  fs.chownSync(target, user.uid, user.gid);
}

/**
 * Checks that every folder from `dir` up to `/` lets others (or `owner`) pass through.
 * @throws Error naming the first folder that blocks.
 */
export function assertTraversable(dir: string, owner: string): void {
  const user = osUser(owner);
  let current = path.resolve(dir);
  for (;;) {
    const stat = fs.statSync(current);
    const passable =
      (stat.mode & 0o001) !== 0 ||
      (stat.uid === user.uid && (stat.mode & 0o100) !== 0) ||
      (stat.gid === user.gid && (stat.mode & 0o010) !== 0);
    if (!passable) {
      throw new Error(
        `${current} is not traversable by OS user ${owner} (mode ${(stat.mode & 0o777).toString(8)}); ` +
          'chmod o+x it or use a baseDir elsewhere',
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}
