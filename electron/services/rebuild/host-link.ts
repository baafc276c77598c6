import { AppError } from '../app-error';

// A rebuild outlives a dropped connection to its host (issue 19 §2): these say which failures
// are the link rather than the work, and how long the host is tried again.

export const RECONNECT_WINDOW_MS = 180_000;
export const RECONNECT_PAUSE_MS = 2_000;

/**
 * A failure that may be the link rather than the work: SSH could not connect or an exec on
 * the connection failed, or following the agent's output broke off. The agent's own verdicts
 * (exit codes, failed checks) are not.
 */
export function lostConnection(err: unknown): boolean {
  if (!(err instanceof AppError)) return true;
  if (err.code === 'SSH_UNREACHABLE' || err.code === 'SSH_COMMAND_FAILED') return true;
  // ssh2's own errors on a closed connection arrive as INTERNAL ("Not connected", a reset).
  const linkWords =
    /^Polling |without an exit status|not connected|ECONNRESET|EPIPE|socket|connection (lost|closed|reset)/i;
  return (
    (err.code === 'RESTORE_FAILED' ||
      err.code === 'INTERNAL' ||
      err.code === 'AGENT_INSTALL_FAILED') &&
    linkWords.test(err.message)
  );
}

/**
 * Runs `step` again while the host cannot be reached (a dropped connection, sshd restarting),
 * for up to `windowMs` (default {@link RECONNECT_WINDOW_MS}); any other failure, and a cancel,
 * end it at once.
 */
export async function withReconnect<T>(
  signal: AbortSignal,
  windowMs: number | undefined,
  step: () => Promise<T>,
): Promise<T> {
  const until = Date.now() + (windowMs ?? RECONNECT_WINDOW_MS);
  for (;;) {
    try {
      return await step();
    } catch (err) {
      if (signal.aborted || !lostConnection(err) || Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, RECONNECT_PAUSE_MS));
    }
  }
}
