import { useT } from '../app/i18n';
import { wordError } from '../app/i18n/word-error';
import { wordIssues } from '../app/i18n/word-issues';
import type { ApiError } from '../lib/api-client';
import { Alert } from './Alert';

/**
 * A failed command, worded from the catalogs: a sentence with the next step as the heading, the
 * precise reason when main gave one, the issues main listed (e.g. which field is invalid), the
 * code in small print, and main's own (English, technical) message folded away for support.
 */
export function ErrorAlert({
  error,
  'data-testid': testId,
}: {
  error: ApiError;
  'data-testid'?: string;
}) {
  const t = useT();
  const worded = wordError(t, error);
  const lines = wordIssues(t, error.details);
  return (
    <Alert tone="danger" title={worded.heading} data-testid={testId ?? 'error-alert'}>
      {worded.reason ? <p>{worded.reason}</p> : null}
      {lines.length > 0 ? (
        <ul className="alert__details" data-testid="error-details">
          {/* Main's English is marked as such, for screen readers and the language test. */}
          {lines.map((line, i) => (
            <li key={i} lang={line.worded ? undefined : 'en'}>
              {line.text}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="error-code" data-error-code={error.code}>
        {t('common.errorCode', { code: error.code })}
      </p>
      {worded.worded && error.message ? (
        <details className="error-technical">
          <summary>{t('common.errorTechnical')}</summary>
          <p lang="en">{error.message}</p>
        </details>
      ) : null}
    </Alert>
  );
}
