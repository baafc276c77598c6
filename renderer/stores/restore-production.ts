import type { Job } from '../../shared/contract/domain';
import type {
  ProductionRestorePlan,
  ProductionRestoreRequest,
  ProductionRestoreResult,
  RecoveryTarget,
} from '../../shared/contract/recovery';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { toApiError, type ApiClient } from '../lib/api-client';
import {
  askPlan,
  runBusy,
  runFollower,
  runningRun,
  sameRequest,
  type PlanAnswer,
  type RunState,
} from './job-run';
import { isTerminal, type JobsStore } from './jobs';

/** restore.production.plan for the wizard's target. */
export type ProductionPlanState =
  | { status: 'idle' }
  | { status: 'loading'; request: ProductionRestoreRequest }
  | PlanAnswer<ProductionRestoreRequest, ProductionRestorePlan>;

/** The danger path of one server: its plan, what the admin typed, the job and its result. */
export interface ProductionRestore {
  /** The dialog is shown (closing it leaves a running restore running). */
  open: boolean;
  plan: ProductionPlanState;
  typed: string;
  run: RunState;
  result: ProductionRestoreResult | null;
}

/** Restoring over production (issue 4 §3): one dialog per server, a store of its own. */
export interface ProductionRestoreState {
  production: Record<string, ProductionRestore>;
  /**
   * Opens the dialog: follows a running restore over production of this server, else asks
   * restore.production.plan for `target` (a fresh form: the name has to be typed again).
   */
  openProduction(serverId: string, target: RecoveryTarget | null): Promise<void>;
  setConfirmText(serverId: string, text: string): void;
  /** Starts restore.production.start once the typed name matches the plan's. */
  startProduction(serverId: string): Promise<void>;
  /** jobs.cancel; throws (CONFLICT with the reason) once production is being overwritten. */
  cancelProduction(serverId: string): Promise<void>;
  closeProduction(serverId: string): void;
}

/** Whether the typed text is the name the plan asks for (exactly, as main compares it). */
export function productionConfirmed(plan: ProductionPlanState, typed: string): boolean {
  return plan.status === 'ready' && typed === plan.plan.confirmName;
}

export function isProductionJobOf(job: Job, serverId: string): boolean {
  return job.kind === 'restore.production' && job.subjectId === serverId;
}

/** A finished job's result when it has the ProductionRestoreResult shape. */
export function productionResultOf(result: unknown): ProductionRestoreResult | null {
  if (!result || typeof result !== 'object') return null;
  const r = result as Partial<ProductionRestoreResult>;
  return typeof r.safetySnapshot?.label === 'string' && Array.isArray(r.checks)
    ? (r as ProductionRestoreResult)
    : null;
}

const closed: ProductionRestore = {
  open: false,
  plan: { status: 'idle' },
  typed: '',
  run: { status: 'idle' },
  result: null,
};

const busy = (p: ProductionRestore | undefined) => runBusy(p?.run);

export type ProductionRestoreStore = StoreApi<ProductionRestoreState> & { dispose(): void };

export function createProductionRestoreStore(
  api: ApiClient,
  jobs: JobsStore,
): ProductionRestoreStore {
  const runs = runFollower(jobs);
  const store = createStore<ProductionRestoreState>()((set, get) => {
    const patch = (serverId: string, change: Partial<ProductionRestore>) =>
      set({
        production: {
          ...get().production,
          [serverId]: { ...(get().production[serverId] ?? closed), ...change },
        },
      });

    function follow(serverId: string, jobId: string): void {
      runs.follow(jobId, {
        current: () => get().production[serverId]?.run,
        update: (run) => patch(serverId, { run }),
        ended: (job) => patch(serverId, { result: productionResultOf(job.result) }),
      });
    }

    async function loadPlan(serverId: string, request: ProductionRestoreRequest): Promise<void> {
      patch(serverId, { plan: { status: 'loading', request } });
      const answer = await askPlan(request, (r) => api.call('restore.production.plan', r));
      // Closed, or opened again for another target, meanwhile: this answer is stale.
      const plan = get().production[serverId]?.plan;
      if (plan?.status === 'loading' && sameRequest(plan.request, request)) {
        patch(serverId, { plan: answer });
      }
    }

    return {
      production: {},

      async openProduction(serverId, target) {
        const current = get().production[serverId];
        if (busy(current)) return patch(serverId, { open: true });
        const running = Object.values(jobs.getState().jobs).find(
          (job) => isProductionJobOf(job, serverId) && !isTerminal(job),
        );
        if (running) {
          patch(serverId, { ...closed, open: true, run: runningRun(running) });
          return follow(serverId, running.id);
        }
        patch(serverId, { ...closed, open: true });
        if (target) await loadPlan(serverId, { serverId, target });
      },

      setConfirmText(serverId, text) {
        if (busy(get().production[serverId])) return;
        patch(serverId, { typed: text });
      },

      async startProduction(serverId) {
        const current = get().production[serverId];
        if (!current || busy(current) || current.plan.status !== 'ready') return;
        if (!productionConfirmed(current.plan, current.typed)) return;
        patch(serverId, { run: { status: 'starting' }, result: null });
        let jobId: string;
        try {
          ({ jobId } = await api.call('restore.production.start', {
            ...current.plan.request,
            confirmName: current.typed,
          }));
        } catch (err) {
          patch(serverId, { run: { status: 'rejected', error: toApiError(err) } });
          return;
        }
        patch(serverId, { run: { status: 'running', jobId, phases: [] } });
        follow(serverId, jobId);
      },

      async cancelProduction(serverId) {
        const run = get().production[serverId]?.run;
        if (!run || run.status !== 'running') return;
        await jobs.getState().cancel(run.jobId);
      },

      closeProduction(serverId) {
        const current = get().production[serverId];
        if (!current) return;
        // A running restore goes on (and shows in the jobs panel); anything else starts over.
        patch(serverId, busy(current) ? { open: false } : closed);
      },
    };
  });
  return Object.assign(store, { dispose: () => runs.stopAll() });
}
