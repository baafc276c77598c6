import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorCode } from '../../shared/contract/errors';
import type {
  StorageCheckReport,
  StorageTarget,
  StorageTargetDraft,
} from '../../shared/contract/storage';
import { toApiError, type ApiClient, type ApiError } from '../lib/api-client';

/** The storage form's inputs as typed; {@link toStorageDraft} turns them into the contract's draft. */
export interface StorageFields {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  ownStorage: boolean;
  caCertificate: string;
  /** The optional read-only restore key; both empty = none. */
  restoreAccessKeyId: string;
  restoreSecretAccessKey: string;
}

export const EMPTY_STORAGE_FIELDS: StorageFields = {
  endpoint: '',
  bucket: '',
  region: '',
  accessKeyId: '',
  secretAccessKey: '',
  ownStorage: false,
  caCertificate: '',
  restoreAccessKeyId: '',
  restoreSecretAccessKey: '',
};

/** The fields of a saved target that may be shown again (never the keys). */
export function fieldsFromTarget(target: StorageTarget): StorageFields {
  return {
    ...EMPTY_STORAGE_FIELDS,
    endpoint: target.endpoint,
    bucket: target.bucket,
    region: target.region,
    ownStorage: target.ownStorage,
  };
}

/** Trims what may be trimmed; the secret is passed exactly as typed. */
export function toStorageDraft(fields: StorageFields): StorageTargetDraft {
  const ca = fields.caCertificate.trim();
  const restoreId = fields.restoreAccessKeyId.trim();
  return {
    endpoint: fields.endpoint.trim().replace(/\/+$/, ''),
    bucket: fields.bucket.trim(),
    region: fields.region.trim(),
    accessKeyId: fields.accessKeyId.trim(),
    secretAccessKey: fields.secretAccessKey,
    ownStorage: fields.ownStorage,
    ...(ca ? { caCertificate: `${ca}\n` } : {}),
    // Half a key is sent as typed: the contract refuses it, and the form says which half.
    ...(restoreId || fields.restoreSecretAccessKey
      ? {
          restoreKey: {
            accessKeyId: restoreId,
            secretAccessKey: fields.restoreSecretAccessKey,
          },
        }
      : {}),
  };
}

/** Codes with which main refuses a bucket before anything is written to it. */
export const STORAGE_REFUSALS = [
  'STORAGE_NOT_EU',
  'STORAGE_TLS_FAILED',
  'STORAGE_UNREACHABLE',
  'STORAGE_ACCESS_DENIED',
] as const satisfies readonly ErrorCode[];
export type StorageRefusal = (typeof STORAGE_REFUSALS)[number];

export function isStorageRefusal(error: ApiError): error is ApiError & { code: StorageRefusal } {
  return (STORAGE_REFUSALS as readonly string[]).includes(error.code);
}

function looksLikeReport(value: unknown): value is StorageCheckReport {
  if (!value || typeof value !== 'object') return false;
  const r = value as Partial<Record<keyof StorageCheckReport, unknown>>;
  return (
    typeof r.endpointHost === 'string' &&
    typeof r.provider === 'string' &&
    typeof r.passed === 'boolean' &&
    Array.isArray(r.items) &&
    r.items.every(
      (i: unknown) =>
        !!i &&
        typeof (i as { id?: unknown }).id === 'string' &&
        typeof (i as { state?: unknown }).state === 'string' &&
        typeof (i as { detail?: unknown }).detail === 'string',
    )
  );
}

/**
 * The check report main may attach to a refusal (as details, or details.report). Checked by
 * shape rather than with the zod schema, which would pull zod into the page bundle.
 */
export function reportFromError(error: ApiError): StorageCheckReport | null {
  if (looksLikeReport(error.details)) return error.details;
  const nested = (error.details as { report?: unknown } | null | undefined)?.report;
  return looksLikeReport(nested) ? nested : null;
}

/** Saved off-site targets per server. Keys never come back from main; only a hint does. */
export interface StorageState {
  /** undefined: not loaded yet; null: none saved. */
  targets: Record<string, StorageTarget | null | undefined>;
  errors: Record<string, ApiError | null>;
  load(serverId: string): Promise<void>;
  /** Checks a bucket without saving it; command failures are thrown. */
  check(draft: StorageTargetDraft): Promise<StorageCheckReport>;
  /** Checks and saves; refused (STORAGE_NOT_EU …) when a check fails. */
  save(serverId: string, draft: StorageTargetDraft): Promise<StorageTarget>;
}

export type StorageStore = StoreApi<StorageState>;

export function createStorageStore(api: ApiClient): StorageStore {
  const generation = new Map<string, number>();
  const bump = (id: string) => {
    const n = (generation.get(id) ?? 0) + 1;
    generation.set(id, n);
    return n;
  };

  return createStore<StorageState>()((set, get) => ({
    targets: {},
    errors: {},

    async load(serverId) {
      const mine = bump(serverId);
      try {
        const target = await api.call('storage.get', { serverId });
        if (generation.get(serverId) !== mine) return;
        set({
          targets: { ...get().targets, [serverId]: target },
          errors: { ...get().errors, [serverId]: null },
        });
      } catch (err) {
        if (generation.get(serverId) !== mine) return;
        set({ errors: { ...get().errors, [serverId]: toApiError(err) } });
      }
    },

    check(draft) {
      return api.call('storage.check', draft);
    },

    async save(serverId, draft) {
      const target = await api.call('storage.save', { serverId, target: draft });
      bump(serverId);
      set({
        targets: { ...get().targets, [serverId]: target },
        errors: { ...get().errors, [serverId]: null },
      });
      return target;
    },
  }));
}
