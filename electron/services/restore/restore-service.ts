import type {
  Job,
  RestorePlan,
  RestoreRequest,
  ScratchEnvironment,
} from '../../../shared/contract';
import type { JobRunner } from '../../jobs/runner';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import { AppError } from '../app-error';
import type { CatalogService } from '../catalog/catalog-service';
import type { SecretStore } from '../secrets/secret-store';
import type { ServersService } from '../servers/servers-service';
import type { Db } from '../store/database';
import type { StorageService } from '../storage/storage-service';

export interface RestoreServiceDeps {
  db: Db;
  servers: ServersService;
  storage: StorageService;
  agent: AgentInstallService;
  catalog: CatalogService;
  secrets: SecretStore;
  jobs: JobRunner;
}

/** Point-in-time restores into scratch clusters, and the scratch environments they leave. */
export class RestoreService {
  constructor(private readonly deps: RestoreServiceDeps) {}

  async plan(request: RestoreRequest): Promise<RestorePlan> {
    void this.deps;
    throw new AppError('INTERNAL', `Restore of ${request.serverId} is not built yet.`);
  }

  start(request: RestoreRequest & { keepHours?: number }): Job {
    throw new AppError('INTERNAL', `Restore of ${request.serverId} is not built yet.`);
  }

  listScratch(): ScratchEnvironment[] {
    return [];
  }

  async dropScratch(id: string): Promise<ScratchEnvironment> {
    throw new AppError('NOT_FOUND', `No scratch environment ${id}.`);
  }
}
