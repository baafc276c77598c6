import { useState, type ReactNode } from 'react';
import type { Job } from '../../../shared/contract/domain';
import { useLang, useT } from '../../app/i18n';
import { toApiError, type ApiError } from '../../lib/api-client';
import { formatDuration, percent } from '../../lib/format';
import { phaseList, type RunState } from '../../stores/job-run';
import { Alert } from '../Alert';
import { Button } from '../Button';
import { ErrorAlert } from '../ErrorAlert';
import { ErrorLine } from '../ErrorLine';
import { PhaseList } from '../PhaseList';
import { StepHeading } from './StepHeading';

/** A job's phases (done, current, failed or still to come) under the wizard's names for them. */
export function JobPhases({
  run,
  job,
  expected,
  label,
  ariaLabel,
  testId,
}: {
  run: RunState;
  job: Job | null;
  expected: readonly string[];
  label(id: string): string;
  ariaLabel: string;
  testId: string;
}) {
  const phases = 'phases' in run ? run.phases : [];
  return (
    <PhaseList
      items={phaseList(phases, job, expected)}
      label={label}
      ariaLabel={ariaLabel}
      testId={testId}
    />
  );
}

/** A running job's bar, share done and time left, with `children` (its cancel button) beside. */
export function JobProgressBar({
  job,
  label,
  valueText,
  testId,
  children,
}: {
  job: Job | null;
  label: string;
  /** Read out instead of the bare number (e.g. the current phase). */
  valueText?: string;
  testId?: string;
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
        aria-valuetext={valueText}
        value={job && job.total !== null ? job.done : undefined}
        max={job && job.total !== null && job.total > 0 ? job.total : undefined}
      />
      <div className="job__foot">
        <span className="muted" data-testid={testId}>
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

/** The words one wizard's run step uses; `failedAt`/`cancelledAt` get the phase's name. */
export interface RunStepTexts {
  title: string;
  intro: string;
  phases: string;
  progress: string;
  cancel: string;
  failedAt(phase: string): string;
  cancelledAt(phase: string): string;
  /** What a failure means for the server (left as before, production untouched …). */
  failedHelp: ReactNode;
  cancelledHelp: ReactNode;
  back: string;
}

/**
 * The run step every wizard shares: the job live (phases, progress, ETA, cancel), then what
 * happened if it failed or was cancelled, and the way back to try again. Test ids are
 * `${testIdPrefix}-progress|phases|eta|failed|cancelled`.
 */
export function RunStep({
  run,
  job,
  expected,
  phaseLabel,
  texts,
  testIdPrefix,
  onCancel,
  onBack,
  children,
}: {
  run: RunState;
  job: Job | null;
  expected: readonly string[];
  phaseLabel(id: string): string;
  texts: RunStepTexts;
  testIdPrefix: string;
  /** Asks main to cancel; a refusal is thrown and shown. */
  onCancel(): Promise<void>;
  onBack(): void;
  /** Shown under a failure (e.g. the checks that failed). */
  children?: ReactNode;
}) {
  const t = useT();
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<ApiError | null>(null);
  const phases = 'phases' in run ? run.phases : [];
  const lastPhase = phases.length > 0 ? phases[phases.length - 1] : undefined;
  const where = lastPhase ? phaseLabel(lastPhase) : t('install.beforeFirstStep');

  async function cancel() {
    setCancelling(true);
    setCancelError(null);
    try {
      await onCancel();
    } catch (err) {
      setCancelError(toApiError(err));
    } finally {
      setCancelling(false);
    }
  }

  const ended = run.status === 'failed' || run.status === 'cancelled';
  return (
    <div className="wizard-step">
      <StepHeading>{texts.title}</StepHeading>
      <p className="muted">{texts.intro}</p>
      <div className="card" data-testid={`${testIdPrefix}-progress`} data-state={run.status}>
        <JobPhases
          run={run}
          job={job}
          expected={expected}
          label={phaseLabel}
          ariaLabel={texts.phases}
          testId={`${testIdPrefix}-phases`}
        />
        {run.status === 'running' ? (
          <JobProgressBar job={job} label={texts.progress} testId={`${testIdPrefix}-eta`}>
            <Button variant="danger" busy={cancelling} onClick={() => void cancel()}>
              {texts.cancel}
            </Button>
          </JobProgressBar>
        ) : null}
        {cancelError ? <ErrorAlert error={cancelError} /> : null}
      </div>

      {run.status === 'failed' ? (
        <JobFailedAlert job={job} title={texts.failedAt(where)} testId={`${testIdPrefix}-failed`}>
          {texts.failedHelp}
        </JobFailedAlert>
      ) : null}
      {run.status === 'cancelled' ? (
        <Alert
          tone="warning"
          title={texts.cancelledAt(where)}
          data-testid={`${testIdPrefix}-cancelled`}
        >
          {texts.cancelledHelp}
        </Alert>
      ) : null}
      {run.status === 'failed' ? children : null}

      {ended ? (
        <div className="actions wizard-nav">
          <Button onClick={onBack}>{texts.back}</Button>
        </div>
      ) : null}
    </div>
  );
}
