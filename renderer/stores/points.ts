import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Job } from '../../shared/contract/domain';
import type { PointCreateResult } from '../../shared/contract/point';
import { POINT_JOB_KIND } from '../../shared/contract/point-phases';
import { toApiError, type ApiClient } from '../lib/api-client';
import { notePhase, type RunState } from './job-run';
import { isTerminal, type JobsStore } from './jobs';

/** A server's recovery point on demand: refused at once, or followed through its job. */
export type PointRun = RunState<{
  error: Job['error'];
  result: PointCreateResult | null;
  /** A heal: restic's index rebuilt first (its phases start with `heal`). */
  heal?: boolean;
}>;

/**
 * Recovery points on demand (point.create): one run per server, its phases as the job reports
 * them. The catalog store reloads when the job ends (any finished job of a server does that),
 * so the timeline shows the new point.
 */
export interface PointsState {
  runs: Record<string, PointRun>;
  /** `heal`: rebuild restic's index first, after a point whose attached files were missing. */
  start(serverId: string, note?: string, heal?: boolean): Promise<void>;
  /** Picks up a point job of the server that still runs (after navigating away and back). */
  watch(serverId: string): void;
  cancel(serverId: string): Promise<void>;
}

export type PointsStore = StoreApi<PointsState> & { dispose(): void };

const isPointJobOf = (job: Job, serverId: string): boolean =>
  job.kind === POINT_JOB_KIND && job.subjectId === serverId;

export function createPointsStore(api: ApiClient, jobs: JobsStore): PointsStore {
  const store = createStore<PointsState>()((set, get) => {
    const patch = (serverId: string, run: PointRun) =>
      set({ runs: { ...get().runs, [serverId]: run } });
    const runOf = (serverId: string, jobId: string) => {
      const run = get().runs[serverId];
      return run && 'jobId' in run && run.jobId === jobId ? run : null;
    };
    const follow = (serverId: string, jobId: string) => {
      void jobs
        .getState()
        .waitFor(jobId)
        .then((job) => {
          const run = runOf(serverId, jobId);
          if (!run) return;
          patch(serverId, {
            ...run,
            status:
              job.state === 'succeeded'
                ? 'succeeded'
                : job.state === 'cancelled'
                  ? 'cancelled'
                  : 'failed',
            phases: notePhase(run.phases, job.phase),
            error: job.error,
            result: job.state === 'succeeded' ? (job.result as PointCreateResult) : null,
          });
        });
    };
    return {
      runs: {},

      async start(serverId, note, heal = false) {
        const run = get().runs[serverId];
        if (run?.status === 'running' || run?.status === 'starting') return;
        patch(serverId, { status: 'starting' });
        try {
          const text = note?.trim();
          const { jobId } = await api.call('point.create', {
            serverId,
            ...(text ? { note: text } : {}),
            ...(heal ? { heal: true } : {}),
          });
          patch(serverId, {
            status: 'running',
            jobId,
            heal,
            phases: [],
            error: null,
            result: null,
          });
          follow(serverId, jobId);
        } catch (err) {
          patch(serverId, { status: 'rejected', error: toApiError(err) });
        }
      },

      watch(serverId) {
        const current = get().runs[serverId];
        if (current?.status === 'running' || current?.status === 'starting') return;
        const running = Object.values(jobs.getState().jobs).find(
          (job) => isPointJobOf(job, serverId) && !isTerminal(job),
        );
        if (!running) return;
        patch(serverId, {
          status: 'running',
          jobId: running.id,
          heal: running.phase === 'heal',
          phases: notePhase([], running.phase),
          error: null,
          result: null,
        });
        follow(serverId, running.id);
      },

      async cancel(serverId) {
        const run = get().runs[serverId];
        if (!run || run.status !== 'running') return;
        await jobs.getState().cancel(run.jobId);
      },
    };
  });

  // The phases as they come: the job store hears every progress event.
  const off = jobs.subscribe((state) => {
    for (const [serverId, run] of Object.entries(store.getState().runs)) {
      if (run.status !== 'running') continue;
      const job = state.jobs[run.jobId];
      const phases = job ? notePhase(run.phases, job.phase) : run.phases;
      if (phases !== run.phases) {
        store.setState({ runs: { ...store.getState().runs, [serverId]: { ...run, phases } } });
      }
    }
  });

  return Object.assign(store, { dispose: off });
}
