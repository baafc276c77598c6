import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Job, JobState } from '../../shared/contract/domain';
import { toApiError, type ApiClient } from '../lib/api-client';

export const TERMINAL_STATES: readonly JobState[] = [
  'succeeded',
  'failed',
  'cancelled',
  'interrupted',
];

export function isTerminal(job: Job): boolean {
  return TERMINAL_STATES.includes(job.state);
}

/** Live jobs from 'job.progress' / 'job.finished' events, newest state per job. */
export interface JobsState {
  jobs: Record<string, Job>;
  load(): Promise<void>;
  /** Takes a job snapshot unless we already saw the same or a newer seq; returns whether it was used. */
  apply(job: Job): boolean;
  cancel(id: string): Promise<Job>;
  /** Takes an ended job out of the history (main keeps its row). */
  dismiss(id: string): Promise<void>;
  /** Resolves with the job once it reaches a terminal state. */
  waitFor(id: string): Promise<Job>;
}

export type JobsStore = StoreApi<JobsState> & { dispose(): void };

export function createJobsStore(api: ApiClient): JobsStore {
  const waiters = new Map<string, ((job: Job) => void)[]>();

  const settle = (job: Job) => {
    if (!isTerminal(job)) return;
    const list = waiters.get(job.id);
    if (!list) return;
    waiters.delete(job.id);
    for (const resolve of list) resolve(job);
  };

  const store = createStore<JobsState>()((set, get) => ({
    jobs: {},

    async load() {
      const jobs = await api.call('jobs.list', {});
      for (const job of jobs) get().apply(job);
    },

    apply(job) {
      const known = get().jobs[job.id];
      if (known && job.seq <= known.seq) return false;
      set({ jobs: { ...get().jobs, [job.id]: job } });
      settle(job);
      return true;
    },

    async cancel(id) {
      const job = await api.call('jobs.cancel', { id });
      get().apply(job);
      return job;
    },

    async dismiss(id) {
      await api.call('jobs.dismiss', { id });
      const jobs = { ...get().jobs };
      delete jobs[id];
      set({ jobs });
    },

    waitFor(id) {
      const known = get().jobs[id];
      if (known && isTerminal(known)) return Promise.resolve(known);
      const promise = new Promise<Job>((resolve) => {
        waiters.set(id, [...(waiters.get(id) ?? []), resolve]);
      });
      // The job may have finished before we listened (or while the socket was down): ask once.
      api.call('jobs.get', { id }).then(
        (job) => get().apply(job),
        (err: unknown) => console.warn('jobs.get failed', toApiError(err).code),
      );
      return promise;
    },
  }));

  const offProgress = api.on('job.progress', (job) => store.getState().apply(job));
  const offFinished = api.on('job.finished', (job) => store.getState().apply(job));

  return Object.assign(store, {
    dispose() {
      offProgress();
      offFinished();
    },
  });
}
