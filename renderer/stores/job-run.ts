import type { Job } from '../../shared/contract/domain';
import { toApiError, type ApiError } from '../lib/api-client';
import { isTerminal, type JobsStore } from './jobs';

/**
 * What every wizard that runs a job shares (install, restore, restore over production, and the
 * coming GDPR and disaster-recovery wizards): the run's state, the phases seen, following the
 * job, and a plan asked for before the run. Each wizard's own store builds on this module and
 * on no other wizard's store.
 */

/**
 * A run: `phases` in the order seen; a rejected start has no job. `Extra` is what a run with a
 * job carries besides (a drill's report id, a point's result).
 */
export type RunState<Extra extends object = object> =
  | { status: 'idle' }
  | { status: 'starting' }
  | { status: 'rejected'; error: ApiError }
  | ({
      status: 'running' | 'succeeded' | 'failed' | 'cancelled';
      jobId: string;
      phases: readonly string[];
    } & Extra);

/** Whether a run is starting or running (choices are frozen, going back is not allowed). */
export function runBusy(run: RunState | undefined): boolean {
  return run?.status === 'running' || run?.status === 'starting';
}

/** Runner bookkeeping phases that are not steps of the job. */
const HIDDEN_PHASES = new Set(['starting', 'done']);

export type PhaseStatus = 'done' | 'current' | 'failed' | 'cancelled' | 'pending';
export interface PhaseItem {
  id: string;
  status: PhaseStatus;
}

/** Adds a phase to the seen list when it is new and not bookkeeping. */
export function notePhase(seen: readonly string[], phase: string | null): readonly string[] {
  if (!phase || HIDDEN_PHASES.has(phase) || seen.includes(phase)) return seen;
  return [...seen, phase];
}

/**
 * The list shown while a job runs: every phase seen so far (✓ unless it is the current one),
 * then the expected phases after the last one seen. Expected phases that were passed over
 * without being reported (nothing to do there) are left out.
 */
export function phaseList(
  seen: readonly string[],
  job: Pick<Job, 'state' | 'phase'> | null,
  expected: readonly string[],
): PhaseItem[] {
  const state = job?.state ?? 'queued';
  const current = seen.length > 0 ? seen[seen.length - 1] : undefined;
  const items: PhaseItem[] = seen.map((id) => {
    if (id !== current || state === 'succeeded') return { id, status: 'done' };
    if (state === 'failed' || state === 'interrupted') return { id, status: 'failed' };
    if (state === 'cancelled') return { id, status: 'cancelled' };
    return { id, status: 'current' };
  });
  if (state === 'succeeded') return items;
  const lastKnown = Math.max(-1, ...seen.map((id) => expected.indexOf(id)));
  for (const id of expected.slice(lastKnown + 1)) {
    if (!seen.includes(id)) items.push({ id, status: 'pending' });
  }
  return items;
}

/** A run that follows a job already running (picked up after a reload). */
export function runningRun(job: Pick<Job, 'id' | 'phase'>): RunState {
  return { status: 'running', jobId: job.id, phases: notePhase([], job.phase) };
}

/** Whether two requests ask for the same thing (a plan for one fits the other). */
export function sameRequest<R extends object>(a: R | null, b: R | null): boolean {
  return a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b);
}

/** A plan as asked for: ready, refused (RESTORE_NOT_COVERED: the message says why) or failed. */
export type PlanAnswer<R, P> =
  | { status: 'ready'; request: R; plan: P }
  | { status: 'refused' | 'failed'; request: R; error: ApiError };

/** Asks main for a plan; a refusal or failure comes back as a state, never thrown. */
export async function askPlan<R, P>(
  request: R,
  call: (request: R) => Promise<P>,
): Promise<PlanAnswer<R, P>> {
  try {
    return { status: 'ready', request, plan: await call(request) };
  } catch (err) {
    const error = toApiError(err);
    return { status: error.code === 'RESTORE_NOT_COVERED' ? 'refused' : 'failed', request, error };
  }
}

/** How {@link followRun} reads and writes the run it follows. */
export interface RunBinding {
  current(): RunState | undefined;
  update(run: RunState): void;
  /** Once, when the job ended (the run already shows its final status). */
  ended?(job: Job, status: 'succeeded' | 'failed' | 'cancelled'): void;
  /** When following stops: the job ended, or the run is no longer this job's. */
  stopped?(): void;
}

/**
 * Follows a run's job: each new phase, then its final status, go into the run while it is
 * still this job's running run. Returns a function that stops following.
 */
export function followRun(jobs: JobsStore, jobId: string, binding: RunBinding): () => void {
  return watchJob(
    jobs,
    jobId,
    (job) => {
      const run = binding.current();
      if (!run || !('jobId' in run) || run.jobId !== jobId || run.status !== 'running') {
        return true;
      }
      if (!job) return false;
      const phases = notePhase(run.phases, job.phase);
      if (!isTerminal(job)) {
        if (phases !== run.phases) binding.update({ ...run, phases });
        return false;
      }
      const status =
        job.state === 'succeeded'
          ? 'succeeded'
          : job.state === 'cancelled'
            ? 'cancelled'
            : 'failed';
      binding.update({ status, jobId, phases });
      binding.ended?.(job, status);
      return true;
    },
    binding.stopped,
  );
}

/**
 * Follows each job at most once: `follow(key, jobId, binding)` starts {@link followRun} unless
 * that job is already followed; `stopAll` ends every watch (store dispose).
 */
export function runFollower(jobs: JobsStore) {
  const following = new Map<string, () => void>();
  return {
    follow(jobId: string, binding: RunBinding): void {
      if (following.has(jobId)) return;
      // Registered first: a job that already ended stops the watch (and leaves the map) at once.
      let stop = () => {};
      following.set(jobId, () => stop());
      stop = followRun(jobs, jobId, {
        ...binding,
        stopped: () => {
          following.delete(jobId);
          binding.stopped?.();
        },
      });
    },
    stopAll(): void {
      for (const stop of [...following.values()]) stop();
    },
  };
}

/**
 * Calls `onJob` with a job now, on every change in the jobs store, and once more with what
 * main says when it ends (it may have ended before anyone listened), until `onJob` returns
 * true. Returns a function that stops listening; `onStop` runs when listening stops.
 */
export function watchJob(
  jobs: JobsStore,
  jobId: string,
  onJob: (job: Job | undefined) => boolean,
  onStop?: () => void,
): () => void {
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    onStop?.();
  };
  const see = (job: Job | undefined) => {
    if (!stopped && onJob(job)) stop();
  };
  const unsubscribe = jobs.subscribe((state) => see(state.jobs[jobId]));
  see(jobs.getState().jobs[jobId]);
  void jobs
    .getState()
    .waitFor(jobId)
    .then((job) => see(job));
  return stop;
}
