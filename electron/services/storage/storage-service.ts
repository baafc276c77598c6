import {
  StorageTargetDraft,
  type StorageCheckReport,
  type StorageTarget,
} from '../../../shared/contract';
import { AppError } from '../app-error';
import type { SecretStore } from '../secrets/secret-store';
import type { Db } from '../store/database';
import { runStorageChecks, type CheckOutcome } from './checks';
import { classifyEndpoint, type ClassifyEndpoint } from './eu-allowlist';
import { S3_TIMEOUT_MS } from './s3-client';
import { StorageRepo } from './storage-repo';

/** Credentials of a saved target, for the installer and monitoring (never for the renderer). */
export interface StorageCredentials {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  ownStorage: boolean;
  caCertificate?: string;
}

/** Credentials for a restore on another host: the read-only key when one is saved. */
export interface RestoreStorageCredentials extends StorageCredentials {
  /** True when these are the read-only restore key; false: the capture key (no restore key saved). */
  readOnly: boolean;
}

export interface StorageServiceDeps {
  db: Db;
  secrets: SecretStore;
  /**
   * Decides provider and EU-ness from the endpoint. Default: the strict production allowlist.
   * Tests inject one to treat the local test server as a provider endpoint.
   */
  classifyEndpoint?: ClassifyEndpoint;
  /** Per-call network timeout in ms (default 10 s). */
  timeoutMs?: number;
}

/** Secret store keys of a server's storage credentials. */
export function storageSecretKey(
  serverId: string,
  name:
    | 'accessKeyId'
    | 'secretAccessKey'
    | 'caCertificate'
    | 'restoreAccessKeyId'
    | 'restoreSecretAccessKey',
): string {
  return `storage:${serverId}:${name}`;
}

/** "AKIA…YZ1" style: enough to recognise a key id, never the whole of a long one. */
export function accessKeyHint(accessKeyId: string): string {
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-2)}`;
}

/** The off-site bucket per server: EU-only, TLS-verified, probed before anything is written. */
export class StorageService {
  private readonly repo: StorageRepo;
  private readonly classify: ClassifyEndpoint;
  private readonly timeoutMs: number;

  constructor(private readonly deps: StorageServiceDeps) {
    this.repo = new StorageRepo(deps.db);
    this.classify = deps.classifyEndpoint ?? classifyEndpoint;
    this.timeoutMs = deps.timeoutMs ?? S3_TIMEOUT_MS;
  }

  /**
   * Runs every check and returns the report when all passed. A failed check throws its stable
   * code (STORAGE_NOT_EU, STORAGE_TLS_FAILED, STORAGE_UNREACHABLE, STORAGE_ACCESS_DENIED)
   * with a message that says why and `details: { report }`, the report up to that check.
   * Only a probe object under kumiko/.probe/ is written, after endpoint, TLS and location
   * passed, and it is deleted again.
   */
  async check(draft: StorageTargetDraft): Promise<StorageCheckReport> {
    const outcome = await this.inspect(draft);
    if (outcome.failure) {
      throw new AppError(outcome.failure.code, outcome.failure.message, {
        report: outcome.report,
      });
    }
    return outcome.report;
  }

  /** Like check(), but returns the report with the failure instead of throwing. */
  async inspect(draft: StorageTargetDraft): Promise<CheckOutcome> {
    const target = StorageTargetDraft.parse(draft);
    return runStorageChecks(target, { classify: this.classify, timeoutMs: this.timeoutMs });
  }

  /**
   * Checks, then saves the target for a server: keys and CA certificate in the secret store
   * under `storage:<serverId>:…`, the rest (with a key hint and the report) in SQLite.
   * Throws the failed check's code and saves nothing when a check fails.
   */
  async save(serverId: string, draft: StorageTargetDraft): Promise<StorageTarget> {
    const target = StorageTargetDraft.parse(draft);
    if (!this.repo.serverExists(serverId)) {
      throw new AppError('NOT_FOUND', `No server with id ${serverId}.`);
    }
    const report = await this.check(target);
    const { secrets } = this.deps;
    // Secrets first: a row without its keys would look configured but could not be used.
    await secrets.set(storageSecretKey(serverId, 'accessKeyId'), target.accessKeyId);
    await secrets.set(storageSecretKey(serverId, 'secretAccessKey'), target.secretAccessKey);
    if (target.caCertificate) {
      await secrets.set(storageSecretKey(serverId, 'caCertificate'), target.caCertificate);
    } else {
      await secrets.delete(storageSecretKey(serverId, 'caCertificate'));
    }
    if (target.restoreKey) {
      await secrets.set(
        storageSecretKey(serverId, 'restoreAccessKeyId'),
        target.restoreKey.accessKeyId,
      );
      await secrets.set(
        storageSecretKey(serverId, 'restoreSecretAccessKey'),
        target.restoreKey.secretAccessKey,
      );
    } else {
      await secrets.delete(storageSecretKey(serverId, 'restoreAccessKeyId'));
      await secrets.delete(storageSecretKey(serverId, 'restoreSecretAccessKey'));
    }
    const saved: StorageTarget = {
      serverId,
      endpoint: target.endpoint,
      bucket: target.bucket,
      region: target.region,
      // Only what the check accepted as own storage: the mark on a provider's endpoint is void.
      ownStorage: report.provider === 'own',
      provider: report.provider,
      accessKeyHint: accessKeyHint(target.accessKeyId),
      restoreKeyHint: target.restoreKey ? accessKeyHint(target.restoreKey.accessKeyId) : null,
      report,
      savedAt: new Date().toISOString(),
    };
    this.repo.upsert(saved);
    return saved;
  }

  /** The saved target without keys, or null. */
  get(serverId: string): StorageTarget | null {
    return this.repo.get(serverId);
  }

  /** The saved target with its keys; STORAGE_NOT_CONFIGURED when there is none. */
  async credentials(serverId: string): Promise<StorageCredentials> {
    const saved = this.repo.get(serverId);
    const { secrets } = this.deps;
    const accessKeyId = saved && (await secrets.get(storageSecretKey(serverId, 'accessKeyId')));
    const secretAccessKey =
      saved && (await secrets.get(storageSecretKey(serverId, 'secretAccessKey')));
    if (!saved || !accessKeyId || !secretAccessKey) {
      throw new AppError('STORAGE_NOT_CONFIGURED', `No storage target for server ${serverId}.`);
    }
    const caCertificate = await secrets.get(storageSecretKey(serverId, 'caCertificate'));
    return {
      endpoint: saved.endpoint,
      bucket: saved.bucket,
      region: saved.region,
      accessKeyId,
      secretAccessKey,
      ownStorage: saved.ownStorage,
      ...(caCertificate ? { caCertificate } : {}),
    };
  }

  /**
   * What a restore on another host gets (issue 15 §3): the read-only restore key when one is
   * saved, else the capture key, marked so the plan can say so.
   */
  async restoreCredentials(serverId: string): Promise<RestoreStorageCredentials> {
    const capture = await this.credentials(serverId);
    const { secrets } = this.deps;
    const accessKeyId = await secrets.get(storageSecretKey(serverId, 'restoreAccessKeyId'));
    const secretAccessKey = await secrets.get(storageSecretKey(serverId, 'restoreSecretAccessKey'));
    if (!accessKeyId || !secretAccessKey) return { ...capture, readOnly: false };
    return { ...capture, accessKeyId, secretAccessKey, readOnly: true };
  }

  /** Whether a read-only restore key is saved for the server (no secret is read). */
  hasRestoreKey(serverId: string): boolean {
    return (this.repo.get(serverId)?.restoreKeyHint ?? null) !== null;
  }
}
