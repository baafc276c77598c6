/**
 * Exit codes of `kumiko-agent`, stable for the installer, systemd and the app that reads them
 * over SSH.
 */
export const EXIT = {
  ok: 0,
  /** A step of the command failed (the message names the step). */
  failed: 1,
  /** Unknown command or bad arguments. */
  usage: 2,
  /** The config file is missing, unreadable or invalid. */
  config: 3,
  /** Another instance holds the lock (a snapshot already running, a supervisor already up). */
  busy: 4,
  /**
   * snapshot: the new point's attached files depend on data missing from the bucket; the point
   * does not count (heal: `snapshot --heal`, agent/snapshot/files-check.ts).
   */
  filesMissing: 5,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An error that knows which step of a command failed and which exit code it maps to.
 * The message is shown to the admin as `<step>: <message>`, so it must never hold secrets.
 */
export class AgentError extends Error {
  constructor(
    readonly step: string,
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AgentError';
  }
}

/** The message of anything thrown, without a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Runs `work`; wraps anything it throws (except AgentErrors) into an AgentError for `step`. */
export async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AgentError) throw error;
    throw new AgentError(name, errorMessage(error), EXIT.failed, { cause: error });
  }
}
