import { parseDrillProgressLine, type DrillProgress } from '../../../shared/agent/drill';
import {
  runRemoteAgent,
  type AgentShell,
  type RemoteAgentOutcome,
} from '../agent-run/remote-agent';
import type { AgentCommand } from '../agent-run/remote-scripts';

/** The part of the installer's RemoteShell a drill uses (tests run the scripts locally). */
export type DrillShell = AgentShell;

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
export type RemoteDrillOutcome = RemoteAgentOutcome;

/**
 * Runs `kumiko-agent drill --progress` on the server (agent-run/remote-agent.ts), turns its
 * `@progress` lines into `onProgress` calls, and returns its exit code and stdout. A cancel
 * reaches the agent as SIGTERM and waits for its clean-up, then throws CANCELLED.
 */
export function runRemoteDrill(options: RemoteDrillOptions): Promise<RemoteDrillOutcome> {
  return runRemoteAgent({
    ...options,
    args: ['drill', '--progress'],
    what: 'the drill',
    code: 'DRILL_FAILED',
    onLine: (line) => {
      const progress = parseDrillProgressLine(line);
      if (progress) options.onProgress(progress);
      return progress !== null;
    },
  });
}
