import type { RemoteShell } from '../agent-install/remote-shell';
import { AppError } from '../app-error';
import {
  parsePoll,
  pollScript,
  removeScript,
  startScript,
  stdoutScript,
  stopScript,
  type AgentCommand,
} from './remote-scripts';

/** The part of the installer's RemoteShell an agent run uses (tests run the scripts locally). */
export type AgentShell = Pick<RemoteShell, 'run'>;

/** Options of {@link runRemoteAgent}. */
export interface RemoteAgentOptions {
  shell: AgentShell;
  agent: AgentCommand;
  /** The agent's command and options, e.g. `['restore', '--spec', json, '--progress']`. */
  args: readonly string[];
  signal: AbortSignal;
  /** Hears each complete stderr line; returns true when it was progress (not kept as log). */
  onLine(line: string): boolean;
  /** What the run is called in messages ("the drill", "the restore"). */
  what: string;
  /** The error code of a run that could not start or was lost. */
  code: 'DRILL_FAILED' | 'RESTORE_FAILED' | 'POINT_FAILED';
  /** Between polls of the command's output (default 250 ms). */
  pollMs?: number;
  /** How long a cancelled command may take to remove what it made (default 180 s). */
  stopWaitSeconds?: number;
  /**
   * The command may refuse a cancel and run to its end (a restore over production past its
   * point of no return): after the stop, its exit code and stdout are returned, not CANCELLED.
   */
  resultAfterStop?: boolean;
  /**
   * When the app shuts down (the job aborted with SHUTTING_DOWN), leave the command running on
   * the server instead of stopping it: work that needs nobody to finish it (a recovery point).
   */
  keepRunningOnShutdown?: boolean;
  /**
   * Hears the run folder on the server as soon as the command runs there: with it a caller
   * that lost the connection follows the same run again ({@link attachRemoteAgent}).
   */
  onStarted?(runDir: string): void;
}

/** How the agent's command ended. */
export interface RemoteAgentOutcome {
  exitCode: number;
  stdout: string;
  /** The last stderr lines that were not progress (the agent's reason when it fails). */
  log: string[];
}

const LOG_LINES_KEPT = 40;
/**
 * How often progress comes back: each poll is one SSH exec (~10 ms on a LAN, a round trip on a
 * WAN). The poll is held on the server until then, and answers at once when the command ends
 * (pollScript), so this pace no longer adds to a restore's time.
 */
const DEFAULT_POLL_MS = 250;
/** Polls in a row that find the agent neither running nor exited before we call it lost. */
const GONE_POLLS = 3;

/**
 * Runs a long agent command on the server, detached (see remote-scripts.ts), hands its stderr
 * lines to `onLine`, and returns its exit code and stdout. On abort the agent gets SIGTERM and
 * this waits until it has exited, so a cancelled drill or restore leaves nothing behind; then
 * it throws CANCELLED.
 */
export async function runRemoteAgent(options: RemoteAgentOptions): Promise<RemoteAgentOutcome> {
  const { shell, signal } = options;
  const started = await shell.run(
    `start ${options.what}`,
    startScript(options.agent, options.args),
    { signal, allowFailure: true },
  );
  const runDir = started.stdout.trim().split('\n').pop() ?? '';
  if (started.code !== 0 || !runDir.startsWith('/')) {
    throw new AppError(
      options.code,
      `${capital(options.what)} could not be started on the server: ${tail(started.stderr || started.stdout)}`,
    );
  }
  options.onStarted?.(runDir);
  return attachRemoteAgent(options, runDir);
}

/**
 * Follows a run that {@link runRemoteAgent} started, from its beginning: again after a dropped
 * connection (the command went on on the server, detached), until it ends. Its stderr is read
 * from the start, so progress and the log are complete; a run that ended meanwhile answers at
 * once with its exit code and stdout.
 */
export async function attachRemoteAgent(
  options: RemoteAgentOptions,
  runDir: string,
): Promise<RemoteAgentOutcome> {
  const { shell, signal } = options;
  /** The poll that saw the end removed the run folder with the same round trip. */
  let removed = false;
  try {
    const { removed: gone, ...outcome } = await follow(options, runDir);
    removed = gone;
    return outcome;
  } catch (err) {
    if (!signal.aborted) throw err;
    if (options.keepRunningOnShutdown && isShutdown(signal.reason)) {
      throw new AppError(
        'SHUTTING_DOWN',
        `${capital(options.what)} goes on on the server; the app stopped following it.`,
      );
    }
    await stop(options, runDir, options.stopWaitSeconds ?? 180);
    if (options.resultAfterStop) return await ended(options, runDir);
    throw new AppError('CANCELLED', 'Cancelled.');
  } finally {
    // Without a signal: the folder goes even after a cancel. Best effort, the run is over.
    if (!removed) {
      await shell.run('remove the run folder', removeScript(runDir), { allowFailure: true });
    }
  }
}

async function follow(
  options: RemoteAgentOptions,
  runDir: string,
): Promise<RemoteAgentOutcome & { removed: boolean }> {
  const { shell, signal } = options;
  const log: string[] = [];
  let offset = 0;
  let gone = 0;
  for (;;) {
    const pace = options.pollMs ?? DEFAULT_POLL_MS;
    const polled = await shell.run(`follow ${options.what}`, pollScript(runDir, offset, pace), {
      signal,
      allowFailure: true,
    });
    if (polled.code !== 0) throw new AppError(options.code, `Polling ${options.what} failed.`);
    const answer = parsePoll(polled.stdout);
    offset += answer.consumed;
    for (const line of answer.lines) {
      if (!options.onLine(line) && line.trim()) log.push(line);
    }
    log.splice(0, Math.max(0, log.length - LOG_LINES_KEPT));
    if (answer.status.kind === 'exit') {
      if (answer.stdout !== null) {
        return { exitCode: answer.status.code, stdout: answer.stdout, log, removed: true };
      }
      const read = await shell.run(`read the result of ${options.what}`, stdoutScript(runDir), {
        signal,
      });
      return { exitCode: answer.status.code, stdout: read.stdout, log, removed: false };
    }
    gone = answer.status.kind === 'gone' ? gone + 1 : 0;
    if (gone >= GONE_POLLS) {
      throw new AppError(
        options.code,
        `The process of ${options.what} on the server ended without an exit status (killed?). ${tail(log.join('\n'))}`,
      );
    }
    // The poll was held on the server; a quick answer (the next progress line) is paced there.
    if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
  }
}

/** The exit code and stdout of a command that has exited (after a stop). */
async function ended(options: RemoteAgentOptions, runDir: string): Promise<RemoteAgentOutcome> {
  const polled = await options.shell.run(
    `read the result of ${options.what}`,
    pollScript(runDir, 0),
    {
      allowFailure: true,
    },
  );
  const answer = parsePoll(polled.stdout);
  const code = answer.status.kind === 'exit' ? answer.status.code : 1;
  return { exitCode: code, stdout: answer.stdout ?? '', log: answer.lines.slice(-LOG_LINES_KEPT) };
}

async function stop(
  options: RemoteAgentOptions,
  runDir: string,
  waitSeconds: number,
): Promise<void> {
  const out = await options.shell.run(`stop ${options.what}`, stopScript(runDir, waitSeconds), {
    allowFailure: true,
  });
  if (out.stdout.trim() !== 'stopped') {
    throw new AppError(
      options.code,
      `${capital(options.what)} was asked to stop but still runs after ${waitSeconds} s; what it made may remain on the server.`,
    );
  }
}

const isShutdown = (reason: unknown): boolean =>
  reason instanceof AppError && reason.code === 'SHUTTING_DOWN';

const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The last lines of a text, for a message. */
export function tail(text: string): string {
  return text.trim().split('\n').slice(-6).join('\n');
}
