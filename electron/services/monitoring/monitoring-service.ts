import type { ServerHealth } from '../../../shared/contract';
import { AppError } from '../app-error';
import type { ServersService } from '../servers/servers-service';
import type { StorageService } from '../storage/storage-service';

export interface MonitoringDeps {
  servers: ServersService;
  storage: StorageService;
}

/** Per-server health tiles and the worst-first fleet overview. */
export class MonitoringService {
  constructor(private readonly deps: MonitoringDeps) {}

  async get(_serverId: string): Promise<ServerHealth> {
    throw new AppError('INTERNAL', 'status.get is not implemented yet');
  }

  async fleet(): Promise<ServerHealth[]> {
    return [];
  }
}
