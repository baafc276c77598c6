import type { ChildProcess } from 'node:child_process';
import { descendantsOf, isAlive } from './proc-table';
import type { ManagedProcess, StopOptions } from './process-types';

/** Sends a signal to a process group (or the single process); ignores processes that are gone. */
export function sendSignal(pid: number, signal: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, signal);
  } catch {
    // ESRCH: the group or process is gone already. Fall back to the leader for group sends,
    // because a leader that called setsid() elsewhere may not lead a group of its own PID.
    if (group) {
      try {
        process.kill(pid, signal);
      } catch {
        // Gone.
      }
    }
  }
}

/** SIGKILL to each PID, ignoring those that are gone. */
export function killSync(pids: number[]): void {
  for (const pid of pids) sendSignal(pid, 'SIGKILL', false);
}

async function waitGone(
  pid: number,
  exited: Promise<unknown> | undefined,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  if (exited) {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([exited.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return result;
  }
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

/**
 * Stops a process by PID: `signal` (SIGTERM) to its process group, SIGKILL to the group and
 * every descendant after `timeoutMs`. Descendants that left the group (sshd's per-connection
 * children call setsid) are killed too, so nothing outlives the server.
 * @param target a ManagedProcess, a node ChildProcess or a bare PID.
 */
export async function stopProcess(
  target: ManagedProcess | ChildProcess | number,
  options: StopOptions = {},
): Promise<void> {
  const { signal = 'SIGTERM', timeoutMs = 10_000, group = true } = options;
  let pid: number | undefined;
  let exited: Promise<unknown> | undefined;
  if (typeof target === 'number') {
    pid = target;
  } else if ('output' in target) {
    pid = target.pid;
    if (target.exitInfo) return;
    exited = target.exited;
  } else {
    pid = target.pid;
    if (target.exitCode !== null || target.signalCode !== null) return;
    const child = target;
    exited = new Promise((resolve) => child.once('exit', resolve));
  }
  if (pid === undefined || !isAlive(pid)) return;
  const tree = descendantsOf(pid);
  sendSignal(pid, signal, group);
  if (!(await waitGone(pid, exited, timeoutMs))) {
    sendSignal(pid, 'SIGKILL', true);
    killSync([pid, ...tree]);
    await waitGone(pid, exited, 5_000);
  }
  killSync(tree.filter(isAlive));
}
