import fs from 'node:fs';
import path from 'node:path';
import { AgentError, EXIT } from './errors';

/** True when a process with this PID exists (EPERM counts: it exists, it is just not ours). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The PID stored in a pid/lock file, or undefined when there is none or it is unreadable. */
export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A held lock; release() removes the file if it is still ours. */
export interface HeldLock {
  readonly file: string;
  release(): void;
}

/**
 * Takes an exclusive lock file holding our PID (O_EXCL create). A file left by a process that
 * is gone (kill -9, power cut) is taken over.
 * @throws AgentError (exit code busy) when a live process holds it.
 */
export function acquirePidLock(file: string, what: string): HeldLock {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      return {
        file,
        release() {
          if (readPidFile(file) === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readPidFile(file);
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
        throw new AgentError('lock', `${what} is already running (pid ${holder})`, EXIT.busy);
      }
      // Stale: its owner is gone. Remove and try again (another taker may win the race).
      fs.rmSync(file, { force: true });
    }
  }
  throw new AgentError('lock', `could not take the lock ${file}`, EXIT.busy);
}

/** Resolves once `pid` is gone, or false after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
