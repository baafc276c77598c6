import type { AccountabilityEntry } from '../../../shared/contract/accountability';
import { hasMessage, type Translate } from '../../app/i18n';
import { wordError } from '../../app/i18n/word-error';

/** An action in words (`activity.action.<code>`); a code this console does not know stays as it is. */
export function actionLabel(t: Translate, action: string): string {
  const key = `activity.action.${action}`;
  return hasMessage(key) ? t(key) : action;
}

/** Who, as the log recorded it: the name, and the OS user when it differs. */
export function whoText(entry: Pick<AccountabilityEntry, 'actorName' | 'osUser'>): string {
  return entry.actorName === entry.osUser ? entry.osUser : `${entry.actorName} (${entry.osUser})`;
}

/** The target's facts as `key=value`, in the order recorded (names, ids, keyed hashes). */
export function targetText(entry: Pick<AccountabilityEntry, 'target'>): string {
  return Object.entries(entry.target)
    .filter(([, value]) => value !== null)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(', ');
}

/** The sentence for a recorded error code (the code part before any ':' detail), if worded. */
export function errorHeading(t: Translate, errorCode: string): string | undefined {
  const worded = wordError(t, { code: errorCode.split(':')[0] ?? errorCode, message: '' });
  return worded.worded ? worded.heading : undefined;
}
