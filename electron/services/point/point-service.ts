import type { Job, PointCreateInput } from '../../../shared/contract';
import { POINT_JOB_KIND } from '../../../shared/contract/point-phases';
import type { JobRunner } from '../../jobs/runner';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import { RemoteShell } from '../agent-install/remote-shell';
import { installedAgentCommand } from '../agent-run/installed-command';
import { AppError } from '../app-error';
import type { CatalogService } from '../catalog/catalog-service';
import type { ServersService } from '../servers/servers-service';
import type { StorageService } from '../storage/storage-service';
import { runPointJob } from './point-job';

export interface PointServiceDeps {
  servers: ServersService;
  storage: Pick<StorageService, 'get'>;
  agent: Pick<AgentInstallService, 'installed'>;
  catalog: Pick<CatalogService, 'get'>;
  jobs: JobRunner;
  /** Test hook: between polls of the agent's output. */
  pollMs?: number;
}

/**
 * Recovery points on demand ("before the upgrade, a point now"): the agent on the server takes
 * it with the same code as its daily one, so it holds the same repository lock and writes the
 * same signed manifest; the app starts and follows it over SSH and shows it in the catalog.
 */
export class PointService {
  private readonly running = new Map<string, string>();

  constructor(private readonly deps: PointServiceDeps) {}

  /** Starts a `point.create` job (result: PointCreateResult). */
  create(input: PointCreateInput): Job {
    const { serverId } = input;
    const server = this.deps.servers.get(serverId);
    const installed = this.deps.agent.installed(serverId);
    if (!installed) {
      throw new AppError(
        'AGENT_NOT_INSTALLED',
        'No agent is installed on this server. Set up backups first.',
      );
    }
    const sudo = server.detection?.sudo;
    if (sudo !== 'root' && sudo !== 'passwordless') {
      throw new AppError(
        'NO_SUDO',
        'A recovery point runs pgBackRest as the cluster’s user, which needs root on the server (log in as root or give the SSH user passwordless sudo), like the agent install.',
      );
    }
    if (!this.deps.storage.get(serverId)) {
      throw new AppError('STORAGE_NOT_CONFIGURED', 'No bucket is saved for this server.');
    }
    const runningJob = this.running.get(serverId);
    if (runningJob) {
      throw new AppError(
        'AGENT_BUSY',
        `A recovery point is already being taken on ${server.name}; nothing new was started. Its progress is in the jobs list.`,
        { jobId: runningJob },
      );
    }
    const job = this.deps.jobs.start({
      kind: POINT_JOB_KIND,
      title: input.heal
        ? `Heal attached files and take a recovery point on ${server.name}`
        : `Recovery point on ${server.name}`,
      subjectId: serverId,
      run: async (ctx) => {
        try {
          return await runPointJob({
            job: ctx,
            serverId,
            serverName: server.name,
            agent: installedAgentCommand(installed),
            note: input.note,
            heal: input.heal,
            openShell: async (signal) => {
              const ssh = await this.deps.servers.open(serverId, signal);
              return { shell: new RemoteShell(ssh, sudo === 'root'), close: () => ssh.close() };
            },
            catalog: () => this.deps.catalog.get(serverId),
            pollMs: this.deps.pollMs,
          });
        } finally {
          this.running.delete(serverId);
        }
      },
    });
    this.running.set(serverId, job.id);
    return job;
  }
}
