import { useState } from 'react';
import type { Job, Server } from '../../../shared/contract/domain';
import { useLang, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { toApiError, type ApiError } from '../../lib/api-client';
import { formatDuration, percent } from '../../lib/format';
import { phaseList, type PhaseStatus } from '../../stores/agent-install-model';
import type { RestoreWizard } from '../../stores/restore';
import { RESTORE_JOB_PHASES } from '../../stores/restore-model';
import { restoreStore, useJobs } from '../../stores';
import { StepHeading } from '../agent-install/StepHeading';
import { ChecksTable } from './ChecksTable';
import { restorePhaseLabel } from './restore-labels';

const MARKS: Record<PhaseStatus, string> = {
  done: '✓',
  current: '…',
  failed: '✗',
  cancelled: '–',
  pending: '',
};

function PhaseListView({ phases, job }: { phases: readonly string[]; job: Job | null }) {
  const t = useT();
  const items = phaseList(phases, job, RESTORE_JOB_PHASES);
  return (
    <ol className="phases" aria-label={t('restore.run.phases')} data-testid="restore-phases">
      {items.map((item) => (
        <li
          key={item.id}
          className={`phases__item phases__item--${item.status}`}
          data-status={item.status}
          data-phase={item.id}
          aria-current={item.status === 'current' ? 'step' : undefined}
        >
          <span className="phases__mark" aria-hidden="true">
            {MARKS[item.status]}
          </span>
          <span className="phases__label">{restorePhaseLabel(t, item.id)}</span>
          <span className="phases__state">{t(`install.phaseState.${item.status}`)}</span>
        </li>
      ))}
    </ol>
  );
}

/** Step 4: the restore job live — phases, progress, ETA, cancel — and what happened if it failed. */
export function RunStep({ server, wizard }: { server: Server; wizard: RestoreWizard }) {
  const t = useT();
  const lang = useLang();
  const { run } = wizard;
  const jobId = 'jobId' in run ? run.jobId : null;
  const job = useJobs((s) => (jobId ? (s.jobs[jobId] ?? null) : null));
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<ApiError | null>(null);
  const phases = 'phases' in run ? run.phases : [];
  const lastPhase = phases.length > 0 ? phases[phases.length - 1] : undefined;
  const where = lastPhase ? restorePhaseLabel(t, lastPhase) : t('install.beforeFirstStep');
  const active = run.status === 'running';
  const share = job ? percent(job.done, job.total) : null;

  async function cancel() {
    setCancelling(true);
    setCancelError(null);
    try {
      await restoreStore.getState().cancel(server.id);
    } catch (err) {
      setCancelError(toApiError(err));
    } finally {
      setCancelling(false);
    }
  }

  return (
    <div className="wizard-step">
      <StepHeading>{t('restore.run.title')}</StepHeading>
      <p className="muted">{t('restore.run.intro')}</p>
      <div className="card" data-testid="restore-progress" data-state={run.status}>
        <PhaseListView phases={phases} job={job} />
        {active ? (
          <>
            <progress
              className="job__bar install__bar"
              aria-label={t('restore.run.progress')}
              value={job && job.total !== null ? job.done : undefined}
              max={job && job.total !== null && job.total > 0 ? job.total : undefined}
            />
            <div className="job__foot">
              <span className="muted" data-testid="restore-eta">
                {share !== null ? t('install.percent', { percent: share }) : ''}
                {share !== null && job?.etaSeconds != null ? ' · ' : ''}
                {job?.etaSeconds != null
                  ? t('jobs.eta', { duration: formatDuration(job.etaSeconds, lang) })
                  : ''}
              </span>
              <Button variant="danger" busy={cancelling} onClick={() => void cancel()}>
                {t('restore.run.cancel')}
              </Button>
            </div>
          </>
        ) : null}
        {cancelError ? <ErrorAlert error={cancelError} /> : null}
      </div>

      {run.status === 'failed' ? (
        <Alert
          tone="danger"
          title={t('restore.run.failedAt', { phase: where })}
          data-testid="restore-failed"
        >
          {job?.error ? (
            <p className="alert__message">
              <span className="mono">{job.error.code}</span>: {job.error.message}
            </p>
          ) : null}
          <p>{t('restore.run.productionUntouched')}</p>
        </Alert>
      ) : null}
      {run.status === 'cancelled' ? (
        <Alert
          tone="warning"
          title={t('restore.run.cancelledAt', { phase: where })}
          data-testid="restore-cancelled"
        >
          <p>{t('restore.run.cleanedUp')}</p>
        </Alert>
      ) : null}
      {run.status === 'failed' && wizard.scratch ? (
        <ChecksTable checks={wizard.scratch.checks} />
      ) : null}

      {run.status === 'failed' || run.status === 'cancelled' ? (
        <div className="actions wizard-nav">
          <Button onClick={() => restoreStore.getState().goTo(server.id, 'summary')}>
            {t('restore.run.backToSummary')}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
