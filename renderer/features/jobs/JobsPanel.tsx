import { useMemo } from 'react';
import { Link } from 'wouter';
import { routeToPath } from '../../app/route';
import { useT } from '../../app/i18n';
import { useJobs } from '../../stores';
import { JobRow } from './JobRow';

const SHOWN = 8;

/** Live list of the most recent jobs, running ones first. */
export function JobsPanel() {
  const t = useT();
  const jobs = useJobs((s) => s.jobs);
  const list = useMemo(() => {
    const all = Object.values(jobs);
    const rank = (state: string) => (state === 'running' || state === 'queued' ? 0 : 1);
    return all
      .sort((a, b) => rank(a.state) - rank(b.state) || b.updatedAt.localeCompare(a.updatedAt))
      .slice(0, SHOWN);
  }, [jobs]);

  return (
    <section className="jobs-panel" aria-labelledby="jobs-title">
      <h2 id="jobs-title">{t('jobs.title')}</h2>
      {list.length === 0 ? <p className="muted">{t('jobs.empty')}</p> : null}
      <ul className="jobs-list">
        {list.map((job) => (
          <li key={job.id}>
            <JobRow job={job} />
          </li>
        ))}
      </ul>
      <p className="jobs-panel__all">
        <Link href={routeToPath({ name: 'jobs' })}>{t('jobs.history.all')}</Link>
      </p>
    </section>
  );
}
