import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Job } from '../../shared/contract/domain';
import type { KitImportResult } from '../../shared/contract/kit-import';
import type {
  RebuildHandoverFile,
  RebuildPlan,
  RebuildRequest,
  RebuildResult,
} from '../../shared/contract/rebuild';
import type { Catalog } from '../../shared/contract/recovery';
import { toApiError, type ApiClient, type ApiError } from '../lib/api-client';
import { askPlan, runBusy, runFollower, runningRun, sameRequest, type RunState } from './job-run';
import { isTerminal, type JobsStore } from './jobs';
import {
  kitImportRequest,
  rebuildRequest,
  rebuildResultOf,
  unfinishedRebuild,
  type KitDraft,
  type KitField,
  type RebuildStep,
  type RebuildTargetDraft,
} from './rebuild-model';

export type KitState =
  { status: 'idle' } | { status: 'importing' } | { status: 'failed'; error: ApiError };

export type RebuildPlanState =
  | { status: 'idle' }
  | { status: 'loading'; request: RebuildRequest }
  | { status: 'ready'; request: RebuildRequest; plan: RebuildPlan }
  | { status: 'refused' | 'failed'; request: RebuildRequest; error: ApiError };

export type HandoverState =
  | { status: 'idle' | 'loading' }
  | { status: 'ready'; file: RebuildHandoverFile }
  | { status: 'failed'; error: ApiError };

/** The server that is gone, as the kit named it. */
export interface RebuildSource {
  id: string;
  name: string;
  imported: KitImportResult | null;
}

export interface RebuildWizard {
  step: RebuildStep;
  kitDraft: KitDraft;
  kit: KitState;
  source: RebuildSource | null;
  catalog: Catalog | null;
  target: RebuildTargetDraft;
  hostId: string | null;
  /** The new cluster's port, as typed. */
  port: string;
  plan: RebuildPlanState;
  confirmed: boolean;
  run: RunState;
  /** The admin pressed cancel: the confirmation is open. */
  cancelAsked: boolean;
  /** An unfinished rebuild found on opening (failed or interrupted), offered to continue. */
  unfinished: Job | null;
  result: RebuildResult | null;
  handover: HandoverState;
}

/**
 * The disaster-recovery wizard (issue 19): one at a time for the console. It imports the kit
 * (or takes a server imported before), the target, the new host and port, the plan, then
 * follows the rebuild job to its hand-over. Kept while the admin navigates elsewhere; opening
 * the console with a rebuild running or unfinished shows it.
 */
export interface RebuildState {
  wizard: RebuildWizard;
  /** Picks up a running or unfinished rebuild from the jobs list. */
  open(): void;
  goTo(step: RebuildStep): void;
  setKitText(text: string): void;
  setKitField(field: KitField, value: string): void;
  /** The sheet's "Earlier agent keys" section, as typed. */
  setKitEarlierKeys(text: string): void;
  /** The storage's CA certificate (PEM), pasted or typed. */
  setKitCaCertificate(pem: string): void;
  setOwnStorage(ownStorage: boolean): void;
  /** recoveryKit.import; on success the source is the imported server, on to the target. */
  importKit(): Promise<void>;
  /** A server imported earlier (retired): no import again. */
  useImported(id: string, name: string): void;
  loadCatalog(): Promise<void>;
  setTarget(target: RebuildTargetDraft): void;
  setHost(hostId: string | null): void;
  setPort(text: string): void;
  loadPlan(): Promise<void>;
  setConfirmed(confirmed: boolean): void;
  start(): Promise<void>;
  askCancel(): void;
  keepRunning(): void;
  /** jobs.cancel after the confirmation; throws when main refuses. */
  cancel(): Promise<void>;
  /** rebuild.resume of the unfinished (or just failed) rebuild job. */
  resume(jobId: string): Promise<void>;
  loadHandover(): Promise<void>;
  reset(): void;
}

export type RebuildStore = StoreApi<RebuildState> & { dispose(): void };

function fresh(): RebuildWizard {
  return {
    step: 'kit',
    kitDraft: { text: '', typed: {}, ownStorage: false },
    kit: { status: 'idle' },
    source: null,
    catalog: null,
    target: { kind: 'latest' },
    hostId: null,
    port: '5432',
    plan: { status: 'idle' },
    confirmed: false,
    run: { status: 'idle' },
    cancelAsked: false,
    unfinished: null,
    result: null,
    handover: { status: 'idle' },
  };
}

export function createRebuildStore(api: ApiClient, jobs: JobsStore): RebuildStore {
  const runs = runFollower(jobs);
  const store = createStore<RebuildState>()((set, get) => {
    const patch = (change: Partial<RebuildWizard>) =>
      set({ wizard: { ...get().wizard, ...change } });
    const busy = () => runBusy(get().wizard.run);
    /** A changed choice makes the plan and its confirmation stale. */
    const choice = (change: Partial<RebuildWizard>) => {
      if (busy()) return;
      patch({ ...change, plan: { status: 'idle' }, confirmed: false });
    };

    function follow(jobId: string): void {
      runs.follow(jobId, {
        current: () => get().wizard.run,
        update: (run) => patch({ run }),
        ended: (job, status) => {
          if (status !== 'succeeded') return;
          patch({ step: 'handover', result: rebuildResultOf(job), cancelAsked: false });
          void get().loadHandover();
        },
      });
    }

    function followNew(jobId: string): void {
      patch({
        step: 'run',
        run: { status: 'running', jobId, phases: [] },
        unfinished: null,
        result: null,
        handover: { status: 'idle' },
      });
      follow(jobId);
    }

    return {
      wizard: fresh(),

      open() {
        if (busy()) return;
        const found = unfinishedRebuild(Object.values(jobs.getState().jobs));
        if (!found) return;
        if (!isTerminal(found)) {
          patch({ step: 'run', run: runningRun(found), unfinished: null });
          follow(found.id);
          return;
        }
        if (get().wizard.run.status === 'idle') patch({ unfinished: found });
      },

      goTo(step) {
        if (busy()) return;
        const w = get().wizard;
        patch({
          step,
          cancelAsked: false,
          // Leaving the run step after a failure: the next attempt starts clean.
          ...(step !== 'run' && step !== 'handover' && w.run.status !== 'idle'
            ? { run: { status: 'idle' } as const }
            : {}),
        });
      },

      setKitText(text) {
        patch({ kitDraft: { ...get().wizard.kitDraft, text }, kit: { status: 'idle' } });
      },
      setKitField(field, value) {
        const draft = get().wizard.kitDraft;
        patch({ kitDraft: { ...draft, typed: { ...draft.typed, [field]: value } } });
      },
      setKitEarlierKeys(earlierKeys) {
        patch({ kitDraft: { ...get().wizard.kitDraft, earlierKeys } });
      },
      setKitCaCertificate(caCertificate) {
        patch({ kitDraft: { ...get().wizard.kitDraft, caCertificate } });
      },
      setOwnStorage(ownStorage) {
        patch({ kitDraft: { ...get().wizard.kitDraft, ownStorage } });
      },

      async importKit() {
        const request = kitImportRequest(get().wizard.kitDraft);
        if (!request || get().wizard.kit.status === 'importing') return;
        patch({ kit: { status: 'importing' } });
        try {
          const imported = await api.call('recoveryKit.import', request);
          // The kit's secrets are in main's store now; the page keeps no copy.
          choice({
            kit: { status: 'idle' },
            kitDraft: fresh().kitDraft,
            source: { id: imported.serverId, name: imported.serverName, imported },
            catalog: null,
            step: 'target',
          });
          void get().loadCatalog();
        } catch (err) {
          patch({ kit: { status: 'failed', error: toApiError(err) } });
        }
      },

      useImported(id, name) {
        choice({ source: { id, name, imported: null }, catalog: null, step: 'target' });
        void get().loadCatalog();
      },

      async loadCatalog() {
        const source = get().wizard.source;
        if (!source) return;
        try {
          const catalog = await api.call('catalog.get', { serverId: source.id });
          if (get().wizard.source?.id === source.id) patch({ catalog });
        } catch {
          // The target step offers the latest and a moment without the list of points.
        }
      },

      setTarget(target) {
        choice({ target });
      },
      setHost(hostId) {
        choice({ hostId });
      },
      setPort(port) {
        choice({ port });
      },

      async loadPlan() {
        const w = get().wizard;
        const request = rebuildRequest(w.source?.id ?? null, w.target, w.hostId, w.port);
        if (!request) return;
        patch({ plan: { status: 'loading', request }, confirmed: false });
        const answer = await askPlan(request, (r) => api.call('rebuild.plan', r));
        const now = get().wizard.plan;
        if (now.status === 'loading' && sameRequest(now.request, request)) patch({ plan: answer });
      },

      setConfirmed(confirmed) {
        patch({ confirmed });
      },

      async start() {
        const w = get().wizard;
        if (busy() || !w.confirmed || w.plan.status !== 'ready' || !w.plan.plan.ready) return;
        patch({ run: { status: 'starting' } });
        try {
          const { jobId } = await api.call('rebuild.start', w.plan.request);
          followNew(jobId);
        } catch (err) {
          patch({ run: { status: 'rejected', error: toApiError(err) } });
        }
      },

      askCancel() {
        if (get().wizard.run.status === 'running') patch({ cancelAsked: true });
      },
      keepRunning() {
        patch({ cancelAsked: false });
      },
      async cancel() {
        const run = get().wizard.run;
        patch({ cancelAsked: false });
        if (run.status !== 'running') return;
        await jobs.getState().cancel(run.jobId);
      },

      async resume(jobId) {
        if (busy()) return;
        patch({ run: { status: 'starting' }, step: 'run' });
        try {
          const resumed = await api.call('rebuild.resume', { jobId });
          followNew(resumed.jobId);
        } catch (err) {
          patch({ run: { status: 'rejected', error: toApiError(err) } });
        }
      },

      async loadHandover() {
        const run = get().wizard.run;
        if (!('jobId' in run)) return;
        patch({ handover: { status: 'loading' } });
        try {
          const file = await api.call('rebuild.handover', { jobId: run.jobId });
          patch({ handover: { status: 'ready', file } });
        } catch (err) {
          patch({ handover: { status: 'failed', error: toApiError(err) } });
        }
      },

      reset() {
        if (busy()) return;
        set({ wizard: fresh() });
      },
    };
  });
  return Object.assign(store, { dispose: () => runs.stopAll() });
}
