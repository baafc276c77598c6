import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { OutputTail } from './output-tail';

// Types shared by the process helpers (spawn, run, stop, registry).

/** How a process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options shared by long-running servers and one-shot commands. */
export interface ProcessOptions {
  cwd?: string;
  /** Full environment; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** OS account to run as (e.g. 'postgres'); uid, gid, HOME, USER and LOGNAME follow it. */
  runAs?: string;
  /** Also append stdout and stderr to this file (for humans debugging a failed run). */
  logFile?: string;
  /** Characters of output kept for error messages; default 64 KiB. */
  tailLimit?: number;
  /** How stop() without arguments and stopAll() stop this server (spawnManaged only). */
  defaultStop?: StopOptions;
}

/** How to stop a process. */
export interface StopOptions {
  /** First signal; default SIGTERM. PostgreSQL wants SIGINT (fast shutdown). */
  signal?: NodeJS.Signals;
  /** Wait this long for a graceful exit before SIGKILL; default 10 s. */
  timeoutMs?: number;
  /** Send the first signal to the whole process group instead of the leader only; default true. */
  group?: boolean;
}

/** A server started by the harness, tracked by PID until stopped. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Last part of stdout+stderr, interleaved. */
  readonly output: OutputTail;
  /** Settles when the process exits (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** Set once the process has exited. */
  readonly exitInfo: ExitInfo | undefined;
  /** Resolves with the first match of `pattern` in new or retained output. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** A message with exit status and output tail if the process has exited, else undefined. */
  exitReason(): string | undefined;
  /** Stops the process (and its process group) by PID; safe to call repeatedly. */
  stop(options?: StopOptions): Promise<void>;
}

/** Result of a one-shot command. */
export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Options for {@link runCommand}. */
export interface RunOptions extends ProcessOptions {
  /** Written to stdin (a string, a Buffer or a stream piped in). */
  input?: string | Buffer | Readable;
  /** Kill the command after this long; default 120 s. */
  timeoutMs?: number;
  /** Throw when the exit code is not 0 (default true). */
  check?: boolean;
  /** Name used in error messages; defaults to the command. */
  name?: string;
}

/** Something the registry stops in stopAll() and kills synchronously on process exit. */
export interface Cleanup {
  readonly name: string;
  stop(): Promise<void>;
  /** Synchronous last resort for the 'exit' hook: SIGKILL everything this cleanup owns. */
  killNow(): void;
}
