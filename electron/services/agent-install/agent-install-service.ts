import type { AgentInstallPlan, AgentInstallRequest, Job } from '../../../shared/contract';
import type { JobRunner } from '../../jobs/runner';
import { AppError } from '../app-error';
import type { EventBus } from '../events/event-bus';
import type { SecretStore } from '../secrets/secret-store';
import type { ServersService } from '../servers/servers-service';
import type { StorageService } from '../storage/storage-service';
import type { Db } from '../store/database';

export interface AgentInstallDeps {
  db: Db;
  servers: ServersService;
  storage: StorageService;
  secrets: SecretStore;
  jobs: JobRunner;
  events: EventBus;
  /** Path of the built agent bundle (dist/agent/kumiko-agent.cjs). */
  agentBundlePath: string;
}

/** Installs, updates and removes the capture agent on a server over SSH. */
export class AgentInstallService {
  constructor(private readonly deps: AgentInstallDeps) {}

  async plan(_serverId: string, _dataDirectory: string): Promise<AgentInstallPlan> {
    throw new AppError('INTERNAL', 'agent.plan is not implemented yet');
  }

  install(_request: AgentInstallRequest): Job {
    throw new AppError('INTERNAL', 'agent.install is not implemented yet');
  }

  uninstall(_serverId: string): Job {
    throw new AppError('INTERNAL', 'agent.uninstall is not implemented yet');
  }
}
