import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AgentInstallPlan } from '../../shared/contract/agent';
import type { Server } from '../../shared/contract/domain';
import { toApiError, type ApiClient, type ApiError } from '../lib/api-client';
import {
  defaultDraft,
  isInstallJobOf,
  toInstallRequest,
  type ClusterDraft,
  type WizardStep,
} from './agent-install-model';
import { runBusy, runFollower, runningRun, type RunState } from './job-run';
import { isTerminal, type JobsStore } from './jobs';

export type PlanState =
  | { status: 'idle' }
  | { status: 'loading'; dataDirectory: string }
  | { status: 'ready'; plan: AgentInstallPlan }
  | { status: 'failed'; error: ApiError };

/** The install request and its job; a failed start (e.g. RESTART_NOT_CONFIRMED) has no job. */
export type InstallState = RunState;

export interface InstallWizard {
  step: WizardStep;
  draft: ClusterDraft;
  plan: PlanState;
  /** The admin ticked "I confirm PostgreSQL may be restarted now" for this plan. */
  confirmRestart: boolean;
  install: InstallState;
}

/** One install wizard per server, kept while the admin navigates elsewhere and back. */
export interface AgentInstallState {
  wizards: Record<string, InstallWizard>;
  /**
   * Starts a wizard for the server, or picks up its running install job, or keeps the open
   * one. `restartDone` starts over a wizard that already reached 'done' (a fresh visit).
   */
  open(server: Server, options?: { restartDone?: boolean }): void;
  goTo(serverId: string, step: WizardStep): void;
  updateDraft(serverId: string, update: (draft: ClusterDraft) => ClusterDraft): void;
  setConfirmRestart(serverId: string, confirmed: boolean): void;
  /** Asks main what installing will change (agent.plan) for the chosen cluster. */
  loadPlan(serverId: string): Promise<void>;
  /** Starts agent.install; on success the wizard moves to 'install' and follows the job. */
  install(serverId: string): Promise<void>;
  /** Back to a fresh wizard (after 'done', or to start over). */
  reset(server: Server): void;
}

export type AgentInstallStore = StoreApi<AgentInstallState>;

function fresh(server: Server): InstallWizard {
  return {
    step: 'storage',
    draft: defaultDraft(server.detection),
    plan: { status: 'idle' },
    confirmRestart: false,
    install: { status: 'idle' },
  };
}

export function createAgentInstallStore(api: ApiClient, jobs: JobsStore): AgentInstallStore {
  const runs = runFollower(jobs);

  return createStore<AgentInstallState>()((set, get) => {
    const patch = (serverId: string, update: Partial<InstallWizard>) => {
      const current = get().wizards[serverId];
      if (!current) return;
      set({ wizards: { ...get().wizards, [serverId]: { ...current, ...update } } });
    };

    /** Records each new phase of the job and moves on to 'done' when it succeeds. */
    function follow(serverId: string, jobId: string): void {
      runs.follow(jobId, {
        current: () => get().wizards[serverId]?.install,
        update: (install) => patch(serverId, { install }),
        ended: (_job, status) => {
          if (status === 'succeeded') patch(serverId, { step: 'done' });
        },
      });
    }

    return {
      wizards: {},

      open(server, options = {}) {
        const existing = get().wizards[server.id];
        if (runBusy(existing?.install)) return;
        const running = Object.values(jobs.getState().jobs).find(
          (job) => isInstallJobOf(job, server.id) && !isTerminal(job),
        );
        if (running) {
          const base = existing ?? fresh(server);
          set({
            wizards: {
              ...get().wizards,
              [server.id]: { ...base, step: 'install', install: runningRun(running) },
            },
          });
          follow(server.id, running.id);
          return;
        }
        if (existing && !(existing.step === 'done' && options.restartDone)) return;
        set({ wizards: { ...get().wizards, [server.id]: fresh(server) } });
      },

      goTo(serverId, step) {
        const wizard = get().wizards[serverId];
        if (!wizard || runBusy(wizard.install)) return;
        patch(serverId, {
          step,
          // Leaving the install step after a failure: the next attempt starts clean.
          ...(step !== 'install' && wizard.install.status !== 'succeeded'
            ? { install: { status: 'idle' } as const }
            : {}),
        });
      },

      updateDraft(serverId, update) {
        const wizard = get().wizards[serverId];
        if (!wizard) return;
        const draft = update(wizard.draft);
        // A different cluster needs a different plan, and a fresh restart confirmation; other
        // choices (paths, schedule, alerts) change the scripts the plan shows, so a new plan.
        const clusterChanged = draft.dataDirectory !== wizard.draft.dataDirectory;
        patch(serverId, {
          draft,
          ...(clusterChanged
            ? { plan: { status: 'idle' }, confirmRestart: false }
            : draft !== wizard.draft
              ? { plan: { status: 'idle' } }
              : {}),
        });
      },

      setConfirmRestart(serverId, confirmed) {
        patch(serverId, { confirmRestart: confirmed });
      },

      async loadPlan(serverId) {
        const wizard = get().wizards[serverId];
        const dataDirectory = wizard?.draft.dataDirectory;
        if (!wizard || !dataDirectory) return;
        patch(serverId, { plan: { status: 'loading', dataDirectory }, confirmRestart: false });
        try {
          // The whole request: the plan's scripts (and their SHA-256) are the ones install sends.
          const plan = await api.call(
            'agent.plan',
            toInstallRequest(serverId, wizard.draft, wizard.confirmRestart),
          );
          const now = get().wizards[serverId]?.plan;
          if (now?.status !== 'loading' || now.dataDirectory !== dataDirectory) return;
          patch(serverId, { plan: { status: 'ready', plan } });
        } catch (err) {
          const now = get().wizards[serverId]?.plan;
          if (now?.status !== 'loading' || now.dataDirectory !== dataDirectory) return;
          patch(serverId, { plan: { status: 'failed', error: toApiError(err) } });
        }
      },

      async install(serverId) {
        const wizard = get().wizards[serverId];
        if (!wizard || runBusy(wizard.install)) return;
        patch(serverId, { install: { status: 'starting' } });
        let jobId: string;
        try {
          const request = toInstallRequest(serverId, wizard.draft, wizard.confirmRestart);
          ({ jobId } = await api.call('agent.install', request));
        } catch (err) {
          patch(serverId, { install: { status: 'rejected', error: toApiError(err) } });
          return;
        }
        patch(serverId, { step: 'install', install: { status: 'running', jobId, phases: [] } });
        follow(serverId, jobId);
      },

      reset(server) {
        const wizard = get().wizards[server.id];
        if (runBusy(wizard?.install)) return;
        set({ wizards: { ...get().wizards, [server.id]: fresh(server) } });
      },
    };
  });
}
