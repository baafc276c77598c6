import type { Job } from '../../../shared/contract/domain';
import { useLang, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorLine } from '../../components/ErrorLine';
import { formatDateTime } from '../../lib/format';
import { rebuildStore } from '../../stores';
import { rebuildPhaseLabel } from './rebuild-labels';

/** A rebuild that stopped unfinished (console closed, host lost): continue where it stopped. */
export function UnfinishedRebuild({ job }: { job: Job }) {
  const t = useT();
  const lang = useLang();
  return (
    <Alert tone="warning" title={t('rebuild.unfinished.title')} data-testid="rebuild-unfinished">
      <p>
        {t('rebuild.unfinished.body', {
          at: formatDateTime(job.createdAt, lang),
          phase: job.phase ? rebuildPhaseLabel(t, job.phase) : t('install.beforeFirstStep'),
        })}
      </p>
      {job.error ? <ErrorLine className="alert__message" error={job.error} /> : null}
      <div className="actions">
        <Button variant="primary" onClick={() => void rebuildStore.getState().resume(job.id)}>
          {t('rebuild.unfinished.resume')}
        </Button>
      </div>
    </Alert>
  );
}
