import { ZodError } from 'zod';
import type { CommandName, CommandOutput, CommandParsedInput, Result } from '../../shared/contract';
import { commands, fail, isCommandName, ok } from '../../shared/contract';
import { isAppError } from '../services/app-error';

/** One handler per command; input arrives already validated against the contract. */
export type Handlers = {
  [N in CommandName]: (
    input: CommandParsedInput<N>,
  ) => Promise<CommandOutput<N>> | CommandOutput<N>;
};

export type Dispatch = (name: string, raw: unknown) => Promise<Result<unknown>>;

/**
 * The single entry point every transport calls. Unknown names and malformed input never
 * reach a handler; errors come back as stable codes, never as thrown exceptions.
 */
export function createDispatch(
  handlers: Handlers,
  log: (line: string) => void = () => {},
): Dispatch {
  return async (name, raw) => {
    if (!isCommandName(name))
      return fail('UNKNOWN_COMMAND', `Unknown command: ${String(name).slice(0, 100)}`);
    const parsed = commands[name].input.safeParse(raw);
    if (!parsed.success) {
      return fail('INVALID_INPUT', `Invalid input for ${name}.`, issuesOf(parsed.error));
    }
    try {
      const handler = handlers[name] as (input: unknown) => unknown;
      return ok(await handler(parsed.data));
    } catch (err) {
      if (isAppError(err)) return fail(err.code, err.message, err.details, err.reason);
      if (err instanceof ZodError)
        return fail('INVALID_INPUT', `Invalid input for ${name}.`, issuesOf(err));
      // Log the name only: inputs can carry key material and must never reach a log.
      log(`command ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      return fail('INTERNAL', err instanceof Error ? err.message : 'Internal error.');
    }
  };
}

/** Issues without the offending values: those may be secrets (a mistyped private key). */
function issuesOf(error: ZodError): { path: (string | number)[]; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
  }));
}
