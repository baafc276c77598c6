import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ServerHealth } from '../../shared/contract/agent';
import { toApiError, type ApiClient, type ApiError } from '../lib/api-client';

/** How often a watched dashboard or the fleet overview re-reads its status. */
export const HEALTH_REFRESH_MS = 15_000;

export interface HealthEntry {
  health: ServerHealth | null;
  loading: boolean;
  /** The last failure; the last good health stays shown beside it. */
  error: ApiError | null;
}

export interface FleetEntry {
  /** Worst first, as main sorted it. */
  list: ServerHealth[];
  loaded: boolean;
  loading: boolean;
  error: ApiError | null;
}

/**
 * Dashboard tiles per server and the fleet overview. A page watches what it shows: the
 * store then reads it at once, every {@link HEALTH_REFRESH_MS}, and after every finished job.
 */
export interface HealthState {
  servers: Record<string, HealthEntry>;
  fleet: FleetEntry;
  load(serverId: string): Promise<void>;
  loadFleet(): Promise<void>;
  /** Keeps one server fresh until the returned function is called. */
  watch(serverId: string): () => void;
  watchFleet(): () => void;
}

export type HealthStore = StoreApi<HealthState> & { dispose(): void };

const EMPTY: HealthEntry = { health: null, loading: false, error: null };
const FLEET_KEY = '\u0000fleet';

export interface HealthStoreOptions {
  refreshMs?: number;
}

export function createHealthStore(api: ApiClient, options: HealthStoreOptions = {}): HealthStore {
  const refreshMs = options.refreshMs ?? HEALTH_REFRESH_MS;
  // Answers can overtake each other: only the newest request per key is applied.
  const generation = new Map<string, number>();
  const bump = (key: string) => {
    const n = (generation.get(key) ?? 0) + 1;
    generation.set(key, n);
    return n;
  };
  // Watch counts per key (a server id, or FLEET_KEY) and one timer per watched key.
  const watchers = new Map<string, number>();
  const timers = new Map<string, ReturnType<typeof setInterval>>();

  const store = createStore<HealthState>()((set, get) => {
    const patch = (serverId: string, entry: Partial<HealthEntry>) =>
      set({
        servers: {
          ...get().servers,
          [serverId]: { ...EMPTY, ...get().servers[serverId], ...entry },
        },
      });

    return {
      servers: {},
      fleet: { list: [], loaded: false, loading: false, error: null },

      async load(serverId) {
        const mine = bump(serverId);
        patch(serverId, { loading: true });
        try {
          const health = await api.call('status.get', { serverId });
          if (generation.get(serverId) !== mine) return;
          patch(serverId, { health, loading: false, error: null });
        } catch (err) {
          if (generation.get(serverId) !== mine) return;
          patch(serverId, { loading: false, error: toApiError(err) });
        }
      },

      async loadFleet() {
        const mine = bump(FLEET_KEY);
        set({ fleet: { ...get().fleet, loading: true } });
        try {
          const list = await api.call('status.fleet', {});
          if (generation.get(FLEET_KEY) !== mine) return;
          set({ fleet: { list, loaded: true, loading: false, error: null } });
        } catch (err) {
          if (generation.get(FLEET_KEY) !== mine) return;
          set({ fleet: { ...get().fleet, loading: false, error: toApiError(err) } });
        }
      },

      watch(serverId) {
        return startWatching(serverId, () => get().load(serverId));
      },

      watchFleet() {
        return startWatching(FLEET_KEY, () => get().loadFleet());
      },
    };
  });

  function startWatching(key: string, reload: () => Promise<void>): () => void {
    const count = watchers.get(key) ?? 0;
    watchers.set(key, count + 1);
    if (count === 0) {
      void reload();
      timers.set(
        key,
        setInterval(() => void reload(), refreshMs),
      );
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      const left = (watchers.get(key) ?? 1) - 1;
      if (left > 0) {
        watchers.set(key, left);
        return;
      }
      watchers.delete(key);
      clearInterval(timers.get(key));
      timers.delete(key);
    };
  }

  // A finished job (install, backup, restore …) usually changes what the tiles say.
  const off = api.on('job.finished', () => {
    for (const key of watchers.keys()) {
      if (key === FLEET_KEY) void store.getState().loadFleet();
      else void store.getState().load(key);
    }
  });

  return Object.assign(store, {
    dispose() {
      off();
      for (const timer of timers.values()) clearInterval(timer);
      timers.clear();
      watchers.clear();
    },
  });
}
