import type {
  StorageCheckReport,
  StorageTarget,
  StorageTargetDraft,
} from '../../../shared/contract';
import { AppError } from '../app-error';
import type { SecretStore } from '../secrets/secret-store';
import type { Db } from '../store/database';

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

export interface StorageServiceDeps {
  db: Db;
  secrets: SecretStore;
}

/** The off-site bucket per server: EU-only, TLS-verified, probed before anything is written. */
export class StorageService {
  constructor(private readonly deps: StorageServiceDeps) {}

  async check(_draft: StorageTargetDraft): Promise<StorageCheckReport> {
    throw new AppError('INTERNAL', 'storage.check is not implemented yet');
  }

  async save(_serverId: string, _draft: StorageTargetDraft): Promise<StorageTarget> {
    throw new AppError('INTERNAL', 'storage.save is not implemented yet');
  }

  get(_serverId: string): StorageTarget | null {
    return null;
  }

  async credentials(serverId: string): Promise<StorageCredentials> {
    throw new AppError('STORAGE_NOT_CONFIGURED', `No storage target for server ${serverId}.`);
  }
}
