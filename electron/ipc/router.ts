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

/** What an issue says beside its code, for the console to word it (never the input). */
const ISSUE_FACTS = ['origin', 'minimum', 'maximum', 'inclusive', 'expected', 'format'] as const;

/**
 * Issues without the offending values: those may be secrets (a mistyped private key). Each
 * carries zod's code and limits so the console words it in its language (issue 16 §1); the
 * English message stays for the CLI and for codes the console does not know.
 */
function issuesOf(error: ZodError): IssueDetail[] {
  return error.issues.map((issue) => {
    const facts: Record<string, string | number | boolean> = {};
    const raw = issue as unknown as Record<string, unknown>;
    for (const name of ISSUE_FACTS) {
      const value = raw[name];
      if (typeof value === 'bigint') facts[name] = Number(value);
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        facts[name] = typeof value === 'string' ? value.slice(0, 40) : value;
    }
    return {
      path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message: issue.message,
      code: issue.code,
      ...facts,
    };
  });
}

interface IssueDetail {
  path: (string | number)[];
  message: string;
  code: string;
  [fact: string]: unknown;
}
