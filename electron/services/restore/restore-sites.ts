import type { AgentInstallService } from '../agent-install/agent-install-service';
import { repositorySecretNames } from '../agent-install/install-job';
import { AppError } from '../app-error';
import type { SecretStore } from '../secrets/secret-store';
import type { ServersService } from '../servers/servers-service';
import type { StorageService } from '../storage/storage-service';
import { readHostSite } from './host-site';
import { RestoreShell } from './restore-shell';
import { agentLayoutOf, readAgentSite, type RestoreSite } from './restore-site';

/** Services a restore site is built from. */
export interface RestoreSitesDeps {
  servers: ServersService;
  storage: StorageService;
  agent: AgentInstallService;
  secrets: SecretStore;
}

/** Opens SSH sessions to restore destinations and describes them as restore sites. */
export class RestoreSites {
  constructor(private readonly deps: RestoreSitesDeps) {}

  /** PostgreSQL major version of a server's backups (from the agent install). */
  pgMajor(serverId: string): string {
    const version = this.deps.agent.installed(serverId)?.settings.pgVersion;
    return typeof version === 'string' ? (version.split('.')[0] ?? version) : '?';
  }

  /** Root (directly or through `sudo -n`) on a server, as the installer uses it. */
  async openShell(serverId: string, signal?: AbortSignal): Promise<RestoreShell> {
    const isRoot = this.deps.servers.get(serverId).detection?.sudo === 'root';
    return new RestoreShell(await this.deps.servers.open(serverId, signal), isRoot);
  }

  /** The source server itself, restoring with its agent's config. */
  async openAgentSite(serverId: string, signal?: AbortSignal): Promise<RestoreSite> {
    const agent = this.deps.agent.installed(serverId);
    if (!agent) throw new AppError('AGENT_NOT_INSTALLED', 'No agent is installed on this server.');
    const shell = await this.openShell(serverId, signal);
    try {
      return await readAgentSite(shell, agent, signal);
    } catch (err) {
      shell.ssh.close();
      throw err;
    }
  }

  /**
   * Another server as destination, with temporary access to the source's repository: the
   * passphrases come from the app's secret store, where the agent install put them.
   */
  async openHostSite(
    sourceId: string,
    hostId: string,
    scratchId: string,
    signal?: AbortSignal,
  ): Promise<RestoreSite> {
    const agent = this.deps.agent.installed(sourceId);
    if (!agent) {
      throw new AppError('AGENT_NOT_INSTALLED', 'No agent is installed on the source server.');
    }
    const names = repositorySecretNames(sourceId);
    const cipherPass = await this.deps.secrets.get(names.cipherPass);
    if (!cipherPass) {
      throw new AppError(
        'SECRET_STORE_UNAVAILABLE',
        'The repository passphrase of the source server is not in the secret store (it is in its recovery kit).',
      );
    }
    const storage = await this.deps.storage.credentials(sourceId);
    const resticPassword = await this.deps.secrets.get(names.resticPassword);
    const shell = await this.openShell(hostId, signal);
    try {
      return await readHostSite(
        {
          shell,
          host: this.deps.servers.get(hostId),
          scratchId,
          scratchRoot: `${agentLayoutOf(agent).stateDir}/scratch`,
          sourceServerId: sourceId,
          stanza: agent.stanza,
          pgMajor: this.pgMajor(sourceId),
          storage,
          cipherPass,
          resticPassword,
        },
        signal,
      );
    } catch (err) {
      shell.ssh.close();
      throw err;
    }
  }
}
