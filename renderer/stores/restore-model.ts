import type { Job } from '../../shared/contract/domain';
import type {
  RecoveryTarget,
  RestoreDestination,
  RestoreRequest,
  ScratchEnvironment,
} from '../../shared/contract/recovery';
import { RESTORE_PHASES } from '../../shared/contract/restore-phases';
import type { MessageKey } from '../app/i18n/translate';
import { toApiError, type ApiError } from '../lib/api-client';
import { notePhase } from './agent-install-model';
import { isTerminal, type JobsStore } from './jobs';
import type { RunState } from './restore';

/**
 * The restore wizard's pure parts: steps, what the admin picked (as drafts that may still be
 * incomplete), the request they become, and how a restore job and its result are recognised.
 */

export const RESTORE_STEPS = ['target', 'destination', 'summary', 'run', 'result'] as const;
export type RestoreStep = (typeof RESTORE_STEPS)[number];

export function restoreStepIndex(step: RestoreStep): number {
  return RESTORE_STEPS.indexOf(step);
}

/** What to restore, while it is being chosen: a moment may not be typed in yet. */
export type TargetDraft =
  | { kind: 'time'; time: number | null }
  | { kind: 'point'; label: string | null }
  | { kind: 'latest' };

/** Where to: the other host may not be chosen yet. */
export type DestinationDraft = { kind: 'scratch' } | { kind: 'host'; serverId: string | null };

/** Scratch environments are removed after this many hours unless the admin says otherwise. */
export const DEFAULT_KEEP_HOURS = 24;
export const MAX_KEEP_HOURS = 24 * 90;

/** Why the target cannot be used yet, or null. */
export function targetProblem(target: TargetDraft): MessageKey | null {
  if (target.kind === 'time' && target.time === null) return 'restore.error.time';
  if (target.kind === 'point' && !target.label) return 'restore.error.point';
  return null;
}

export function destinationProblem(destination: DestinationDraft): MessageKey | null {
  if (destination.kind === 'host' && !destination.serverId) return 'restore.error.host';
  return null;
}

/** Whole hours 0 … 2160 (0 = keep until dropped), or null. */
export function parseKeepHours(text: string): number | null {
  const s = text.trim();
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n <= MAX_KEEP_HOURS ? n : null;
}

export function toRecoveryTarget(target: TargetDraft): RecoveryTarget | null {
  switch (target.kind) {
    case 'time':
      return target.time === null
        ? null
        : { kind: 'time', time: new Date(Math.round(target.time / 1000) * 1000).toISOString() };
    case 'point':
      return target.label ? { kind: 'point', label: target.label } : null;
    case 'latest':
      return { kind: 'latest' };
  }
}

export function toDestination(destination: DestinationDraft): RestoreDestination | null {
  if (destination.kind === 'scratch') return { kind: 'scratch' };
  return destination.serverId ? { kind: 'host', serverId: destination.serverId } : null;
}

/** The request for restore.plan / restore.start, or null while a choice is missing. */
export function toRestoreRequest(
  serverId: string,
  target: TargetDraft,
  destination: DestinationDraft,
): RestoreRequest | null {
  const t = toRecoveryTarget(target);
  const d = toDestination(destination);
  return t && d ? { serverId, target: t, destination: d } : null;
}

/** Whether two requests ask for the same restore (a plan for one fits the other). */
export function sameRequest<R extends Pick<RestoreRequest, 'serverId' | 'target'>>(
  a: R | null,
  b: R | null,
): boolean {
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

/** The restore job's phases as the contract lists them. */
export const RESTORE_JOB_PHASES: readonly string[] = RESTORE_PHASES;

/** Whether a job is a restore of this server (to pick it up again after a reload). */
export function isRestoreJobOf(job: Job, serverId: string): boolean {
  return isRestoreJob(job) && job.subjectId === serverId;
}

export function isRestoreJob(job: Pick<Job, 'kind'>): boolean {
  return job.kind === 'restore.start' || job.kind === 'restore';
}

const CHECK_NAMES = new Set([
  'consistent',
  'promoted',
  'stopped-at-target',
  'manifest-match',
  'files',
]);

/**
 * The scratch environment a finished restore job reports as its result, when it does. The
 * contract leaves a job's result open, so its shape is checked before it is used.
 */
export function scratchFromJobResult(result: unknown): ScratchEnvironment | null {
  if (!result || typeof result !== 'object') return null;
  const r = result as Record<string, unknown>;
  const candidate = (
    r.scratch && typeof r.scratch === 'object' ? r.scratch : r
  ) as Partial<ScratchEnvironment>;
  if (
    typeof candidate.id !== 'string' ||
    typeof candidate.dataDirectory !== 'string' ||
    typeof candidate.port !== 'number' ||
    typeof candidate.host !== 'string' ||
    !Array.isArray(candidate.checks) ||
    !candidate.checks.every(
      (c) =>
        c !== null &&
        typeof c === 'object' &&
        CHECK_NAMES.has(String((c as { name?: unknown }).name)) &&
        typeof (c as { ok?: unknown }).ok === 'boolean',
    )
  )
    return null;
  return candidate as ScratchEnvironment;
}

/**
 * The scratch environment a restore job created, found in scratch.list when the job's result
 * does not carry it: the newest one restored from this server since the job started.
 */
export function scratchOfJob(
  list: readonly ScratchEnvironment[],
  job: Pick<Job, 'createdAt'>,
  serverId: string,
): ScratchEnvironment | null {
  const since = Date.parse(job.createdAt) - 5_000;
  const candidates = list
    .filter((s) => s.sourceServerId === serverId && Date.parse(s.createdAt) >= since)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return candidates[0] ?? null;
}

/** Whether every verification check passed (and there was at least one). */
export function allChecksPassed(scratch: Pick<ScratchEnvironment, 'checks'>): boolean {
  return scratch.checks.length > 0 && scratch.checks.every((c) => c.ok);
}
