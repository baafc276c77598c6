import { parseDrillProgressLine, type DrillProgress } from '../../../shared/agent/drill';
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

/** The part of the installer's RemoteShell a drill uses (tests run the scripts locally). */
export type DrillShell = Pick<RemoteShell, 'run'>;

/** Options of {@link runRemoteDrill}. */
export interface RemoteDrillOptions {
  shell: DrillShell;
  agent: AgentCommand;
  signal: AbortSignal;
  onProgress(progress: DrillProgress): void;
  /** Between polls of the drill's output (default 1 s). */
  pollMs?: number;
  /** How long a cancelled drill may take to remove its throwaway environment (default 180 s). */
  stopWaitSeconds?: number;
}

/** How the agent's drill ended. */
export interface RemoteDrillOutcome {
  exitCode: number;
  stdout: string;
  /** The last stderr lines that were not progress (the agent's reason when it fails). */
  log: string[];
}

const LOG_LINES_KEPT = 40;
/** Polls in a row that find the agent neither running nor exited before we call it lost. */
const GONE_POLLS = 3;

/**
 * Runs `kumiko-agent drill --progress` on the server (detached, see remote-scripts.ts),
 * turns its `@progress` lines into `onProgress` calls, and returns its exit code and stdout.
 * On abort the agent gets SIGTERM and this waits until it has exited, so a cancelled drill
 * leaves no throwaway cluster behind; then it throws CANCELLED.
 */
export async function runRemoteDrill(options: RemoteDrillOptions): Promise<RemoteDrillOutcome> {
  const { shell, signal } = options;
  const started = await shell.run('start the drill', startScript(options.agent), {
    signal,
    allowFailure: true,
  });
  const runDir = started.stdout.trim().split('\n').pop() ?? '';
  if (started.code !== 0 || !runDir.startsWith('/')) {
    throw new AppError(
      'DRILL_FAILED',
      `The drill could not be started on the server: ${tail(started.stderr || started.stdout)}`,
    );
  }
  try {
    return await follow(options, runDir);
  } catch (err) {
    if (signal.aborted) await stop(shell, runDir, options.stopWaitSeconds ?? 180);
    throw signal.aborted ? new AppError('CANCELLED', 'Cancelled.') : err;
  } finally {
    // Without a signal: the folder goes even after a cancel. Best effort, the drill is over.
    await shell.run('remove the drill run folder', removeScript(runDir), { allowFailure: true });
  }
}

async function follow(options: RemoteDrillOptions, runDir: string): Promise<RemoteDrillOutcome> {
  const { shell, signal } = options;
  const log: string[] = [];
  let offset = 0;
  let gone = 0;
  for (;;) {
    const polled = await shell.run('follow the drill', pollScript(runDir, offset), {
      signal,
      allowFailure: true,
    });
    if (polled.code !== 0) throw new AppError('DRILL_FAILED', `Polling the drill failed.`);
    const answer = parsePoll(polled.stdout);
    offset += answer.consumed;
    for (const line of answer.lines) {
      const progress = parseDrillProgressLine(line);
      if (progress) options.onProgress(progress);
      else if (line.trim()) log.push(line);
    }
    log.splice(0, Math.max(0, log.length - LOG_LINES_KEPT));
    if (answer.status.kind === 'exit') {
      const out = await shell.run('read the drill result', stdoutScript(runDir), { signal });
      return { exitCode: answer.status.code, stdout: out.stdout, log };
    }
    gone = answer.status.kind === 'gone' ? gone + 1 : 0;
    if (gone >= GONE_POLLS) {
      throw new AppError(
        'DRILL_FAILED',
        `The drill process on the server ended without an exit status (killed?). ${tail(log.join('\n'))}`,
      );
    }
    await sleep(options.pollMs ?? 1000, signal);
  }
}

async function stop(shell: DrillShell, runDir: string, waitSeconds: number): Promise<void> {
  const out = await shell.run('stop the drill', stopScript(runDir, waitSeconds), {
    allowFailure: true,
  });
  if (out.stdout.trim() !== 'stopped') {
    throw new AppError(
      'DRILL_FAILED',
      `The drill was asked to stop but still runs after ${waitSeconds} s; its throwaway environment may remain on the server.`,
    );
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AppError('CANCELLED', 'Cancelled.'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AppError('CANCELLED', 'Cancelled.'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-6).join('\n');
}
