import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { AgentError, EXIT } from './errors';

/** Options for {@link runTool}. */
export interface RunToolOptions {
  /**
   * OS user to run as. When the agent runs as root and this names another user, the command
   * runs through `runuser -u <user> --`: pgBackRest and psql must never run as root (a root run
   * leaves root-owned files in pgBackRest's lock and spool paths that break the next run).
   */
  runAs?: string;
  /** Extra environment variables (merged over the agent's own). */
  env?: Record<string, string>;
  /** Written to stdin. */
  input?: string;
  /** Kill the command after this long; default 30 minutes (a full backup of 50 GB). */
  timeoutMs?: number;
  /** Aborting stops the command ({@link RunToolOptions.stopSignal}, SIGKILL 10 s later). */
  signal?: AbortSignal;
  /**
   * What an abort or a timeout sends first; default SIGTERM. restic needs SIGINT: only on
   * SIGINT does it remove its lock from the repository before it exits (restic 0.14 dies on
   * SIGTERM and leaves the lock, and every later check or prune then finds it "already locked").
   */
  stopSignal?: NodeJS.Signals;
  /** Step name for errors. */
  step: string;
  /** Throw when the exit code is not 0; default true. */
  check?: boolean;
  /** Called with every stderr chunk (progress for long commands). */
  onStderr?: (chunk: string) => void;
  /**
   * Work beside more urgent work (a drill's attached files beside its database restore): the
   * command runs under `nice -n 19`, and its session's autogroup gets nice 19 too. Where the
   * kernel groups processes by session (sched_autogroup, on by default), a process's own
   * nice only ranks it within its session, and every tool here runs in a session of its own.
   */
  lowPriority?: boolean;
  /**
   * The command writes only into a throwaway environment (a drill's scratch cluster): its
   * fsync and sync calls become no-ops through `eatmydata` where the server has it (see
   * {@link diskSyncSkipper}), so it does not wait for the disk to store data that is deleted
   * minutes later. Never for anything that must survive a crash.
   */
  skipDiskSync?: boolean;
}

/** Exit code and complete output of a command. */
export interface ToolResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The argv that runs `command` as `runAs` (runuser when we are root and it is someone else). */
export function commandLine(
  command: string,
  args: readonly string[],
  runAs: string | undefined,
): [string, string[]] {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (runAs && runAs !== 'root' && asRoot)
    return ['runuser', ['-u', runAs, '--', command, ...args]];
  return [command, [...args]];
}

/** Where {@link diskSyncSkipper} looks besides PATH (a systemd unit's PATH can be short). */
const SYSTEM_BIN_DIRS = ['/usr/local/bin', '/usr/bin', '/bin'];

/**
 * The `eatmydata` wrapper (Debian/Ubuntu package eatmydata, EPEL libeatmydata), or null when
 * the server has none: it runs a command with libeatmydata preloaded, which turns fsync,
 * fdatasync, sync_file_range and O_SYNC into no-ops. A pgBackRest restore of 1 GB spent half
 * its time (2.1 of 4.4 s) waiting in fsync for data a drill deletes minutes later. It also
 * spares production's disk: what the kernel has not written back by the time the drill deletes
 * its folder is dropped unwritten. Looked up on every call: cheap next to the tools it wraps.
 */
export function diskSyncSkipper(
  searchPath = process.env.PATH ?? '',
  systemDirs: readonly string[] = SYSTEM_BIN_DIRS,
): string | null {
  const dirs = [...searchPath.split(':').filter((d) => path.isAbsolute(d)), ...systemDirs];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'eatmydata');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

/**
 * Runs an outside tool (pgbackrest, restic, psql) to completion and returns its output.
 * cwd is `/` so a tool running as postgres never trips over an unreadable current folder.
 * @throws AgentError naming `step` when it cannot start, times out, is aborted, or (with
 *   check) exits non-zero; the message carries the end of stderr.
 */
export function runTool(
  command: string,
  args: readonly string[],
  options: RunToolOptions,
): Promise<ToolResult> {
  const skipper = options.skipDiskSync ? diskSyncSkipper() : null;
  const [tool, toolArgs] = skipper
    ? commandLine(skipper, [command, ...args], options.runAs)
    : commandLine(command, args, options.runAs);
  const [file, argv] = options.lowPriority
    ? ['nice', ['-n', '19', tool, ...toolArgs]]
    : [tool, toolArgs];
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new AgentError(options.step, 'aborted before it started'));
      return;
    }
    const child = spawn(file, argv, {
      // Its own process group: pgBackRest forks local workers (restore:local, backup:local)
      // that outlive a SIGTERM to the main process by seconds; an abort signals the whole
      // group and waits until every one of them is gone, so a clean-up that follows never
      // deletes a folder under a still-writing worker.
      detached: true,
      cwd: '/',
      env: { ...process.env, ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (options.lowPriority && child.pid !== undefined) lowerAutogroup(child.pid);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => stdout.push(c));
    child.stderr?.on('data', (c: Buffer) => {
      stderr.push(c);
      options.onStderr?.(c.toString('utf8'));
    });
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
    let why: string | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (reason: string): void => {
      if (why) return;
      why = reason;
      signalGroup(child.pid, options.stopSignal ?? 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 10_000);
      killTimer.unref();
    };
    const timer = setTimeout(
      () => kill(`timed out after ${Math.round(timeoutMs / 1000)} s`),
      timeoutMs,
    );
    const onAbort = (): void => kill('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.once('error', (error) => {
      finish();
      reject(new AgentError(options.step, `could not run ${command}: ${error.message}`));
    });
    child.once('close', async (code, signal) => {
      if (why) await groupGone(child.pid);
      finish();
      const result: ToolResult = {
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
      if (why) {
        reject(new AgentError(options.step, `${command} ${why}${tail(result)}`));
      } else if ((options.check ?? true) && code !== 0) {
        reject(toolFailed(options.step, command, result));
      } else {
        resolve(result);
      }
    });
  });
}

/**
 * Gives the autogroup of session leader `pid` nice 19 (Linux with sched_autogroup). Best
 * effort: without autogroups, or without the right, `nice -n 19` alone applies.
 */
function lowerAutogroup(pid: number): void {
  try {
    fs.writeFileSync(`/proc/${pid}/autogroup`, '19');
  } catch {
    // No /proc/<pid>/autogroup (kernel without it, or the process already gone).
  }
}

/** Sends `signal` to the process group led by `pid` (ignored when it is gone). */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** Resolves once no process of group `pid` is left: SIGKILL after 10 s, gives up after 20 s. */
async function groupGone(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  const started = Date.now();
  for (;;) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    const waited = Date.now() - started;
    if (waited > 20_000) return;
    if (waited > 10_000) signalGroup(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The error runTool throws for a tool that exited non-zero (for callers that ran it unchecked). */
export function toolFailed(step: string, command: string, result: ToolResult): AgentError {
  const status = result.signal
    ? `was killed by ${result.signal}`
    : `exited with code ${result.code}`;
  return new AgentError(step, `${command} ${status}${tail(result)}`, EXIT.failed);
}

/** The last lines of a failed command's stderr (or stdout), for the error message. */
function tail(result: ToolResult): string {
  const text = (result.stderr.trim() || result.stdout.trim()).slice(-2_000);
  return text ? `: ${text}` : '';
}
