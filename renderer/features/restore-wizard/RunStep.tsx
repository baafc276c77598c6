import { useState, type ReactNode } from 'react';
import type { Job, Server } from '../../../shared/contract/domain';
import { useLang, useT, type Translate } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { toApiError, type ApiError } from '../../lib/api-client';
import { formatDuration, percent } from '../../lib/format';
import { PhaseList } from '../../components/PhaseList';
import { phaseList } from '../../stores/agent-install-model';
import type { RestoreWizard } from '../../stores/restore';
import { RESTORE_JOB_PHASES } from '../../stores/restore-model';
import { restoreStore, useJobs } from '../../stores';
import { StepHeading } from '../agent-install/StepHeading';
import { ChecksTable } from './ChecksTable';
import { restorePhaseLabel } from './restore-labels';
import { ErrorLine } from '../../components/ErrorLine';

/** The phases of a restore job as a list: done, current, failed or still to come. */
export function PhaseListView({
  phases,
  job,
  expected = RESTORE_JOB_PHASES,
  label = restorePhaseLabel,
  testId = 'restore-phases',
}: {
  phases: readonly string[];
  job: Job | null;
  expected?: readonly string[];
  label?: (t: Translate, id: string) => string;
  testId?: string;
}) {
  const t = useT();
  return (
    <PhaseList
      items={phaseList(phases, job, expected)}
      label={(id) => label(t, id)}
      ariaLabel={t('restore.run.phases')}
      testId={testId}
    />
  );
}

/** A running job's bar, share done and time left, with `children` (its cancel button) beside. */
export function JobProgressBar({
  job,
  label,
  children,
}: {
  job: Job | null;
  label: string;
  children?: ReactNode;
}) {
  const t = useT();
  const lang = useLang();
  const share = job ? percent(job.done, job.total) : null;
  return (
    <>
      <progress
        className="job__bar install__bar"
        aria-label={label}
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
        {children}
      </div>
    </>
  );
}

/** A failed job: the title, main's stable code and message, then what it means (`children`). */
export function JobFailedAlert({
  job,
  title,
  testId,
  children,
}: {
  job: Job | null;
  title: string;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <Alert tone="danger" title={title} data-testid={testId}>
      {job?.error ? <ErrorLine className="alert__message" error={job.error} /> : null}
      {children}
    </Alert>
  );
}

/** Step 4: the restore job live — phases, progress, ETA, cancel — and what happened if it failed. */
export function RunStep({ server, wizard }: { server: Server; wizard: RestoreWizard }) {
  const t = useT();
  const { run } = wizard;
  const jobId = 'jobId' in run ? run.jobId : null;
  const job = useJobs((s) => (jobId ? (s.jobs[jobId] ?? null) : null));
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<ApiError | null>(null);
  const phases = 'phases' in run ? run.phases : [];
  const lastPhase = phases.length > 0 ? phases[phases.length - 1] : undefined;
  const where = lastPhase ? restorePhaseLabel(t, lastPhase) : t('install.beforeFirstStep');
  const active = run.status === 'running';

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
          <JobProgressBar job={job} label={t('restore.run.progress')}>
            <Button variant="danger" busy={cancelling} onClick={() => void cancel()}>
              {t('restore.run.cancel')}
            </Button>
          </JobProgressBar>
        ) : null}
        {cancelError ? <ErrorAlert error={cancelError} /> : null}
      </div>

      {run.status === 'failed' ? (
        <JobFailedAlert
          job={job}
          title={t('restore.run.failedAt', { phase: where })}
          testId="restore-failed"
        >
          <p>{t('restore.run.productionUntouched')}</p>
        </JobFailedAlert>
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
