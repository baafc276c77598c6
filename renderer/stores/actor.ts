import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ActorInfo } from '../../shared/contract/accountability';
import { toApiError, type ApiClient, type ApiError } from '../lib/api-client';

/**
 * Who the accountability log names (issue 17 §5): the name entered at the console's first start
 * beside the OS user. Read at start; the first-start reminder, the log page and Settings share it.
 * `later`: the person chose to enter it later; the reminder comes back at the next start.
 */
export interface ActorState {
  info: ActorInfo | null;
  /** The last failure of load(). */
  error: ApiError | null;
  later: boolean;
  load(): Promise<void>;
  /** Stores the name (settings.actor.set); failures are thrown to the caller. */
  save(actorName: string): Promise<ActorInfo>;
  remindLater(): void;
}

export type ActorStore = StoreApi<ActorState>;

/** Whether the console should ask for the name: none stored and none set for the session. */
export function needsActorName(state: Pick<ActorState, 'info' | 'later'>): boolean {
  return state.info?.source === 'none' && !state.later;
}

export function createActorStore(
  api: ApiClient,
  options: { later?: boolean; onLater?: () => void } = {},
): ActorStore {
  return createStore<ActorState>()((set) => ({
    info: null,
    error: null,
    later: options.later ?? false,

    async load() {
      try {
        set({ info: await api.call('settings.actor.get', {}), error: null });
      } catch (err) {
        set({ error: toApiError(err) });
      }
    },

    async save(actorName) {
      const info = await api.call('settings.actor.set', { actorName });
      set({ info, error: null });
      return info;
    },

    remindLater() {
      options.onLater?.();
      set({ later: true });
    },
  }));
}
