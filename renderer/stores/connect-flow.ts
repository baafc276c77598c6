import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HostKeyProbe, Server } from '../../shared/contract/domain';
import { ApiError, toApiError } from '../lib/api-client';
import type { JobsStore } from './jobs';
import type { ServersStore } from './servers';

/**
 * Where connecting to one server stands. The host key is trusted only after the admin saw
 * its fingerprint ('confirm'); a changed key ends in 'changed' and is never accepted here.
 */
export type ConnectFlow =
  | { step: 'probing' }
  | { step: 'confirm'; probe: HostKeyProbe }
  | { step: 'trusting' }
  | { step: 'starting' }
  | { step: 'running'; jobId: string }
  | { step: 'succeeded'; jobId: string }
  | { step: 'changed'; pinned: string | null; presented: string | null }
  | { step: 'cancelled' }
  | { step: 'failed'; error: ApiError };

export const BUSY_STEPS: readonly ConnectFlow['step'][] = [
  'probing',
  'trusting',
  'starting',
  'running',
];

export function isBusy(flow: ConnectFlow | undefined): boolean {
  return flow !== undefined && BUSY_STEPS.includes(flow.step);
}

export interface ConnectFlowState {
  /** Keyed by server id, so a flow started on one page survives navigation to another. */
  flows: Record<string, ConnectFlow>;
  /** Connects with the pinned key, or first shows the host key when none is pinned yet. */
  start(server: Server): Promise<void>;
  /** The admin compared the fingerprint: pin it, then start the connect job. */
  trust(serverId: string): Promise<void>;
  /** The admin declined the fingerprint (or closed the dialog). */
  cancel(serverId: string): void;
  /** Fills in both fingerprints for a server already marked host-key-changed. */
  inspectChanged(server: Server): Promise<void>;
  clear(serverId: string): void;
}

export type ConnectFlowStore = StoreApi<ConnectFlowState>;

export function createConnectFlowStore(servers: ServersStore, jobs: JobsStore): ConnectFlowStore {
  return createStore<ConnectFlowState>()((set, get) => {
    const put = (id: string, flow: ConnectFlow) => set({ flows: { ...get().flows, [id]: flow } });

    /** Reads both fingerprints for the red warning; the warning shows even if that fails. */
    async function showChanged(id: string, pinnedFallback: string | null): Promise<void> {
      put(id, { step: 'changed', pinned: pinnedFallback, presented: null });
      try {
        const probe = await servers.getState().probe(id);
        put(id, {
          step: 'changed',
          pinned: probe.pinnedFingerprint ?? pinnedFallback,
          presented: probe.status === 'changed' ? probe.fingerprint : null,
        });
      } catch {
        // Keep the warning with what we know.
      }
    }

    async function probeAndAsk(server: Server): Promise<void> {
      put(server.id, { step: 'probing' });
      try {
        const probe = await servers.getState().probe(server.id);
        if (probe.status === 'unpinned') put(server.id, { step: 'confirm', probe });
        else if (probe.status === 'match') await connect(server);
        else
          put(server.id, {
            step: 'changed',
            pinned: probe.pinnedFingerprint,
            presented: probe.fingerprint,
          });
      } catch (err) {
        put(server.id, { step: 'failed', error: toApiError(err) });
      }
    }

    async function follow(server: Server, jobId: string): Promise<void> {
      const id = server.id;
      const job = await jobs.getState().waitFor(jobId);
      void servers.getState().refresh(id);
      // A newer flow for this server (e.g. a second click) owns the state now.
      const current = get().flows[id];
      if (!current || current.step !== 'running' || current.jobId !== jobId) return;
      if (job.state === 'succeeded') {
        put(id, { step: 'succeeded', jobId });
      } else if (job.error?.code === 'HOST_KEY_CHANGED') {
        const latest = servers.getState().servers.find((s) => s.id === id) ?? server;
        const pinned = latest.hostKey?.fingerprint ?? null;
        await showChanged(id, pinned);
      } else {
        const error = job.error
          ? new ApiError(
              job.error.code as ApiError['code'],
              job.error.message,
              undefined,
              job.error.reason,
            )
          : new ApiError(job.state === 'cancelled' ? 'CANCELLED' : 'INTERNAL', `job ${job.state}`);
        put(id, { step: 'failed', error });
      }
    }

    async function connect(server: Server): Promise<void> {
      const id = server.id;
      put(id, { step: 'starting' });
      let jobId: string;
      try {
        jobId = await servers.getState().connect(id);
      } catch (err) {
        const error = toApiError(err);
        const latest = servers.getState().servers.find((s) => s.id === id) ?? server;
        if (error.code === 'HOST_KEY_CHANGED')
          return showChanged(id, latest.hostKey?.fingerprint ?? null);
        if (error.code === 'HOST_KEY_UNCONFIRMED') return probeAndAsk(latest);
        put(id, { step: 'failed', error });
        return;
      }
      put(id, { step: 'running', jobId });
      void follow(server, jobId);
    }

    return {
      flows: {},

      async start(server) {
        if (isBusy(get().flows[server.id])) return;
        if (server.hostKey) await connect(server);
        else await probeAndAsk(server);
      },

      async trust(serverId) {
        const flow = get().flows[serverId];
        if (!flow || flow.step !== 'confirm') return;
        put(serverId, { step: 'trusting' });
        let pinned: Server;
        try {
          pinned = await servers.getState().trust(serverId, flow.probe.fingerprint);
        } catch (err) {
          put(serverId, { step: 'failed', error: toApiError(err) });
          return;
        }
        await connect(pinned);
      },

      cancel(serverId) {
        if (get().flows[serverId]?.step === 'confirm') put(serverId, { step: 'cancelled' });
      },

      async inspectChanged(server) {
        if (get().flows[server.id]) return;
        await showChanged(server.id, server.hostKey?.fingerprint ?? null);
      },

      clear(serverId) {
        const next = { ...get().flows };
        delete next[serverId];
        set({ flows: next });
      },
    };
  });
}
