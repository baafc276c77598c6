import type { ReactNode } from 'react';
import { useT } from '../../app/i18n';
import type { ApiError } from '../../lib/api-client';
import { Button } from '../Button';
import { ErrorAlert } from '../ErrorAlert';

/**
 * The plan a review step asks main for, while it is not there: a status line while loading,
 * or the failure (`failure` words it, an ErrorAlert by default) with a button to ask again.
 */
export function PlanProgress({
  loading,
  loadingText,
  error,
  failure = (e) => <ErrorAlert error={e} />,
  onRetry,
}: {
  loading: boolean;
  loadingText: string;
  error: ApiError | null;
  failure?: (error: ApiError) => ReactNode;
  onRetry(): void;
}) {
  const t = useT();
  return (
    <>
      {loading ? (
        <p role="status" className="muted">
          {loadingText}
        </p>
      ) : null}
      {error ? (
        <>
          {failure(error)}
          <div className="actions">
            <Button onClick={onRetry}>{t('wizard.review.retry')}</Button>
          </div>
        </>
      ) : null}
    </>
  );
}
