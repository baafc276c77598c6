import type { AgentInstallService } from '../agent-install/agent-install-service';
import { repositorySecretNames } from '../agent-install/install-job';
import { RemoteShell } from '../agent-install/remote-shell';
import { installedAgentCommand } from '../agent-run/installed-command';
import type { AgentCommand } from '../agent-run/remote-scripts';
import { AppError } from '../app-error';
import {
  resolveRuntimeTarball,
  type RuntimeSources,
  type RuntimeTarball,
} from '../node-runtime/resolve-runtime';
import { runtimeArch } from '../node-runtime/runtime-pin';
import { runtimePack } from '../node-runtime/runtime-pack';
import { isSupportedNodeMajor, nodeMajorOrNull } from '../../../shared/agent/node-support';
import type { SecretStore } from '../secrets/secret-store';
import type { ServersService } from '../servers/servers-service';
import type { StorageService } from '../storage/storage-service';
import { prepareOtherHost, stageRestoreAgent } from './other-host';

/** A host a restore runs on: an SSH session as root and the agent to run there. */
export interface RestoreHost {
  shell: RemoteShell;
  agent: AgentCommand;
  /** Another host: the restore's own config folder (removed with the environment). */
  configDir: string | null;
  /** Another host: writes the restore's config with the repository keys. */
  provision?(signal?: AbortSignal): Promise<void>;
  /** Another host: deletes the repository keys again (`all`: the whole config folder). */
  unprovision?(options?: { all?: boolean }): Promise<void>;
  close(): void;
}

/** Services a restore host is built from. */
export interface RestoreHostsDeps {
  servers: ServersService;
  storage: StorageService;
  agent: AgentInstallService;
  secrets: SecretStore;
  /** The agent bundle and Node runtime another host is given (the installer's). */
  agentBundlePath: string;
  nodeRuntime: RuntimeSources;
  /** Layout root on other hosts ('/' in production; the tests' private folder). */
  remoteRoot: string;
}

/** Opens SSH sessions to restore hosts, ready to run the agent there. */
export class RestoreHosts {
  constructor(private readonly deps: RestoreHostsDeps) {}

  /**
   * The pinned runtime `hostId` is given for a restore there (its own Node is no supported LTS),
   * verified on this computer and cut into the pieces it is sent in; null when the host's Node
   * runs the agent. A rebuild's plan asks for it, so the restore it starts neither hashes the
   * tarball nor makes the pieces inside the time to recovery.
   */
  async runtimeFor(hostId: string, signal?: AbortSignal): Promise<RuntimeTarball | null> {
    const detection = this.deps.servers.get(hostId).detection;
    if (!detection || isSupportedNodeMajor(nodeMajorOrNull(detection.nodeVersion))) return null;
    const tarball = await resolveRuntimeTarball(
      runtimeArch(detection.arch),
      this.deps.nodeRuntime,
      signal,
    );
    // The pieces the restore sends are made now too (once per app), not inside the restore.
    await runtimePack(tarball, this.deps.nodeRuntime);
    return tarball;
  }

  /**
   * The restore agent (runtime where needed, bundle) put on `hostId` before its restore starts:
   * a rebuild does it while the host's server packages are installed (other-host.ts
   * stageRestoreAgent); the restore's probe then finds both there.
   */
  async stageAgent(hostId: string, signal?: AbortSignal): Promise<void> {
    const { shell, close } = await this.openShell(hostId, signal);
    try {
      await stageRestoreAgent(
        {
          shell,
          remoteRoot: this.deps.remoteRoot,
          bundlePath: this.deps.agentBundlePath,
          runtime: this.deps.nodeRuntime,
        },
        signal,
      );
    } finally {
      close();
    }
  }

  /** PostgreSQL major version of a server's backups (from the agent install). */
  pgMajor(serverId: string): string {
    const version = this.deps.agent.installed(serverId)?.settings.pgVersion;
    return typeof version === 'string' ? (version.split('.')[0] ?? version) : '?';
  }

  /** Root (directly or through `sudo -n`) on a server, as the installer uses it. */
  async openShell(
    serverId: string,
    signal?: AbortSignal,
  ): Promise<{ shell: RemoteShell; close(): void }> {
    const isRoot = this.deps.servers.get(serverId).detection?.sudo === 'root';
    const ssh = await this.deps.servers.open(serverId, signal);
    return { shell: new RemoteShell(ssh, isRoot), close: () => ssh.close() };
  }

  /** The source server itself, restoring with its own agent. */
  async openAgentHost(serverId: string, signal?: AbortSignal): Promise<RestoreHost> {
    const agent = this.deps.agent.installed(serverId);
    if (!agent) throw new AppError('AGENT_NOT_INSTALLED', 'No agent is installed on this server.');
    const { shell, close } = await this.openShell(serverId, signal);
    return { shell, agent: installedAgentCommand(agent), configDir: null, close };
  }

  /**
   * Another server as destination: the agent bundle (and a Node runtime where needed) is put
   * there and runs with a config of the restore's own that reaches the source's repository; the
   * passphrases come from the app's secret store, where the agent install put them.
   */
  async openOtherHost(
    sourceId: string,
    hostId: string,
    id: string,
    signal?: AbortSignal,
  ): Promise<RestoreHost> {
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
    const storage = await this.deps.storage.restoreCredentials(sourceId);
    const resticPassword = await this.deps.secrets.get(names.resticPassword);
    const { shell, close } = await this.openShell(hostId, signal);
    try {
      const prepared = await prepareOtherHost(
        {
          shell,
          host: this.deps.servers.get(hostId),
          remoteRoot: this.deps.remoteRoot,
          sourceServerId: sourceId,
          sourceName: this.deps.servers.get(sourceId).name,
          stanza: agent.stanza,
          pgMajor: this.pgMajor(sourceId),
          verifyKey: agent.publicKey,
          storage,
          cipherPass,
          resticPassword,
          bundlePath: this.deps.agentBundlePath,
          runtime: this.deps.nodeRuntime,
        },
        id,
        signal,
      );
      return {
        shell,
        agent: prepared.agent,
        configDir: prepared.configDir,
        provision: prepared.provision,
        unprovision: prepared.unprovision,
        close,
      };
    } catch (err) {
      close();
      throw err;
    }
  }
}
