import type { RetiredAgentKey } from '../catalog/agent-key-ring';
import { appSigningKey } from '../reports/app-signing-key';
import { createHash } from 'node:crypto';
import { sha256 } from '../../../node/report/node-crypto';
import { MIN_NODE_MAJOR } from '../../../shared/agent/node-support';
import { Heartbeat as HeartbeatSchema, type Heartbeat } from '../../../shared/agent/heartbeat';
import type {
  AgentInstallPlan,
  AgentInstallRequest,
  AgentUninstallRequest,
  AgentUpdateRequest,
  AgentUpdateReview,
  AlertTestRequest,
  Job,
} from '../../../shared/contract';
import { keyFingerprint } from '../../../shared/report/keys';
import {
  AgentInstallRequest as AgentInstallRequestSchema,
  AgentUninstallRequest as AgentUninstallRequestSchema,
  AgentUpdateRequest as AgentUpdateRequestSchema,
  AlertTestRequest as AlertTestRequestSchema,
  AlertTestResult,
} from '../../../shared/contract';
import type { JobRunner } from '../../jobs/runner';
import { AppError } from '../app-error';
import type { EventBus } from '../events/event-bus';
import { resolveRuntimeTarball, type RuntimeSources } from '../node-runtime/resolve-runtime';
import { runtimeArch, runtimeMarker, type RuntimeArch } from '../node-runtime/runtime-pin';
import { runtimePack } from '../node-runtime/runtime-pack';
import type { SecretStore } from '../secrets/secret-store';
import type { ServersService } from '../servers/servers-service';
import type { SshConnection } from '../ssh/connection';
import type { StorageCredentials, StorageService } from '../storage/storage-service';
import type { Db } from '../store/database';
import { AgentsRepo, type InstalledAgent } from './agents-repo';
import { readBundle, runInstall, STANZA } from './install-job';
import { planScripts } from './plan-scripts';
import { remoteLayout, type RemoteLayout } from './layout';
import { plannedPackages } from './packages';
import { hasUsableNode, restartRequired, runPreflight, targetSettings } from './preflight';
import { RemoteShell, shq } from './remote-shell';
import { runUninstall } from './uninstall-job';
import { reviewUpdate, runUpdate } from './update-job';
import { APP_VERSION } from '../app-version';

export interface AgentInstallDeps {
  db: Db;
  servers: ServersService;
  storage: StorageService;
  secrets: SecretStore;
  jobs: JobRunner;
  events: EventBus;
  /** Path of the built agent bundle (dist/agent/kumiko-agent.cjs). */
  agentBundlePath: string;
  /** Install root on the server: '/' in production; a private folder per test. */
  remoteRoot?: string;
  /** Where the Node runtime for servers without a supported Node comes from (resources, cache, npm). */
  nodeRuntime: RuntimeSources;
}

/** Installs, updates and removes the capture agent on a server over SSH. */
export class AgentInstallService {
  private readonly agents: AgentsRepo;
  private readonly layout: RemoteLayout;

  constructor(private readonly deps: AgentInstallDeps) {
    this.agents = new AgentsRepo(deps.db);
    this.layout = remoteLayout(deps.remoteRoot ?? '/');
  }

  /** The installed agent of a server, if any (with its pinned signing key). */
  installed(serverId: string): InstalledAgent | null {
    return this.agents.get(serverId);
  }

  /** The keys this server's earlier agents signed with, until they were retired. */
  retiredKeys(serverId: string): RetiredAgentKey[] {
    return this.agents.retiredKeys(serverId);
  }

  /**
   * A fresh heartbeat computed by the agent on the server (`kumiko-agent status`), over SSH.
   * Throws when the server cannot be reached; callers fall back to the bucket's heartbeat.
   */
  async remoteStatus(serverId: string, signal?: AbortSignal): Promise<Heartbeat> {
    const agent = this.agents.get(serverId);
    if (!agent) throw new AppError('AGENT_NOT_INSTALLED', 'No agent is installed on this server.');
    const node = typeof agent.settings.nodePath === 'string' ? agent.settings.nodePath : 'node';
    return this.withShell(serverId, signal, async (shell) => {
      const out = await shell.run(
        'agent status',
        `${shq(node)} ${shq(this.layout.bundlePath)} status --config ${shq(this.layout.configPath)}`,
        { signal },
      );
      return HeartbeatSchema.parse(JSON.parse(out.stdout));
    });
  }

  /**
   * What install will do with `input` (the install request as the wizard has it), including
   * every script it will send with its SHA-256 (plan-scripts.ts).
   */
  async plan(input: AgentInstallRequest): Promise<AgentInstallPlan> {
    const request = AgentInstallRequestSchema.parse(input);
    const { serverId, dataDirectory } = request;
    const server = this.deps.servers.get(serverId);
    this.requireSudo(serverId);
    const bundle = await readBundle(this.deps.agentBundlePath);
    return this.withShell(serverId, undefined, async (shell, _ssh, isRoot) => {
      // The server first: a missing cluster is the more useful refusal.
      const pre = await runPreflight(shell, dataDirectory, this.layout);
      // The same inputs install uses; the plan keeps none of the secrets (placeholders only).
      const storage = await this.storageFor(server.name, serverId);
      const target = targetSettings(this.layout, 'main');
      const warnings: string[] = [];
      if (pre.cluster.dataChecksums === false) {
        warnings.push(
          'Data checksums are off: corruption is found later, by drills rather than by PostgreSQL.',
        );
      }
      const uploadsNodeRuntime = !hasUsableNode(pre);
      if (uploadsNodeRuntime && runtimeArchOrNull(pre.arch) === null) {
        warnings.push(
          `The server has no supported Node.js (an LTS release, ${MIN_NODE_MAJOR} or newer) and the app ships none for "${pre.arch}": install one on the server first.`,
        );
      }
      if (
        pre.settings.archive_command &&
        !pre.settings.archive_command.includes('pgbackrest') &&
        pre.settings.archive_command !== '(disabled)'
      ) {
        warnings.push(
          `The existing archive_command "${pre.settings.archive_command}" will be replaced (and restored on uninstall).`,
        );
      }
      const packages = plannedPackages(pre);
      const arch = uploadsNodeRuntime ? runtimeArchOrNull(pre.arch) : null;
      const tarball = arch ? await resolveRuntimeTarball(arch, this.deps.nodeRuntime) : null;
      // The plan lists the upload as it will be sent: the pack is made here (once per app).
      const pack = tarball ? await runtimePack(tarball, this.deps.nodeRuntime) : null;
      const scripts = planScripts({
        found: pre,
        dataDirectory,
        layout: this.layout,
        request,
        serverName: server.name,
        storage,
        stanza: STANZA,
        isRoot,
        bundle: { bytes: bundle.length, sha256: sha256hex(bundle) },
        ledgerSignerKey: (await appSigningKey(this.deps.secrets)).publicKey,
        runtime:
          arch && tarball && pack
            ? {
                pack,
                marker: runtimeMarker(arch, tarball.sha256),
                nodePath: this.layout.bundledNodePath,
              }
            : null,
      });
      return {
        serverId,
        cluster: {
          version: pre.cluster.version,
          dataDirectory: pre.cluster.dataDirectory,
          port: pre.cluster.port,
        },
        restartRequired: restartRequired(pre.settings, target),
        packagesToInstall: [...packages.required, ...packages.optional],
        settingsToChange: (Object.keys(target) as (keyof typeof target)[])
          .filter((name) => pre.settings[name] !== target[name])
          .map((name) => ({ name, from: pre.settings[name] ?? null, to: target[name] })),
        uploadsNodeRuntime,
        alreadyInstalled: pre.alreadyInstalled,
        warnings,
        scripts,
        agentBundle: { bytes: bundle.length, sha256: sha256hex(bundle) },
      };
    });
  }

  install(input: AgentInstallRequest): Job {
    const request = AgentInstallRequestSchema.parse(input);
    const server = this.deps.servers.get(request.serverId);
    this.requireSudo(request.serverId);
    return this.deps.jobs.start({
      kind: 'agent.install',
      title: `Set up backups on ${server.name}`,
      subjectId: request.serverId,
      run: async (job) => {
        const storage = await this.deps.storage.credentials(request.serverId);
        const bundle = await readBundle(this.deps.agentBundlePath);
        const agent = await this.withShell(request.serverId, job.signal, (_shell, ssh, isRoot) =>
          runInstall({
            ssh,
            isRoot,
            request,
            serverName: server.name,
            storage,
            layout: this.layout,
            secrets: this.deps.secrets,
            bundle,
            runtime: this.deps.nodeRuntime,
            job,
            retireKey: (publicKey) => this.agents.retireKey(request.serverId, publicKey),
          }),
        );
        this.agents.save(agent);
        this.deps.events.emit('servers.changed', { serverId: request.serverId });
        // The install record: auditors compare a report signer's fingerprint with this one.
        return {
          scheduler: agent.scheduler,
          publicKey: agent.publicKey,
          signingKeyFingerprint: keyFingerprint(agent.publicKey, sha256),
          // What was sent, per script: compare with the plan's scripts (issue 15 §2).
          scripts: agent.scripts,
        };
      },
    });
  }

  uninstall(input: AgentUninstallRequest): Job {
    const { serverId, confirmRestart } = AgentUninstallRequestSchema.parse(input);
    const server = this.deps.servers.get(serverId);
    this.requireSudo(serverId);
    return this.deps.jobs.start({
      kind: 'agent.uninstall',
      title: `Stop capture on ${server.name}`,
      subjectId: serverId,
      run: async (job) => {
        const agent = this.agents.get(serverId);
        const dataDirectory = agent?.dataDirectory;
        if (!agent || !dataDirectory)
          throw new AppError('AGENT_NOT_INSTALLED', `No agent is installed on ${server.name}.`);
        const prior = agent.settings.priorSettings;
        const result = await this.withShell(serverId, job.signal, (_shell, ssh, isRoot) =>
          runUninstall({
            ssh,
            isRoot,
            dataDirectory,
            layout: this.layout,
            stanza: agent.stanza,
            confirmRestart,
            appRecord: prior === undefined ? null : JSON.stringify(prior),
            job,
          }),
        );
        this.agents.remove(serverId);
        this.deps.events.emit('servers.changed', { serverId });
        return result;
      },
    });
  }

  /**
   * What updating the agent would change: the installed program against the app's (its
   * version is the app's: agent/version.ts follows package.json). Reads only.
   */
  async updateReview(input: AgentUpdateRequest): Promise<AgentUpdateReview> {
    const { serverId } = AgentUpdateRequestSchema.parse(input);
    const agent = this.requireAgent(serverId);
    this.requireSudo(serverId);
    const bundle = await readBundle(this.deps.agentBundlePath);
    return this.withShell(serverId, undefined, (shell) =>
      reviewUpdate(shell, agent, this.layout, bundle, APP_VERSION),
    );
  }

  /** Replaces the agent program and restarts it; its settings stay (update-job.ts). */
  update(input: AgentUpdateRequest): Job {
    const { serverId } = AgentUpdateRequestSchema.parse(input);
    const server = this.deps.servers.get(serverId);
    this.requireAgent(serverId);
    this.requireSudo(serverId);
    return this.deps.jobs.start({
      kind: 'agent.update',
      title: `Update the agent on ${server.name}`,
      subjectId: serverId,
      run: async (job) => {
        const agent = this.requireAgent(serverId);
        const bundle = await readBundle(this.deps.agentBundlePath);
        const result = await this.withShell(serverId, job.signal, (_shell, ssh, isRoot) =>
          runUpdate({
            ssh,
            isRoot,
            agent,
            layout: this.layout,
            bundle,
            bundledVersion: APP_VERSION,
            job,
          }),
        );
        if (result.updated) this.agents.save({ ...agent, version: APP_VERSION });
        this.deps.events.emit('servers.changed', { serverId });
        return result;
      },
    });
  }

  /**
   * A test message through the server's e-mail relay or webhooks, sent by its agent, so it
   * takes the network path real alerts take (relay, proxy, firewall on the server).
   */
  async testAlerts(input: AlertTestRequest): Promise<AlertTestResult> {
    const { serverId, channel } = AlertTestRequestSchema.parse(input);
    const agent = this.requireAgent(serverId);
    this.requireSudo(serverId);
    const node = typeof agent.settings.nodePath === 'string' ? agent.settings.nodePath : 'node';
    return this.withShell(serverId, undefined, async (shell) => {
      const out = await shell.run(
        'agent alert test',
        `${shq(node)} ${shq(this.layout.bundlePath)} alert-test --channel ${channel} --config ${shq(this.layout.configPath)}`,
      );
      // From the server: checked before it reaches the console.
      return AlertTestResult.parse(JSON.parse(out.stdout));
    });
  }

  private requireAgent(serverId: string): InstalledAgent {
    const agent = this.agents.get(serverId);
    if (!agent) {
      const server = this.deps.servers.get(serverId);
      throw new AppError('AGENT_NOT_INSTALLED', `No agent is installed on ${server.name}.`);
    }
    return agent;
  }

  /** The bucket install writes into its configs; refused with the next step when none is saved. */
  private async storageFor(serverName: string, serverId: string): Promise<StorageCredentials> {
    try {
      return await this.deps.storage.credentials(serverId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'STORAGE_NOT_CONFIGURED') {
        throw new AppError(
          'STORAGE_NOT_CONFIGURED',
          `No bucket is saved for ${serverName} yet. Choose one in the wizard's first step (or with kumiko storage save), then review the install again: its scripts name the bucket.`,
        );
      }
      throw err;
    }
  }

  private requireSudo(serverId: string): void {
    const server = this.deps.servers.get(serverId);
    const sudo = server.detection?.sudo;
    if (!sudo) {
      throw new AppError(
        'NOT_FOUND',
        `Connect to ${server.name} first, so the app knows what runs there.`,
      );
    }
    if (sudo !== 'root' && sudo !== 'passwordless') {
      throw new AppError(
        'NO_SUDO',
        `The agent install needs root: log in as root or give ${server.user} passwordless sudo ` +
          `(sudo is ${sudo === 'password-required' ? 'asking for a password' : 'not available'}).`,
      );
    }
  }

  private async withShell<T>(
    serverId: string,
    signal: AbortSignal | undefined,
    fn: (shell: RemoteShell, ssh: SshConnection, isRoot: boolean) => Promise<T>,
  ): Promise<T> {
    const server = this.deps.servers.get(serverId);
    const isRoot = server.detection?.sudo === 'root';
    const ssh = await this.deps.servers.open(serverId, signal);
    try {
      return await fn(new RemoteShell(ssh, isRoot), ssh, isRoot);
    } finally {
      ssh.close();
    }
  }
}

const sha256hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The runtime architecture for `uname -m`, or null when the app ships none for it. */
function runtimeArchOrNull(machine: string): RuntimeArch | null {
  try {
    return runtimeArch(machine);
  } catch {
    return null;
  }
}
