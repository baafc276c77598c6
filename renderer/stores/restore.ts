import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Job } from '../../shared/contract/domain';
import type {
  RestorePlan,
  RestoreRequest,
  ScratchEnvironment,
} from '../../shared/contract/recovery';
import { toApiError, type ApiClient, type ApiError } from '../lib/api-client';
import { askPlan, runBusy, runFollower, runningRun, sameRequest, type RunState } from './job-run';
import { isTerminal, type JobsStore } from './jobs';
import {
  DEFAULT_KEEP_HOURS,
  isRestoreJobOf,
  parseKeepHours,
  scratchFromJobResult,
  scratchOfJob,
  toRestoreRequest,
  type DestinationDraft,
  type RestoreStep,
  type TargetDraft,
} from './restore-model';
import type { ScratchStore } from './scratch';

/** What restoring the moment picked on the timeline means (restore.plan into scratch). */
export type PreviewState =
  | { status: 'idle' }
  | { status: 'planning'; time: number }
  | { status: 'ready'; time: number; plan: RestorePlan }
  /** RESTORE_NOT_COVERED: the message says why (a gap, before the first backup …). */
  | { status: 'refused'; time: number; error: ApiError }
  | { status: 'failed'; time: number; error: ApiError };

export type PlanState =
  | { status: 'idle' }
  | { status: 'loading'; request: RestoreRequest }
  | { status: 'ready'; request: RestoreRequest; plan: RestorePlan }
  | { status: 'refused'; request: RestoreRequest; error: ApiError }
  | { status: 'failed'; request: RestoreRequest; error: ApiError };

export interface RestoreWizard {
  step: RestoreStep;
  target: TargetDraft;
  destination: DestinationDraft;
  /** As typed; whole hours, 0 = keep until dropped. */
  keepHours: string;
  plan: PlanState;
  /** The admin ticked the explicit confirmation for this plan. */
  confirmed: boolean;
  run: RunState;
  /** The scratch environment the restore created (result page). */
  scratch: ScratchEnvironment | null;
}

/**
 * Point-in-time restore in the page: the timeline's preview of a picked moment, and one
 * restore wizard per server, kept while the admin navigates elsewhere and back. Restoring over
 * production is its own store (restore-production.ts).
 */
export interface RestoreState {
  previews: Record<string, PreviewState>;
  wizards: Record<string, RestoreWizard>;
  /** Picks a moment on the timeline; restore.plan follows after a short pause (keyboard repeat). */
  pick(serverId: string, time: number): void;
  /**
   * Opens the server's wizard: picks up a running restore, else keeps the open one (also its
   * result page), else starts fresh. With `target` (from the timeline) it starts over at
   * step 1 with that target, unless a restore is running.
   */
  open(serverId: string, options?: { target?: TargetDraft }): void;
  goTo(serverId: string, step: RestoreStep): void;
  setTarget(serverId: string, target: TargetDraft): void;
  setDestination(serverId: string, destination: DestinationDraft): void;
  setKeepHours(serverId: string, text: string): void;
  setConfirmed(serverId: string, confirmed: boolean): void;
  /** Asks restore.plan for the current choices (the summary step). */
  loadPlan(serverId: string): Promise<void>;
  /** Starts restore.start for the confirmed plan; the wizard then follows the job. */
  start(serverId: string): Promise<void>;
  /** Cancels the running restore (jobs.cancel); throws when main refuses. */
  cancel(serverId: string): Promise<void>;
  /** Drops the scratch environment of the result page (scratch.drop); throws on failure. */
  dropScratch(serverId: string): Promise<void>;
  /** Back to a fresh wizard (after a result, or to start over); not while a restore runs. */
  reset(serverId: string): void;
}

export type RestoreStore = StoreApi<RestoreState> & { dispose(): void };

export interface RestoreStoreOptions {
  /** Pause between a pick and its restore.plan call; arrow keys repeat faster than that. */
  previewDelayMs?: number;
}

function fresh(target: TargetDraft = { kind: 'time', time: null }): RestoreWizard {
  return {
    step: 'target',
    target,
    destination: { kind: 'scratch' },
    keepHours: String(DEFAULT_KEEP_HOURS),
    plan: { status: 'idle' },
    confirmed: false,
    run: { status: 'idle' },
    scratch: null,
  };
}

const busy = (w: RestoreWizard | undefined) => runBusy(w?.run);

export function createRestoreStore(
  api: ApiClient,
  jobs: JobsStore,
  scratch: ScratchStore,
  options: RestoreStoreOptions = {},
): RestoreStore {
  const previewDelay = options.previewDelayMs ?? 200;
  const previewTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const previewGeneration = new Map<string, number>();
  const runs = runFollower(jobs);

  const store = createStore<RestoreState>()((set, get) => {
    const patch = (serverId: string, change: Partial<RestoreWizard>) => {
      const current = get().wizards[serverId];
      if (!current) return;
      set({ wizards: { ...get().wizards, [serverId]: { ...current, ...change } } });
    };
    const setPreview = (serverId: string, preview: PreviewState) =>
      set({ previews: { ...get().previews, [serverId]: preview } });

    async function preview(serverId: string, time: number, mine: number): Promise<void> {
      const request = toRestoreRequest(serverId, { kind: 'time', time }, { kind: 'scratch' });
      if (!request) return;
      try {
        const plan = await api.call('restore.plan', request);
        if (previewGeneration.get(serverId) !== mine) return;
        setPreview(serverId, { status: 'ready', time, plan });
      } catch (err) {
        if (previewGeneration.get(serverId) !== mine) return;
        const error = toApiError(err);
        const status = error.code === 'RESTORE_NOT_COVERED' ? 'refused' : 'failed';
        setPreview(serverId, { status, time, error });
      }
    }

    /** Where the scratch environment of a finished job is: its result, else scratch.list. */
    async function findScratch(serverId: string, job: Job): Promise<ScratchEnvironment | null> {
      const own = scratchFromJobResult(job.result);
      if (own) return own;
      await scratch.getState().load();
      return scratchOfJob(scratch.getState().list, job, serverId);
    }

    function follow(serverId: string, jobId: string): void {
      runs.follow(jobId, {
        current: () => get().wizards[serverId]?.run,
        update: (run) => patch(serverId, { run }),
        ended: (job, status) => {
          void findScratch(serverId, job).then(
            (found) => {
              const now = get().wizards[serverId];
              if (!now || !('jobId' in now.run) || now.run.jobId !== jobId) return;
              patch(serverId, {
                scratch: found,
                ...(status === 'succeeded' ? { step: 'result' as const } : {}),
              });
            },
            () => {
              if (status === 'succeeded') patch(serverId, { step: 'result' });
            },
          );
        },
      });
    }

    /** Changing a choice makes the plan and its confirmation stale. */
    const choice = (serverId: string, change: Partial<RestoreWizard>) => {
      if (busy(get().wizards[serverId])) return;
      patch(serverId, { ...change, plan: { status: 'idle' }, confirmed: false });
    };

    return {
      previews: {},
      wizards: {},

      pick(serverId, time) {
        const mine = (previewGeneration.get(serverId) ?? 0) + 1;
        previewGeneration.set(serverId, mine);
        setPreview(serverId, { status: 'planning', time });
        clearTimeout(previewTimers.get(serverId));
        previewTimers.set(
          serverId,
          setTimeout(() => {
            previewTimers.delete(serverId);
            void preview(serverId, time, mine);
          }, previewDelay),
        );
      },

      open(serverId, opts = {}) {
        const existing = get().wizards[serverId];
        if (busy(existing)) return;
        const running = Object.values(jobs.getState().jobs).find(
          (job) => isRestoreJobOf(job, serverId) && !isTerminal(job),
        );
        if (running) {
          set({
            wizards: {
              ...get().wizards,
              [serverId]: {
                ...(existing ?? fresh()),
                step: 'run',
                run: runningRun(running),
              },
            },
          });
          follow(serverId, running.id);
          return;
        }
        if (existing && !opts.target) return;
        set({ wizards: { ...get().wizards, [serverId]: fresh(opts.target) } });
      },

      goTo(serverId, step) {
        const wizard = get().wizards[serverId];
        if (!wizard || busy(wizard)) return;
        patch(serverId, {
          step,
          // Leaving the run step after a failure: the next attempt starts clean.
          ...(step !== 'run' && step !== 'result' && wizard.run.status !== 'idle'
            ? { run: { status: 'idle' } as const, scratch: null }
            : {}),
        });
      },

      setTarget(serverId, target) {
        choice(serverId, { target });
      },

      setDestination(serverId, destination) {
        choice(serverId, { destination });
      },

      setKeepHours(serverId, text) {
        if (busy(get().wizards[serverId])) return;
        patch(serverId, { keepHours: text });
      },

      setConfirmed(serverId, confirmed) {
        patch(serverId, { confirmed });
      },

      async loadPlan(serverId) {
        const wizard = get().wizards[serverId];
        if (!wizard) return;
        const request = toRestoreRequest(serverId, wizard.target, wizard.destination);
        if (!request) return;
        patch(serverId, { plan: { status: 'loading', request }, confirmed: false });
        const answer = await askPlan(request, (r) => api.call('restore.plan', r));
        // A newer request may have replaced this one meanwhile.
        const plan = get().wizards[serverId]?.plan;
        if (plan?.status === 'loading' && sameRequest(plan.request, request)) {
          patch(serverId, { plan: answer });
        }
      },

      async start(serverId) {
        const wizard = get().wizards[serverId];
        if (!wizard || busy(wizard) || !wizard.confirmed) return;
        if (wizard.plan.status !== 'ready') return;
        const keepHours = parseKeepHours(wizard.keepHours);
        if (keepHours === null) return;
        patch(serverId, { run: { status: 'starting' } });
        let jobId: string;
        try {
          ({ jobId } = await api.call('restore.start', { ...wizard.plan.request, keepHours }));
        } catch (err) {
          patch(serverId, { run: { status: 'rejected', error: toApiError(err) } });
          return;
        }
        patch(serverId, {
          step: 'run',
          scratch: null,
          run: { status: 'running', jobId, phases: [] },
        });
        follow(serverId, jobId);
      },

      async cancel(serverId) {
        const run = get().wizards[serverId]?.run;
        if (!run || run.status !== 'running') return;
        await jobs.getState().cancel(run.jobId);
      },

      async dropScratch(serverId) {
        const current = get().wizards[serverId]?.scratch;
        if (!current) return;
        const dropped = await scratch.getState().drop(current.id);
        patch(serverId, { scratch: dropped });
      },

      reset(serverId) {
        if (busy(get().wizards[serverId])) return;
        set({ wizards: { ...get().wizards, [serverId]: fresh() } });
      },
    };
  });

  return Object.assign(store, {
    dispose() {
      for (const timer of previewTimers.values()) clearTimeout(timer);
      previewTimers.clear();
      runs.stopAll();
    },
  });
}
