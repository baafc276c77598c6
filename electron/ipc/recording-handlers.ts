import type { CommandName } from '../../shared/contract';
import type { Handlers } from './router';
import { ACTION_TABLE, type Described } from '../services/accountability/action-table';
import {
  errorCodeOf,
  type AccountabilityService,
} from '../services/accountability/accountability-service';

type AnyHandler = (input: unknown) => unknown;
interface AnyRecorded {
  describe: (input: unknown, tools: { ref(value: string): Promise<string> }) => unknown;
  outcome?: (
    output: unknown,
  ) => { params?: Record<string, unknown>; failedCode?: string } | undefined;
}

/**
 * Wraps the command map so every command in ACTION_TABLE is recorded, whichever transport
 * called it. A plain command gets one entry with its result. A job gets an entry when it
 * starts (a crash or a closed laptop mid-restore still leaves a trace of who started what)
 * and one when it ends, with the job's outcome.
 */
export function withAccountability(handlers: Handlers, log: AccountabilityService): Handlers {
  const wrapped = { ...handlers } as Record<CommandName, AnyHandler>;
  for (const name of Object.keys(ACTION_TABLE) as CommandName[]) {
    const recorded = ACTION_TABLE[name] as unknown as AnyRecorded;
    const handler = handlers[name] as AnyHandler;
    wrapped[name] = async (input) => {
      const described = (await recorded.describe(input, {
        ref: (v) => log.ref(v),
      })) as Described | null;
      if (!described) return handler(input);
      let output: unknown;
      try {
        output = await handler(input);
      } catch (err) {
        log.recordOutcome({ ...described, result: 'failed', errorCode: errorCodeOf(err) });
        throw err;
      }
      if (described.job) {
        const jobId = (output as { jobId: string }).jobId;
        log.recordOutcome({
          ...described,
          params: { ...described.params, jobId },
          result: 'started',
        });
        log.watchJob(jobId, described);
        return output;
      }
      const outcome = recorded.outcome?.(output);
      log.recordOutcome({
        ...described,
        params: { ...described.params, ...(outcome?.params as Described['params']) },
        result: outcome?.failedCode ? 'failed' : 'ok',
        errorCode: outcome?.failedCode ?? null,
      });
      return output;
    };
  }
  return wrapped as Handlers;
}
