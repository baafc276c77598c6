import type { ErrorCode, Result } from '../../shared/contract';
import { isAppError } from '../services/app-error';
import { EXIT, exitForCode } from './exit-codes';

export { EXIT, EXIT_CODE_LINES, exitForCode } from './exit-codes';

/**
 * A failure the CLI decides itself (a missing flag, "no" at a question). Thrown, and printed by
 * main's one error path like every other failure; `help` is shown only to people.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly help?: string,
  ) {
    super(message);
  }
}

/** A command line that cannot run: one sentence saying what to change, the usage for people. */
export function usageError(message: string, usage?: string): CliError {
  return new CliError('INVALID_INPUT', message, usage);
}

/** The admin said no (or pressed Ctrl-C): nothing was started. */
export function cancelledError(message: string): CliError {
  return new CliError('CANCELLED', message);
}

export function exitCodeFor(result: Result<unknown>): number {
  return result.ok ? EXIT.ok : exitForCode(result.error.code);
}

/** Zod's issues (path and message, never the value) as one clause: "alerts.smtp.from: Invalid email". */
function issuesText(details: unknown): string {
  if (!Array.isArray(details)) return '';
  const issues = details
    .filter((d): d is { path: unknown[]; message: string } => typeof d?.message === 'string')
    .map(
      (d) => `${Array.isArray(d.path) && d.path.length ? `${d.path.join('.')}: ` : ''}${d.message}`,
    );
  return issues.length ? ` ${issues.join('; ')}.` : '';
}

/**
 * Prints a Result. With --json: exactly one JSON object on stdout, success or not. Without:
 * the value as JSON on stdout, or the error as one line on stderr (`error CODE: sentence`).
 */
export function printResult(result: Result<unknown>, json: boolean): number {
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else if (result.ok) {
    process.stdout.write(`${JSON.stringify(result.value, null, 2)}\n`);
  } else {
    const { code, message, details } = result.error;
    const more = code === 'INVALID_INPUT' ? issuesText(details) : '';
    process.stderr.write(`error ${code}: ${message}${more}\n`);
  }
  return exitCodeFor(result);
}

/**
 * The CLI's one error path: anything thrown while a command runs (a CliError, an AppError from
 * the core such as a locked vault, or an unexpected exception) becomes one failed Result.
 */
export function printError(err: unknown, json: boolean): number {
  if (err instanceof CliError) {
    const exit = printResult({ ok: false, error: { code: err.code, message: err.message } }, json);
    if (!json && err.help) process.stderr.write(`\n${err.help.replace(/\n?$/, '\n')}`);
    return exit;
  }
  if (isAppError(err)) {
    return printResult(
      {
        ok: false,
        error: {
          code: err.code,
          message: err.message,
          ...(err.details === undefined ? {} : { details: err.details }),
        },
      },
      json,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return printResult(
    {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `Unexpected error: ${message}. Run the command again; if it recurs, report this message.`,
      },
    },
    json,
  );
}

/** A job that did not succeed, as a failed Result (CANCELLED when it was cancelled). */
export function jobFailure(job: {
  state: string;
  error?: { code: string; message: string } | null;
}): Result<never> {
  const code = (job.error?.code ??
    (job.state === 'cancelled' ? 'CANCELLED' : 'INTERNAL')) as ErrorCode;
  return {
    ok: false,
    error: { code, message: job.error?.message ?? `The job ended ${job.state}.` },
  };
}
