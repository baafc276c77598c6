import type { StorageCheckReport } from '../../../shared/contract/storage';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { ApiError } from '../../lib/api-client';
import { isStorageRefusal, reportFromError } from '../../stores/storage';
import { StorageReportView } from './StorageReportView';

/**
 * A failed check or save. A refusal (not EU, TLS, unreachable, access denied) says why in
 * words, gives the code in small print (main's message as its tooltip), and states that nothing was uploaded or saved.
 */
export function StorageRefusalAlert({ error }: { error: ApiError }) {
  const t = useT();
  if (!isStorageRefusal(error)) return <ErrorAlert error={error} data-testid="storage-error" />;
  const report = reportFromError(error);
  return (
    <>
      <Alert tone="danger" title={t(`storage.refused.${error.code}`)} data-testid="storage-refusal">
        <p>{t(`storage.refusedWhy.${error.code}`)}</p>
        <p className="error-code" data-error-code={error.code} title={error.message}>
          {t('common.errorCode', { code: error.code })}
        </p>
        <p className="alert__lead">{t('storage.nothingUploaded')}</p>
      </Alert>
      {report ? <StorageReportView report={report} /> : null}
    </>
  );
}

/** A check that ran but did not pass: the report itself carries the reasons. */
export function FailedReportAlert({ report }: { report: StorageCheckReport }) {
  const t = useT();
  const failed = report.items.filter((i) => i.state === 'failed');
  return (
    <Alert tone="danger" title={t('storage.checkFailed')} data-testid="storage-check-failed">
      {failed.length > 0 ? (
        <ul className="alert__list">
          {failed.map((item) => (
            <li key={item.id}>
              <strong>{t(`storage.check.${item.id}`)}</strong>: {item.detail}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="alert__lead">{t('storage.nothingSaved')}</p>
    </Alert>
  );
}
