import type { Catalog } from '../../../shared/contract';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import { AppError } from '../app-error';
import type { ServersService } from '../servers/servers-service';
import type { StorageService } from '../storage/storage-service';

export interface CatalogServiceDeps {
  dataDir: string;
  servers: ServersService;
  storage: StorageService;
  agent: AgentInstallService;
}

/** The catalog of recoverable moments of each server, built from its bucket. */
export class CatalogService {
  constructor(private readonly deps: CatalogServiceDeps) {}

  /** The catalog from the bucket alone; cached, brought up to date incrementally. */
  async get(serverId: string, options: { refresh?: boolean } = {}): Promise<Catalog> {
    void this.deps;
    void options;
    throw new AppError('INTERNAL', `The catalog of ${serverId} is not built yet.`);
  }
}
