import type { KumikoBridge } from '../../shared/contract/bridge';
import type { CommandInput, CommandName, CommandOutput } from '../../shared/contract/commands';
import type { ErrorReason } from '../../shared/contract/error-reasons';
import type { ErrorCode } from '../../shared/contract/errors';
import type { EventName, EventPayload } from '../../shared/contract/events';

/**
 * A failed command, as main reported it: a stable code (switch on it, word it from the catalog),
 * main's English message (technical), optional details (for INVALID_INPUT, the zod issues) and
 * optionally a reason the catalog words precisely (components/ErrorAlert.tsx).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly reason?: ErrorReason,
  ) {
    super(message);
  }
}

/** The typed client stores use: values instead of Results, failures as ApiError. */
export interface ApiClient {
  call<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createApiClient(bridge: KumikoBridge): ApiClient {
  return {
    async call(name, input) {
      const result = await bridge.invoke(name, input);
      if (result.ok) return result.value;
      const { code, message, details, reason } = result.error;
      throw new ApiError(code, message, details, reason);
    },
    on(event, listener) {
      return bridge.on(event, listener);
    },
  };
}

/** Anything thrown, as an ApiError (a bug in the page becomes INTERNAL). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError('INTERNAL', message);
}

/**
 * Readable lines from an error's details: zod issues ({ path, message }) become
 * "port: Too big"; other details are shown as JSON.
 */
export function describeDetails(details: unknown): string[] {
  if (details === undefined || details === null) return [];
  if (Array.isArray(details)) {
    return details.map((item) => {
      if (item && typeof item === 'object' && 'message' in item) {
        const issue = item as { path?: unknown; message: unknown };
        const path = Array.isArray(issue.path) ? issue.path.map(String).join('.') : '';
        return path ? `${path}: ${String(issue.message)}` : String(issue.message);
      }
      return typeof item === 'string' ? item : JSON.stringify(item);
    });
  }
  if (typeof details === 'string') return [details];
  try {
    return [JSON.stringify(details)];
  } catch {
    return [String(details)];
  }
}
