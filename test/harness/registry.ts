import type { Cleanup } from './process-types';

// The global list of everything the harness started; see installExitHooks for why.

const registry: Cleanup[] = [];
let hooksInstalled = false;

/**
 * Adds a cleanup to the global registry (stopped by stopAll(), killed on process exit).
 * @returns a function that removes it again (call it once the thing stopped by itself).
 */
export function registerCleanup(cleanup: Cleanup): () => void {
  installExitHooks();
  registry.push(cleanup);
  return () => {
    const index = registry.indexOf(cleanup);
    if (index !== -1) registry.splice(index, 1);
  };
}

/**
 * Stops everything the harness started and that was not stopped yet, newest first (so a
 * database stops before the S3 server it archives to). Never throws; errors are collected
 * and rethrown as one AggregateError after every cleanup ran.
 */
export async function stopAll(): Promise<void> {
  const errors: unknown[] = [];
  while (registry.length > 0) {
    const cleanup = registry.pop() as Cleanup;
    try {
      await cleanup.stop();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'stopAll: some cleanups failed');
}

/** Names of the registered cleanups still pending (for tests of the harness itself). */
export function pendingCleanups(): string[] {
  return registry.map((c) => c.name);
}

let ownSignalHandling = false;

/**
 * For a program that stops what it started itself, in order, on Ctrl-C (the demo): signals no
 * longer kill the registered processes at once (the S3 server gone before PostgreSQL's last
 * WAL is archived made PostgreSQL's shutdown hang, then it was killed and left stale lock
 * files). The 'exit' hook stays as the last resort.
 */
export function stopOnSignalsInOrder(): void {
  ownSignalHandling = true;
}

function killNowAll(): void {
  for (const cleanup of [...registry].reverse()) {
    try {
      cleanup.killNow();
    } catch {
      // Best effort: the process is exiting anyway.
    }
  }
}

// A test runner that dies or is interrupted must not leave postgres, sshd or s3rver behind.
// 'exit' handlers run synchronously only, hence killNow(). For signals we kill our children and
// then, if nobody else handles the signal, re-raise it so the default action (exit) happens.
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killNowAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      if (ownSignalHandling) return;
      killNowAll();
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, handler);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, handler);
  }
}
