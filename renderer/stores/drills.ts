import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SmokeCheck } from '../../shared/agent/drill';
import type { Job } from '../../shared/contract/domain';
import type {
  DrillOverview,
  DrillSettingsResult,
  DrillSyncResult,
  ReportDetail,
  ReportPdf,
} from '../../shared/contract/drill';
import type { DrillReportEntry } from '../../shared/contract/reports';
import { toApiError, type ApiClient, type ApiError } from '../lib/api-client';
import { notePhase, runFollower, type RunState } from './job-run';
import { isDrillJobOf, withEntry } from './drills-model';
import { isTerminal, type JobsStore } from './jobs';

/** The drill job of a server: `phases` in the order seen; a refused start has no job. */
export type DrillRun = RunState<{
  /** The finished job's error (DRILL_FAILED names the failed checks). */
  error: Job['error'];
  /** The archived report's drill id, once known (also for a failed drill). */
  drillId: string | null;
}>;

export type SettingsSave =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'saved'; result: DrillSettingsResult }
  | { status: 'failed'; error: ApiError };

export type SyncState =
  | { status: 'idle' }
  | { status: 'syncing' }
  | { status: 'done'; result: DrillSyncResult }
  | { status: 'failed'; error: ApiError };

export interface DrillsOfServer {
  /** The archive's reports, newest first: local, so they show before the server answers. */
  reports: DrillReportEntry[] | null;
  /** Schedule and settings as the agent has them (over SSH, may take a while or fail). */
  overview: DrillOverview | null;
  loading: boolean;
  error: ApiError | null;
  run: DrillRun;
  settings: SettingsSave;
  sync: SyncState;
}

/** Countersigning the open report: busy while main signs, its refusal when it failed. */
export type CountersignState =
  { status: 'idle' } | { status: 'busy' } | { status: 'failed'; error: ApiError };

/** The report opened from the history. */
export type OpenReport =
  | { status: 'loading'; serverId: string; drillId: string }
  | {
      status: 'ready';
      serverId: string;
      drillId: string;
      detail: ReportDetail;
      countersign: CountersignState;
    }
  | { status: 'failed'; serverId: string; drillId: string; error: ApiError };

/**
 * Whether the open report can get the app's countersignature: only a report the agent signed
 * (the app's own reports carry its signature already), and only once.
 */
export function canCountersign(report: OpenReport | null): boolean {
  return (
    report?.status === 'ready' &&
    report.detail.entry.signer === 'agent' &&
    !report.detail.entry.countersigned
  );
}

/**
 * The Drills page: each server's history and schedule (drill.overview), a drill run followed
 * through its job, the report opened from the history, and saving the drill settings.
 */
export interface DrillsState {
  servers: Record<string, DrillsOfServer>;
  report: OpenReport | null;
  load(serverId: string): Promise<void>;
  /** Picks up a drill job of the server that is still running (after navigating away and back). */
  watch(serverId: string): void;
  start(serverId: string): Promise<void>;
  /** Cancels the running drill (jobs.cancel); throws when main refuses. */
  cancel(serverId: string): Promise<void>;
  sync(serverId: string): Promise<void>;
  openReport(serverId: string, drillId: string): Promise<void>;
  closeReport(): void;
  /**
   * The report's PDF: the signed one (German and English), or with `language` a reading copy in
   * that language made from the signed report.json; throws ApiError when main cannot read it.
   */
  pdf(serverId: string, drillId: string, language?: 'de' | 'en'): Promise<ReportPdf>;
  /**
   * Countersigns an agent-signed report (reports.countersign); the open report and the history
   * then show it countersigned. A refusal is kept on the open report, never thrown.
   */
  countersign(serverId: string, drillId: string): Promise<void>;
  /** Saves the drill settings; a pg_amcheck mode left out keeps what the agent has. */
  saveSettings(
    serverId: string,
    settings: {
      intervalSeconds: number;
      smokeChecks: SmokeCheck[];
      amcheckHeapAllIndexed?: boolean;
    },
  ): Promise<void>;
}

export type DrillsStore = StoreApi<DrillsState> & { dispose(): void };

function empty(): DrillsOfServer {
  return {
    reports: null,
    overview: null,
    loading: false,
    error: null,
    run: { status: 'idle' },
    settings: { status: 'idle' },
    sync: { status: 'idle' },
  };
}

/** The drill id a finished drill job points at: its result, or its error's message. */
function drillIdOf(job: Job): string | null {
  const result = job.result as { drillId?: unknown } | null;
  if (result && typeof result.drillId === 'string') return result.drillId;
  const named = /\b(drill-[0-9TZ]+)\b/.exec(job.error?.message ?? '');
  return named?.[1] ?? null;
}

export function createDrillsStore(api: ApiClient, jobs: JobsStore): DrillsStore {
  const runs = runFollower(jobs);

  const store = createStore<DrillsState>()((set, get) => {
    const patch = (serverId: string, change: Partial<DrillsOfServer>) =>
      set({
        servers: {
          ...get().servers,
          [serverId]: { ...(get().servers[serverId] ?? empty()), ...change },
        },
      });

    function follow(serverId: string, jobId: string): void {
      runs.follow(jobId, {
        current: () => get().servers[serverId]?.run,
        // While the job runs only its phases change; error and report come with its end.
        update: (run) => {
          if ('jobId' in run) patch(serverId, { run: { ...run, error: null, drillId: null } });
        },
        ended: (job, status) => {
          const run = get().servers[serverId]?.run;
          const phases = run && 'phases' in run ? run.phases : [];
          patch(serverId, {
            run: { status, jobId, phases, error: job.error, drillId: drillIdOf(job) },
          });
          // A failed drill archived its report too: the history shows it.
          void get().load(serverId);
        },
      });
    }

    return {
      servers: {},
      report: null,

      async load(serverId) {
        patch(serverId, { loading: true });
        const archive = api.call('reports.list', { serverId }).then(
          (reports) => {
            // The overview may have answered first, with the same or newer reports.
            if (get().servers[serverId]?.loading) patch(serverId, { reports });
          },
          () => undefined, // the overview below reports the error
        );
        try {
          const overview = await api.call('drill.overview', { serverId });
          await archive;
          patch(serverId, { overview, reports: overview.reports, loading: false, error: null });
        } catch (err) {
          patch(serverId, { loading: false, error: toApiError(err) });
        }
      },

      watch(serverId) {
        const current = get().servers[serverId]?.run;
        if (current?.status === 'running' || current?.status === 'starting') return;
        const running = Object.values(jobs.getState().jobs).find(
          (job) => isDrillJobOf(job, serverId) && !isTerminal(job),
        );
        if (!running) return;
        patch(serverId, {
          run: {
            status: 'running',
            jobId: running.id,
            phases: notePhase([], running.phase),
            error: null,
            drillId: null,
          },
        });
        follow(serverId, running.id);
      },

      async start(serverId) {
        const run = get().servers[serverId]?.run;
        if (run?.status === 'running' || run?.status === 'starting') return;
        patch(serverId, { run: { status: 'starting' } });
        try {
          const { jobId } = await api.call('drill.start', { serverId });
          patch(serverId, {
            run: { status: 'running', jobId, phases: [], error: null, drillId: null },
          });
          follow(serverId, jobId);
        } catch (err) {
          patch(serverId, { run: { status: 'rejected', error: toApiError(err) } });
        }
      },

      async cancel(serverId) {
        const run = get().servers[serverId]?.run;
        if (!run || run.status !== 'running') return;
        await jobs.getState().cancel(run.jobId);
      },

      async sync(serverId) {
        patch(serverId, { sync: { status: 'syncing' } });
        try {
          const result = await api.call('drill.sync', { serverId });
          patch(serverId, { sync: { status: 'done', result } });
          if (result.imported > 0) await get().load(serverId);
        } catch (err) {
          patch(serverId, { sync: { status: 'failed', error: toApiError(err) } });
        }
      },

      async openReport(serverId, drillId) {
        set({ report: { status: 'loading', serverId, drillId } });
        const current = () => {
          const r = get().report;
          return r?.serverId === serverId && r.drillId === drillId;
        };
        try {
          const detail = await api.call('reports.get', { serverId, drillId });
          if (current()) {
            set({
              report: {
                status: 'ready',
                serverId,
                drillId,
                detail,
                countersign: { status: 'idle' },
              },
            });
          }
        } catch (err) {
          if (current())
            set({ report: { status: 'failed', serverId, drillId, error: toApiError(err) } });
        }
      },

      closeReport() {
        set({ report: null });
      },

      pdf(serverId, drillId, language) {
        return api.call('reports.pdf', { serverId, drillId, ...(language ? { language } : {}) });
      },

      async countersign(serverId, drillId) {
        // Only the report still open gets the answer: the admin may have opened another one.
        const open = () => {
          const r = get().report;
          return r?.status === 'ready' && r.serverId === serverId && r.drillId === drillId
            ? r
            : null;
        };
        const setCountersign = (countersign: CountersignState) => {
          const r = open();
          if (r) set({ report: { ...r, countersign } });
        };
        if (open()?.countersign.status === 'busy') return;
        setCountersign({ status: 'busy' });
        try {
          const entry = await api.call('reports.countersign', { serverId, drillId });
          const r = open();
          if (r) {
            set({
              report: { ...r, detail: { ...r.detail, entry }, countersign: { status: 'idle' } },
            });
          }
          const server = get().servers[serverId];
          if (server) {
            patch(serverId, {
              reports: server.reports && withEntry(server.reports, entry),
              overview: server.overview && {
                ...server.overview,
                reports: withEntry(server.overview.reports, entry),
              },
            });
          }
        } catch (err) {
          setCountersign({ status: 'failed', error: toApiError(err) });
        }
      },

      async saveSettings(serverId, settings) {
        patch(serverId, { settings: { status: 'saving' } });
        try {
          const result = await api.call('drill.settings.save', { serverId, ...settings });
          patch(serverId, { settings: { status: 'saved', result } });
          await get().load(serverId);
        } catch (err) {
          patch(serverId, { settings: { status: 'failed', error: toApiError(err) } });
        }
      },
    };
  });

  return Object.assign(store, {
    dispose() {
      runs.stopAll();
    },
  });
}
