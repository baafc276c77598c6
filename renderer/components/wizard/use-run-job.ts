import type { Job, Server } from '../../../shared/contract/domain';
import type { RunState } from '../../stores/job-run';
import { isTerminal } from '../../stores/jobs';
import { useJobs, useServers } from '../../stores';

/** The job a run follows, as the jobs store has it now (null before it starts). */
export function useRunJob(run: RunState): Job | null {
  const jobId = 'jobId' in run ? run.jobId : null;
  return useJobs((s) => (jobId ? (s.jobs[jobId] ?? null) : null));
}

/**
 * The id of a job of this wizard that still runs (`isJobOf` says which are), so a wizard
 * opened again after a reload picks it up once the jobs list has arrived.
 */
export function useRunningJobId(isJobOf: (job: Job) => boolean): string | undefined {
  return useJobs((s) => Object.values(s.jobs).find((j) => isJobOf(j) && !isTerminal(j))?.id);
}

/** The server a wizard works on, and whether it is known not to exist (loading is over). */
export function useWizardServer(id: string): { server: Server | undefined; notFound: boolean } {
  const server = useServers((s) => s.servers.find((x) => x.id === id));
  const loaded = useServers((s) => s.loaded);
  return { server, notFound: loaded && !server };
}
