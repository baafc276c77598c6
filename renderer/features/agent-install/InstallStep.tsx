import { useState } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { useLang, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { toApiError, type ApiError } from '../../lib/api-client';
import { formatDuration, percent } from '../../lib/format';
import { PhaseList } from '../../components/PhaseList';
import { expectedInstallPhases, phaseList } from '../../stores/agent-install-model';
import type { InstallWizard } from '../../stores/agent-install';
import { agentInstallStore, jobsStore, useJobs } from '../../stores';
import { phaseLabel } from './phase-label';
import { StepHeading } from './StepHeading';
import { ErrorLine } from '../../components/ErrorLine';

/** Step 4: the install job live — phases, progress, ETA, cancel — and what happened if it failed. */
export function InstallStep({ server, wizard }: { server: Server; wizard: InstallWizard }) {
  const t = useT();
  const lang = useLang();
  const install = wizard.install;
  const jobId = 'jobId' in install ? install.jobId : null;
  const job = useJobs((s) => (jobId ? (s.jobs[jobId] ?? null) : null));
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<ApiError | null>(null);
  const phases = 'phases' in install ? install.phases : [];
  const lastPhase = phases.length > 0 ? phases[phases.length - 1] : undefined;
  const active = install.status === 'running';
  const share = job ? percent(job.done, job.total) : null;

  async function cancel() {
    if (!jobId) return;
    setCancelling(true);
    setCancelError(null);
    try {
      await jobsStore.getState().cancel(jobId);
    } catch (err) {
      setCancelError(toApiError(err));
    } finally {
      setCancelling(false);
    }
  }

  const where = lastPhase ? phaseLabel(t, lastPhase) : t('install.beforeFirstStep');
  return (
    <div className="wizard-step">
      <StepHeading>{t('install.title')}</StepHeading>
      <p className="muted">{t('install.intro', { name: server.name })}</p>
      <div className="card" data-testid="install-progress" data-state={install.status}>
        <PhaseList
          items={phaseList(
            phases,
            job,
            expectedInstallPhases(wizard.plan.status === 'ready' ? wizard.plan.plan : null),
          )}
          label={(id) => phaseLabel(t, id)}
          ariaLabel={t('install.phases')}
          testId="install-phases"
        />
        {active ? (
          <>
            <progress
              className="job__bar install__bar"
              aria-label={t('install.progress')}
              value={job && job.total !== null ? job.done : undefined}
              max={job && job.total !== null && job.total > 0 ? job.total : undefined}
            />
            <div className="job__foot">
              <span className="muted">
                {share !== null ? t('install.percent', { percent: share }) : ''}
                {share !== null && job?.etaSeconds != null ? ' · ' : ''}
                {job?.etaSeconds != null
                  ? t('jobs.eta', { duration: formatDuration(job.etaSeconds, lang) })
                  : ''}
              </span>
              <Button variant="danger" busy={cancelling} onClick={() => void cancel()}>
                {t('install.cancel')}
              </Button>
            </div>
          </>
        ) : null}
        {cancelError ? <ErrorAlert error={cancelError} /> : null}
      </div>

      {install.status === 'failed' ? (
        <Alert
          tone="danger"
          title={t('install.failedAt', { phase: where })}
          data-testid="install-failed"
        >
          {job?.error ? <ErrorLine className="alert__message" error={job.error} /> : null}
          <p className="alert__lead">{t('install.leftAsBefore')}</p>
        </Alert>
      ) : null}
      {install.status === 'cancelled' ? (
        <Alert
          tone="warning"
          title={t('install.cancelledAt', { phase: where })}
          data-testid="install-cancelled"
        >
          <p>{t('install.leftAsBefore')}</p>
        </Alert>
      ) : null}

      {install.status === 'failed' || install.status === 'cancelled' ? (
        <div className="actions wizard-nav">
          <Button onClick={() => agentInstallStore.getState().goTo(server.id, 'review')}>
            {t('install.backToReview')}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
