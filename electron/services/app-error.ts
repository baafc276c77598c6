import type { ErrorCode, ErrorReasonKey, ErrorReasonParams } from '../../shared/contract';

/**
 * An error with a stable code from the contract. Services throw these; the router turns them
 * into `{ ok: false, error }`. Anything else becomes INTERNAL with its message. The message is
 * English and technical (logs, CLI); the console words the code, and the reason when one is
 * given, from its de/en catalogs (shared/contract/error-reasons.ts).
 */
export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: C,
    message: string,
    readonly details?: unknown,
    readonly reason?: { key: ErrorReasonKey<C>; params?: ErrorReasonParams },
  ) {
    super(message);
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
