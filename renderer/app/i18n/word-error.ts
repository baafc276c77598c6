import type { ErrorReason } from '../../../shared/contract/error-reasons';
import { hasMessage, type MessageKey, type Params } from './translate';

/** An error as main or a job reported it: a code, main's English message, maybe a reason. */
export interface ReportedError {
  code: string;
  message: string;
  reason?: ErrorReason | undefined;
}

export interface WordedError {
  /** A sentence that says what happened and what to do next, from the catalog. */
  heading: string;
  /** The precise reason from the catalog, when main gave one we can word. */
  reason: string | null;
  /**
   * False only when the code has no catalog entry: the heading is then main's English message,
   * a gap that test/unit/i18n-errors.test.ts keeps from happening for any code main can send.
   */
  worded: boolean;
}

/** Words an error from the de/en catalogs by its code and reason (docs/i18n.md). */
export function wordError(
  t: (key: MessageKey, params?: Params) => string,
  error: ReportedError,
): WordedError {
  const headingKey = `error.${error.code}`;
  if (!hasMessage(headingKey)) return { heading: error.message, reason: null, worded: false };
  const reasonKey = error.reason ? `${headingKey}.${error.reason.key}` : null;
  return {
    heading: t(headingKey),
    reason: reasonKey && hasMessage(reasonKey) ? t(reasonKey, error.reason?.params) : null,
    worded: true,
  };
}
