import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ScratchEnvironment } from '../../shared/contract/recovery';
import { toApiError, type ApiClient, type ApiError } from '../lib/api-client';
import { isRestoreJob } from './restore-model';

/**
 * Scratch environments left by restores (scratch.list), and dropping them (scratch.drop).
 * Reloaded whenever a restore job ends. Command failures are thrown to the caller.
 */
export interface ScratchState {
  list: ScratchEnvironment[];
  /** True once the first list arrived; lets pages tell "loading" from "empty". */
  loaded: boolean;
  loading: boolean;
  /** The last failure of load(). */
  error: ApiError | null;
  load(): Promise<void>;
  /** Stops the scratch cluster and deletes its directories; resolves with its final state. */
  drop(id: string): Promise<ScratchEnvironment>;
}

export type ScratchStore = StoreApi<ScratchState> & { dispose(): void };

function upsert(list: ScratchEnvironment[], item: ScratchEnvironment): ScratchEnvironment[] {
  const i = list.findIndex((s) => s.id === item.id);
  if (i === -1) return [...list, item];
  const next = list.slice();
  next[i] = item;
  return next;
}

export function createScratchStore(api: ApiClient): ScratchStore {
  let generation = 0;

  const store = createStore<ScratchState>()((set, get) => ({
    list: [],
    loaded: false,
    loading: false,
    error: null,

    async load() {
      const mine = ++generation;
      set({ loading: true });
      try {
        const list = await api.call('scratch.list', {});
        if (mine !== generation) return;
        set({ list, loaded: true, loading: false, error: null });
      } catch (err) {
        if (mine !== generation) return;
        set({ loading: false, error: toApiError(err) });
      }
    },

    async drop(id) {
      const dropped = await api.call('scratch.drop', { id });
      // A list request in flight may still show it running: this answer is newer.
      generation += 1;
      set({ list: upsert(get().list, dropped), loading: false });
      return dropped;
    },
  }));

  const off = api.on('job.finished', (job) => {
    if (isRestoreJob(job)) void store.getState().load();
  });

  return Object.assign(store, { dispose: off });
}
