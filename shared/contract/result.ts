import type { ErrorReason } from './error-reasons';
import type { AppErrorShape, ErrorCode } from './errors';

/** The envelope every transport returns: a value, or a stable error code with a message. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(
  code: ErrorCode,
  message: string,
  details?: unknown,
  reason?: ErrorReason,
): Result<never> {
  const error: AppErrorShape = { code, message };
  if (details !== undefined) error.details = details;
  if (reason !== undefined) error.reason = reason;
  return { ok: false, error };
}
