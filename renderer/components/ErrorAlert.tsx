import { useT } from '../app/i18n';
import { describeDetails, type ApiError } from '../lib/api-client';
import { Alert } from './Alert';

/** Shows a failed command as main reported it: stable code, message, and details (e.g. INVALID_INPUT issues). */
export function ErrorAlert({
  error,
  'data-testid': testId,
}: {
  error: ApiError;
  'data-testid'?: string;
}) {
  const t = useT();
  const lines = describeDetails(error.details);
  return (
    <Alert
      tone="danger"
      title={t('common.errorTitle', { code: error.code })}
      data-testid={testId ?? 'error-alert'}
    >
      <p>{error.message}</p>
      {lines.length > 0 ? (
        <ul className="alert__details">
          {lines.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}
