import { useT } from '../app/i18n';
import { wordError, type ReportedError } from '../app/i18n/word-error';

/**
 * A job's or a run's error in one paragraph, worded from the catalogs: the sentence with the
 * next step, the precise reason, then the code in small print. Main's English message is only
 * the tooltip, for support.
 */
export function ErrorLine({ error, className }: { error: ReportedError; className?: string }) {
  const t = useT();
  const worded = wordError(t, error);
  return (
    <p
      className={className}
      data-error-code={error.code}
      title={worded.worded ? error.message : undefined}
    >
      {worded.heading}
      {worded.reason ? ` ${worded.reason}` : null}{' '}
      <small className="error-code">{t('common.errorCode', { code: error.code })}</small>
    </p>
  );
}
