import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Catalog } from '../../shared/contract/recovery';
import { toApiError, type ApiClient, type ApiError } from '../lib/api-client';

export interface CatalogEntry {
  catalog: Catalog | null;
  loading: boolean;
  /** The last failure; the last good catalog stays shown beside it. */
  error: ApiError | null;
}

/**
 * Each server's catalog of recoverable moments (catalog.get). Main caches it and brings it up
 * to date incrementally; `refresh` asks for a rebuild from the bucket. Reloaded after a
 * restore or any other job of the server ends, since that may add WAL, backups or drills.
 */
export interface CatalogState {
  catalogs: Record<string, CatalogEntry>;
  load(serverId: string, options?: { refresh?: boolean }): Promise<void>;
}

export type CatalogStore = StoreApi<CatalogState> & { dispose(): void };

const EMPTY: CatalogEntry = { catalog: null, loading: false, error: null };

export function createCatalogStore(api: ApiClient): CatalogStore {
  // Answers can overtake each other: only the newest request per server is applied.
  const generation = new Map<string, number>();

  const store = createStore<CatalogState>()((set, get) => {
    const patch = (serverId: string, change: Partial<CatalogEntry>) =>
      set({
        catalogs: {
          ...get().catalogs,
          [serverId]: { ...EMPTY, ...get().catalogs[serverId], ...change },
        },
      });

    return {
      catalogs: {},

      async load(serverId, options = {}) {
        const mine = (generation.get(serverId) ?? 0) + 1;
        generation.set(serverId, mine);
        patch(serverId, { loading: true });
        try {
          const catalog = await api.call('catalog.get', {
            serverId,
            ...(options.refresh ? { refresh: true } : {}),
          });
          if (generation.get(serverId) !== mine) return;
          patch(serverId, { catalog, loading: false, error: null });
        } catch (err) {
          if (generation.get(serverId) !== mine) return;
          patch(serverId, { loading: false, error: toApiError(err) });
        }
      },
    };
  });

  const off = api.on('job.finished', (job) => {
    const serverId = job.subjectId;
    if (serverId && store.getState().catalogs[serverId]) void store.getState().load(serverId);
  });

  return Object.assign(store, { dispose: off });
}
