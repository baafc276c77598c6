import type { Job, JobState } from '../../../shared/contract/domain';
import { DRILL_JOB_KIND } from '../../../shared/contract/drill-phases';
import { POINT_JOB_KIND } from '../../../shared/contract/point-phases';
import type { MessageKey } from '../../app/i18n/translate';
import type { Route } from '../../app/route';

export type StateFilter = JobState | 'any';

export interface JobFilter {
  /** A server id, or null for every server. */
  serverId: string | null;
  state: StateFilter;
}

/** The history as the jobs page lists it: newest start first, narrowed by server and state. */
export function filterJobs(jobs: Iterable<Job>, filter: JobFilter): Job[] {
  return [...jobs]
    .filter((job) => filter.serverId === null || job.subjectId === filter.serverId)
    .filter((job) => filter.state === 'any' || job.state === filter.state)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

/** Seconds from start to end, or to `now` while the job runs; null for an old job without an end. */
export function jobDurationSeconds(job: Job, now: Date): number | null {
  const start = Date.parse(job.createdAt);
  const ended = job.finishedAt ? Date.parse(job.finishedAt) : null;
  if (ended !== null) return Math.max(0, (ended - start) / 1000);
  if (job.state === 'running' || job.state === 'queued')
    return Math.max(0, (now.getTime() - start) / 1000);
  return null;
}

function objectField(result: unknown, field: string): unknown {
  return result !== null && typeof result === 'object'
    ? (result as Record<string, unknown>)[field]
    : undefined;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Where a job's result is seen: the drill's report, the new recovery point on the timeline,
 * the status after an install, the scratch environments after a restore, the server after a
 * connect. A failed job links to where it can be tried again. Null when there is nothing to
 * open (no server, an unknown kind).
 */
export function jobResultRoute(job: Job): Route | null {
  const id = job.subjectId;
  if (!id || !ID.test(id)) return null;
  const succeeded = job.state === 'succeeded';
  switch (job.kind) {
    case 'server.detect':
    case 'agent.uninstall':
    case 'agent.update':
      return { name: 'server', id };
    case 'agent.install':
      return succeeded ? { name: 'dashboard', id } : { name: 'install', id };
    case 'restore.start':
    case 'restore':
      return succeeded ? { name: 'scratch' } : { name: 'restore', id };
    case 'restore.production':
      return succeeded ? { name: 'dashboard', id } : { name: 'restore', id };
    case DRILL_JOB_KIND: {
      const drill = objectField(job.result, 'drillId');
      return typeof drill === 'string' && ID.test(drill)
        ? { name: 'drills', id, drill }
        : { name: 'drills', id };
    }
    case POINT_JOB_KIND: {
      const at = objectField(job.result, 'at');
      const time = typeof at === 'string' ? Date.parse(at) : Number.NaN;
      return Number.isNaN(time)
        ? { name: 'timeline', id }
        : { name: 'timeline', id, at: new Date(time).toISOString() };
    }
    default:
      return null;
  }
}

/**
 * What a job that did not succeed asks of the admin, when its error does not say it already:
 * an interrupted job has no error, a cancelled one only "cancelled".
 */
export function jobNextStepKey(job: Job): MessageKey | null {
  if (job.state === 'interrupted') return 'jobs.history.interrupted';
  if (job.state === 'cancelled') return 'jobs.history.cancelled';
  return null;
}
