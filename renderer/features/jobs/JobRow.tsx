import { useState } from 'react';
import type { Job, JobState } from '../../../shared/contract/domain';
import { useLang, useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StatusBadge, type Tone } from '../../components/StatusBadge';
import { toApiError, type ApiError } from '../../lib/api-client';
import { formatDuration } from '../../lib/format';
import { jobsStore, useServers } from '../../stores';
import { jobPhase, jobTitle } from './job-words';
import { ErrorLine } from '../../components/ErrorLine';

const TONES: Record<JobState, Tone> = {
  queued: 'neutral',
  running: 'info',
  succeeded: 'ok',
  failed: 'danger',
  cancelled: 'warn',
  interrupted: 'warn',
};

export function JobStateBadge({ state }: { state: JobState }) {
  const t = useT();
  return <StatusBadge tone={TONES[state]}>{t(`jobs.state.${state}`)}</StatusBadge>;
}

/** One job: title, phase, progress bar, ETA, state, and Cancel while it can still be cancelled. */
export function JobRow({ job }: { job: Job }) {
  const t = useT();
  const lang = useLang();
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const active = job.state === 'running' || job.state === 'queued';
  const serverName = useServers((s) => s.servers.find((x) => x.id === job.subjectId)?.name ?? null);
  const title = jobTitle(t, job, serverName);
  const phase = jobPhase(t, job);

  async function cancel() {
    setCancelling(true);
    setError(null);
    try {
      await jobsStore.getState().cancel(job.id);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setCancelling(false);
    }
  }

  return (
    <div className="job" data-job-state={job.state}>
      <div className="job__head">
        <span className="job__title">{title}</span>
        <JobStateBadge state={job.state} />
      </div>
      {phase ? <div className="job__phase">{phase}</div> : null}
      {active ? (
        <progress
          className="job__bar"
          aria-label={t('jobs.progress', { title })}
          value={job.total !== null ? job.done : undefined}
          max={job.total !== null && job.total > 0 ? job.total : undefined}
        />
      ) : null}
      <div className="job__foot">
        {active && job.etaSeconds !== null ? (
          <span className="muted">
            {t('jobs.eta', { duration: formatDuration(job.etaSeconds, lang) })}
          </span>
        ) : (
          <span />
        )}
        {active ? (
          <Button
            variant="ghost"
            busy={cancelling}
            onClick={() => void cancel()}
            aria-label={t('jobs.cancelNamed', { title })}
          >
            {t('jobs.cancel')}
          </Button>
        ) : null}
      </div>
      {job.error ? <ErrorLine className="job__error" error={job.error} /> : null}
      {error ? <ErrorAlert error={error} /> : null}
    </div>
  );
}
