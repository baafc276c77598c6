import { createStore, type StoreApi } from 'zustand/vanilla';
import { toApiError, type ApiClient, type ApiError } from '../lib/api-client';

/** One server's recovery kit: when it was exported and acknowledged, and the file just written. */
export interface KitState {
  exportedAt: string | null;
  acknowledgedAt: string | null;
  /** The app's OS user who confirmed. */
  acknowledgedBy: string | null;
  /** Whether the status was read from main at least once (until then nothing is known). */
  loaded: boolean;
  /**
   * The files of the latest export in this session (main keeps only the PDF's hash): the PDF
   * and its plain-text copy beside it, which holds the same keys.
   */
  file: { path: string; textPath: string; sha256: string } | null;
  busy: 'loading' | 'exporting' | 'acknowledging' | null;
  error: ApiError | null;
}

/**
 * Key escrow: the printable PDF with bucket keys and repository passphrases, which the admin
 * must acknowledge. Main writes the file; the page only learns its path and SHA-256.
 */
export interface RecoveryKitState {
  kits: Record<string, KitState>;
  load(serverId: string): Promise<void>;
  exportKit(serverId: string): Promise<void>;
  /** Confirms the file just exported is printed or stored offline. */
  acknowledge(serverId: string): Promise<void>;
}

export type RecoveryKitStore = StoreApi<RecoveryKitState>;

const EMPTY: KitState = {
  exportedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  loaded: false,
  file: null,
  busy: null,
  error: null,
};

export function createRecoveryKitStore(api: ApiClient): RecoveryKitStore {
  return createStore<RecoveryKitState>()((set, get) => {
    const patch = (serverId: string, change: Partial<KitState>) =>
      set({
        kits: { ...get().kits, [serverId]: { ...EMPTY, ...get().kits[serverId], ...change } },
      });

    async function step(
      serverId: string,
      busy: NonNullable<KitState['busy']>,
      work: () => Promise<Partial<KitState>>,
    ): Promise<void> {
      if (get().kits[serverId]?.busy) return;
      patch(serverId, { busy, error: null });
      try {
        patch(serverId, { ...(await work()), busy: null });
      } catch (err) {
        patch(serverId, { busy: null, error: toApiError(err) });
      }
    }

    return {
      kits: {},

      load(serverId) {
        return step(serverId, 'loading', async () => {
          const { exportedAt, acknowledgedAt, acknowledgedBy } = await api.call(
            'recoveryKit.status',
            { serverId },
          );
          return { exportedAt, acknowledgedAt, acknowledgedBy, loaded: true };
        });
      },

      exportKit(serverId) {
        return step(serverId, 'exporting', async () => {
          const { path, textPath, sha256, exportedAt } = await api.call('recoveryKit.export', {
            serverId,
          });
          return {
            file: { path, textPath, sha256 },
            exportedAt,
            acknowledgedAt: null,
            acknowledgedBy: null,
          };
        });
      },

      acknowledge(serverId) {
        const file = get().kits[serverId]?.file;
        if (!file) return Promise.resolve();
        return step(serverId, 'acknowledging', () =>
          api.call('recoveryKit.acknowledge', { serverId, sha256: file.sha256 }),
        );
      },
    };
  });
}
