import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  HostKeyProbe,
  Server,
  ServerAddressUpdate,
  ServerDraft,
} from '../../shared/contract/domain';
import { ApiError, toApiError, type ApiClient } from '../lib/api-client';

/** Servers as main knows them, kept fresh by 'servers.changed' events. */
export interface ServersState {
  servers: Server[];
  /** True once the first list arrived; lets pages tell "loading" from "empty". */
  loaded: boolean;
  loading: boolean;
  /** The last failure of load(); command failures are thrown to the caller instead. */
  error: ApiError | null;
  load(): Promise<void>;
  /** Re-reads one server; drops it when main says it no longer exists. */
  refresh(id: string): Promise<void>;
  add(draft: ServerDraft): Promise<Server>;
  /** New host, port and user; a new host drops the pinned key (confirmed again on connect). */
  update(address: ServerAddressUpdate): Promise<Server>;
  probe(id: string): Promise<HostKeyProbe>;
  trust(id: string, fingerprint: string): Promise<Server>;
  /** Starts the connect-and-detect job; resolves with its id. */
  connect(id: string): Promise<string>;
  remove(id: string): Promise<void>;
}

export type ServersStore = StoreApi<ServersState> & { dispose(): void };

function upsert(list: Server[], server: Server): Server[] {
  const i = list.findIndex((s) => s.id === server.id);
  if (i === -1) return [...list, server];
  const next = list.slice();
  next[i] = server;
  return next;
}

export function createServersStore(api: ApiClient): ServersStore {
  // Answers can overtake each other; only the newest request per server (and for the list) wins.
  let listGeneration = 0;
  const serverGeneration = new Map<string, number>();
  const bump = (id: string) => {
    const n = (serverGeneration.get(id) ?? 0) + 1;
    serverGeneration.set(id, n);
    return n;
  };

  const store = createStore<ServersState>()((set, get) => {
    const put = (server: Server) => {
      bump(server.id);
      set({ servers: upsert(get().servers, server) });
    };
    const drop = (id: string) => {
      bump(id);
      set({ servers: get().servers.filter((s) => s.id !== id) });
    };

    return {
      servers: [],
      loaded: false,
      loading: false,
      error: null,

      async load() {
        const generation = ++listGeneration;
        set({ loading: true });
        try {
          const servers = await api.call('servers.list', {});
          if (generation !== listGeneration) return;
          set({ servers, loaded: true, loading: false, error: null });
        } catch (err) {
          if (generation !== listGeneration) return;
          set({ loading: false, error: toApiError(err) });
        }
      },

      async refresh(id) {
        const generation = bump(id);
        try {
          const server = await api.call('servers.get', { id });
          if (serverGeneration.get(id) !== generation) return;
          set({ servers: upsert(get().servers, server) });
        } catch (err) {
          if (serverGeneration.get(id) !== generation) return;
          if (err instanceof ApiError && err.code === 'NOT_FOUND') {
            set({ servers: get().servers.filter((s) => s.id !== id) });
          }
        }
      },

      async add(draft) {
        const server = await api.call('servers.add', draft);
        put(server);
        return server;
      },

      async update(address) {
        const server = await api.call('servers.update', address);
        put(server);
        return server;
      },

      probe(id) {
        return api.call('servers.probeHostKey', { id });
      },

      async trust(id, fingerprint) {
        const server = await api.call('servers.trustHostKey', { id, fingerprint });
        put(server);
        return server;
      },

      async connect(id) {
        const { jobId } = await api.call('servers.connect', { id });
        return jobId;
      },

      async remove(id) {
        await api.call('servers.remove', { id });
        drop(id);
      },
    };
  });

  const off = api.on('servers.changed', ({ serverId }) => {
    void store.getState().refresh(serverId);
  });

  return Object.assign(store, { dispose: off });
}
