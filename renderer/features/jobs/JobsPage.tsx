import { useEffect, useMemo, useState } from 'react';
import { Link } from 'wouter';
import type { Job } from '../../../shared/contract/domain';
import { JobState } from '../../../shared/contract/domain';
import { useLang, useT } from '../../app/i18n';
import { routeToPath } from '../../app/route';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ErrorLine } from '../../components/ErrorLine';
import { SelectField } from '../../components/Field';
import { toApiError, type ApiError } from '../../lib/api-client';
import { formatDateTime, formatDuration } from '../../lib/format';
import { jobsStore, useJobs, useServers } from '../../stores';
import {
  filterJobs,
  jobDurationSeconds,
  jobNextStepKey,
  jobResultRoute,
  type StateFilter,
} from './job-history';
import { jobPhase, jobTitle } from './job-words';
import { JobStateBadge } from './JobRow';
import { TableWrap } from '../../components/TableWrap';

/** Re-renders every second while a job runs, so its duration counts up. */
function useNow(ticking: boolean): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

function HistoryRow({ job, serverName, now }: { job: Job; serverName: string | null; now: Date }) {
  const t = useT();
  const lang = useLang();
  const [dismissing, setDismissing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const title = jobTitle(t, job, serverName);
  const result = jobResultRoute(job);
  const duration = jobDurationSeconds(job, now);
  const active = job.state === 'running' || job.state === 'queued';
  const next = jobNextStepKey(job);
  const phase = jobPhase(t, job);

  async function dismiss() {
    setDismissing(true);
    setError(null);
    try {
      await jobsStore.getState().dismiss(job.id);
    } catch (err) {
      setError(toApiError(err));
      setDismissing(false);
    }
  }

  return (
    <tr data-job-id={job.id} data-job-state={job.state}>
      <th scope="row">
        <span className="job__title">{title}</span>
        {phase && job.state !== 'succeeded' ? (
          <div className="muted" data-testid="job-phase">
            {t(job.state === 'failed' ? 'jobs.history.failedIn' : 'jobs.history.phase', { phase })}
          </div>
        ) : null}
        {job.error && job.state === 'failed' ? (
          <ErrorLine className="jobs-table__next" error={job.error} />
        ) : next ? (
          <p className="jobs-table__next">{t(next)}</p>
        ) : null}
        {error ? <ErrorAlert error={error} /> : null}
      </th>
      <td>{serverName ?? <span className="muted">{t('jobs.history.removedServer')}</span>}</td>
      <td>
        <JobStateBadge state={job.state} />
      </td>
      <td>{formatDateTime(job.createdAt, lang)}</td>
      <td>
        {job.finishedAt ? (
          formatDateTime(job.finishedAt, lang)
        ) : active ? (
          <span className="muted">{t('jobs.history.running')}</span>
        ) : (
          <span className="muted">{t('common.none')}</span>
        )}
      </td>
      <td>{duration === null ? t('common.none') : formatDuration(duration, lang)}</td>
      <td>{job.startedBy ?? <span className="muted">{t('jobs.history.unknownUser')}</span>}</td>
      <td>
        <div className="jobs-table__actions">
          {result ? (
            <Link
              href={routeToPath(result)}
              className="btn btn--secondary"
              aria-label={t('jobs.history.openNamed', { title })}
            >
              {t('jobs.history.open')}
            </Link>
          ) : null}
          {active ? null : (
            <Button
              variant="ghost"
              busy={dismissing}
              onClick={() => void dismiss()}
              aria-label={t('jobs.history.dismissNamed', { title })}
            >
              {t('jobs.history.dismiss')}
            </Button>
          )}
        </div>
      </td>
    </tr>
  );
}

const STATES: readonly StateFilter[] = ['any', ...JobState.options];

/**
 * Every job the console started, kept across restarts (main's store): when it started and
 * ended, how long it took, who started it, its phase, what failed jobs ask of the admin and a
 * link to what it produced. Filtered by server and state; ended jobs can be dismissed.
 */
export function JobsPage() {
  const t = useT();
  const jobs = useJobs((s) => s.jobs);
  const servers = useServers((s) => s.servers);
  const [serverId, setServerId] = useState<string | null>(null);
  const [state, setState] = useState<StateFilter>('any');
  const [loadError, setLoadError] = useState<ApiError | null>(null);

  useEffect(() => {
    jobsStore
      .getState()
      .load()
      .catch((err: unknown) => setLoadError(toApiError(err)));
  }, []);

  const all = Object.values(jobs);
  const list = useMemo(
    () => filterJobs(Object.values(jobs), { serverId, state }),
    [jobs, serverId, state],
  );
  const now = useNow(list.some((job) => job.state === 'running' || job.state === 'queued'));
  const nameOf = (id: string | null) => servers.find((s) => s.id === id)?.name ?? null;

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('jobs.history.title')}
        </h1>
      </div>
      <p className="muted">{t('jobs.history.intro')}</p>
      <p>
        <Link href={routeToPath({ name: 'accountability' })}>{t('activity.fromJobs')}</Link>
      </p>
      {loadError ? <ErrorAlert error={loadError} /> : null}
      <div className="jobs-filters">
        <SelectField
          label={t('jobs.history.filter.server')}
          value={serverId ?? ''}
          onChange={(e) => setServerId(e.target.value === '' ? null : e.target.value)}
        >
          <option value="">{t('jobs.history.filter.anyServer')}</option>
          {servers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('jobs.history.filter.state')}
          value={state}
          onChange={(e) => setState(e.target.value as StateFilter)}
        >
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s === 'any' ? t('jobs.history.filter.any') : t(`jobs.state.${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      {all.length === 0 ? (
        <p className="empty">{t('jobs.history.empty')}</p>
      ) : list.length === 0 ? (
        <p className="empty">{t('jobs.history.emptyFiltered')}</p>
      ) : (
        <TableWrap label={t('jobs.history.title')}>
          <table className="table jobs-table" data-testid="job-history">
            <thead>
              <tr>
                <th scope="col">{t('jobs.history.col.job')}</th>
                <th scope="col">{t('jobs.history.col.server')}</th>
                <th scope="col">{t('jobs.history.col.state')}</th>
                <th scope="col">{t('jobs.history.col.started')}</th>
                <th scope="col">{t('jobs.history.col.ended')}</th>
                <th scope="col">{t('jobs.history.col.duration')}</th>
                <th scope="col">{t('jobs.history.col.by')}</th>
                <th scope="col">{t('jobs.history.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((job) => (
                <HistoryRow key={job.id} job={job} serverName={nameOf(job.subjectId)} now={now} />
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
