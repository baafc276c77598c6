import type { ErrorCode } from '../../shared/contract';

/**
 * An error with a stable code from the contract. Services throw these; the router turns them
 * into `{ ok: false, error }`. Anything else becomes INTERNAL with its message.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
