import {
  resolveRecoveryTarget,
  type CatalogModel,
  type ResolvedRecovery,
} from '../../../shared/catalog';
import {
  RestoreRequest as RestoreRequestSchema,
  type Job,
  type ProductionRestorePlan,
  type ProductionRestoreRequest,
  type ProductionRestoreStart,
  type RestorePlan,
  type RestoreRequest,
  type ScratchEnvironment,
} from '../../../shared/contract';
import type { JobContext, JobRunner } from '../../jobs/runner';
import { RESTORE_EXIT_FAILED_CHECKS } from '../../../shared/agent/restore';
import { attachRemoteAgent } from '../agent-run/remote-agent';
import type { AgentCommand } from '../agent-run/remote-scripts';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import { clockPlanSaid } from '../../../shared/agent/server-clock';
import { said } from '../../../shared/contract/phrases';
import { AppError } from '../app-error';
import type { CatalogService } from '../catalog/catalog-service';
import type { SecretStore } from '../secrets/secret-store';
import type { ServerClocks } from '../monitoring/server-clocks';
import type { ServersService } from '../servers/servers-service';
import type { Db } from '../store/database';
import type { StorageService } from '../storage/storage-service';
import { requireVerifiedPoint, withVerifiedFiles } from './manifest-loader';
import { ProductionRestores } from './production-service';
import {
  parseResult,
  placeOutcome,
  progressLines,
  runRestoreJob,
  settleRecord,
  type RestoreJobInput,
} from './restore-job';
import { buildRestorePlan } from './restore-plan';
import { removeAccessScript } from './other-host';
import { RestoreHosts } from './restore-hosts';
import type { RuntimeSources, RuntimeTarball } from '../node-runtime/resolve-runtime';
import { ScratchEnvironments } from './scratch-environments';
import { ScratchRepo } from './scratch-repo';

/** What the restore service works with (wired in app-core). */
export interface RestoreServiceDeps {
  db: Db;
  servers: ServersService;
  storage: StorageService;
  agent: AgentInstallService;
  catalog: CatalogService;
  secrets: SecretStore;
  jobs: JobRunner;
  /** How often expired scratch environments are removed (default 10 min; 0: only on start). */
  sweepIntervalMs?: number;
  /** Diagnostics sink; receives no secrets. */
  log?: (line: string) => void;
  /** The agent bundle and Node runtime a restore onto another host puts there. */
  agentBundlePath: string;
  nodeRuntime: RuntimeSources;
  /** Layout root on servers ('/' in production; the tests' private folder). */
  remoteRoot?: string;
  /** Test hook: between polls of the agent's output. */
  pollMs?: number;
  /** The server's clock against this computer's: plans warn when it is off (fault 14). */
  clocks?: Pick<ServerClocks, 'recent'>;
}

/** Scratch environments are removed this many hours after creation unless asked otherwise. */
export const DEFAULT_KEEP_HOURS = 24;

/** A resolved restore: the plan shown to the admin and what the job runs. */
interface Prepared {
  plan: RestorePlan;
  resolved: ResolvedRecovery;
  model: CatalogModel;
}

/** Point-in-time restores into scratch clusters, and the scratch environments they leave. */
export class RestoreService {
  private readonly repo: ScratchRepo;
  private readonly scratch: ScratchEnvironments;
  private readonly hosts: RestoreHosts;
  private readonly production: ProductionRestores;

  constructor(private readonly deps: RestoreServiceDeps) {
    this.repo = new ScratchRepo(deps.db);
    this.hosts = new RestoreHosts({ ...deps, remoteRoot: deps.remoteRoot ?? '/' });
    this.production = new ProductionRestores({ ...deps, hosts: this.hosts });
    this.scratch = new ScratchEnvironments({
      repo: this.repo,
      openShell: (serverId, signal) => this.hosts.openShell(serverId, signal),
      sweepIntervalMs: deps.sweepIntervalMs,
      log: deps.log,
    });
  }

  /** What restoring the target means; RESTORE_NOT_COVERED (with the reason) when it cannot be. */
  async plan(request: RestoreRequest): Promise<RestorePlan> {
    return (await this.prepare(request)).plan;
  }

  /**
   * Starts the restore job (kind `restore.start`, subject: the source server); its result is
   * the ScratchEnvironment. The target is resolved again inside the job, on the newest catalog.
   */
  start(
    input: RestoreRequest & { keepHours?: number },
    hooks: Pick<RestoreJobInput, 'scratchId' | 'onAgentStarted' | 'place' | 'onPlace'> = {},
  ): Job {
    const { keepHours = DEFAULT_KEEP_HOURS, ...rest } = input;
    const request = RestoreRequestSchema.parse(rest);
    const server = this.deps.servers.get(request.serverId);
    this.requireAgent(request.serverId);
    // Root where the restore runs: another host is checked by destinationHost; the source
    // itself only for a scratch restore there (a source that is gone needs nothing, issue 19).
    const hostId = this.destinationHost(request);
    if (hostId === request.serverId) this.requireRoot(request.serverId);
    const host = this.deps.servers.get(hostId);
    return this.deps.jobs.start({
      kind: 'restore.start',
      title:
        hostId === request.serverId
          ? `Restore ${server.name} ${describe(request)} into a scratch database`
          : `Restore ${server.name} ${describe(request)} into a scratch database on ${host.name}`,
      subjectId: request.serverId,
      run: async (job) => {
        job.progress('plan', 0, 3);
        // A full listing, not the incremental one: objects deleted from the bucket since the
        // last listing must not be planned with.
        const prepared = this.prepare(request, true);
        prepared.catch(() => undefined);
        let id: string | null = null;
        try {
          return await runRestoreJob({
            job,
            request,
            keepHours,
            resolve: async () => (await prepared).resolved,
            hostServerId: hostId,
            repo: this.repo,
            pollMs: this.deps.pollMs,
            ...hooks,
            openHost: (scratchId, signal) =>
              hostId === request.serverId
                ? this.hosts.openAgentHost(request.serverId, signal)
                : this.hosts.openOtherHost(request.serverId, hostId, scratchId, signal),
            onCreated: (created) => {
              id = created;
              this.scratch.markActive(created);
            },
          });
        } finally {
          if (id) this.scratch.markDone(id);
        }
      },
    });
  }

  /** What restoring over production means, and the database name the admin must type. */
  planProduction(request: ProductionRestoreRequest): Promise<ProductionRestorePlan> {
    // An unknown server is NOT_FOUND, not "no agent installed on this server".
    this.deps.servers.get(request.serverId);
    this.requireAgent(request.serverId);
    this.requireRoot(request.serverId);
    return this.production.plan(request);
  }

  /**
   * Starts the restore over production (kind `restore.production`; result
   * ProductionRestoreResult) once `confirmName` matches the plan's; CONFIRMATION_MISMATCH
   * otherwise, with nothing done on the server.
   */
  startProduction(input: ProductionRestoreStart): Promise<Job> {
    this.deps.servers.get(input.serverId);
    this.requireAgent(input.serverId);
    this.requireRoot(input.serverId);
    return this.production.start(input);
  }

  /** Puts the restore agent on `hostId` ahead of its restore (RestoreHosts.stageAgent). */
  stageAgent(hostId: string, signal?: AbortSignal): Promise<void> {
    return this.hosts.stageAgent(hostId, signal);
  }

  /** The runtime a restore onto `hostId` uploads there, verified here (RestoreHosts.runtimeFor). */
  runtimeFor(hostId: string, signal?: AbortSignal): Promise<RuntimeTarball | null> {
    return this.hosts.runtimeFor(hostId, signal);
  }

  /** Scratch environments (newest first), with their size measured on the host when reachable. */
  listScratch(): Promise<ScratchEnvironment[]> {
    return this.scratch.list();
  }

  /** Stops the scratch cluster, deletes its folders and marks it removed. */
  dropScratch(id: string): Promise<ScratchEnvironment> {
    return this.scratch.drop(id);
  }

  /**
   * The agent that made scratch environment `id` on its host and the restore's config folder
   * there: a rebuild runs `rebuild-place` with them (issue 19). NOT_FOUND for an unknown or
   * removed environment.
   */
  scratchAgent(id: string): {
    agent: AgentCommand;
    configDir: string | null;
    hostServerId: string;
  } {
    const record = this.repo.get(id);
    if (!record || record.state === 'removed' || !record.host.agent) {
      throw new AppError('NOT_FOUND', `Scratch environment ${id} is not there (any more).`);
    }
    return {
      agent: record.host.agent,
      configDir: record.host.configDir ?? null,
      hostServerId: record.env.hostServerId,
    };
  }

  /**
   * Follows again the agent's restore of environment `id` in run folder `runDir` on its host,
   * after the connection dropped (the agent went on, detached): its result is recorded as a
   * restore's would be. The environment is kept from the sweep meanwhile. RESTORE_FAILED when
   * the run is gone from the host without a result, or its checks failed.
   */
  async resumeRestore(
    id: string,
    runDir: string,
    job: Pick<JobContext, 'progress' | 'signal'>,
    onPlace?: RestoreJobInput['onPlace'],
  ): Promise<ScratchEnvironment> {
    const record = this.repo.get(id);
    if (!record || !record.host.agent || record.state === 'removed') {
      throw new AppError('NOT_FOUND', `Scratch environment ${id} is not there (any more).`);
    }
    if (record.state !== 'creating') {
      // Settled before the app could note it (it died right then): the record says all.
      if (record.placed) onPlace?.({ placed: record.placed });
      return record.env;
    }
    this.scratch.markActive(id);
    try {
      const { shell, close } = await this.hosts.openShell(record.env.hostServerId, job.signal);
      try {
        const outcome = await attachRemoteAgent(
          {
            shell,
            agent: record.host.agent,
            args: [],
            signal: job.signal,
            what: 'the restore',
            code: 'RESTORE_FAILED',
            pollMs: this.deps.pollMs,
            onLine: progressLines(job, null),
          },
          runDir,
        );
        if (outcome.exitCode !== 0 && outcome.exitCode !== RESTORE_EXIT_FAILED_CHECKS) {
          throw new AppError(
            'RESTORE_FAILED',
            `The restore failed on the server: ${outcome.log.slice(-6).join('\n') || `exit code ${outcome.exitCode}`}`,
          );
        }
        const result = parseResult(outcome.stdout);
        const settled = settleRecord(this.repo, record, result);
        onPlace?.(placeOutcome(result));
        // The repository keys the restore got stay no longer than the restore; its whole
        // config folder goes once the cluster became the host's own (a rebuild's place).
        const dir = record.host.configDir;
        if (dir) {
          await shell.run('remove repository access', removeAccessScript(dir, !!result.placed));
        }
        return settled.env;
      } finally {
        close();
      }
    } finally {
      this.scratch.markDone(id);
    }
  }

  /**
   * A scratch environment whose cluster became the host's own (a rebuild moved it): listed as
   * removed from now on, so no sweep or drop ever touches what it became.
   */
  handedOver(id: string): void {
    const record = this.repo.get(id);
    if (!record) return;
    this.repo.save({ ...record, state: 'removed', env: { ...record.env, state: 'removed' } });
  }

  /** Stops the expiry timer and waits for a sweep in progress (app shutdown). */
  close(): Promise<void> {
    return this.scratch.close();
  }

  private async prepare(input: RestoreRequest, refresh = false): Promise<Prepared> {
    const request = RestoreRequestSchema.parse(input);
    this.deps.servers.get(request.serverId);
    this.requireAgent(request.serverId);
    const hostId = this.destinationHost(request);
    // Measured before the catalog is built: it puts the bucket's times on the server's clock.
    const clock = (await this.deps.clocks?.recent(request.serverId)) ?? null;
    const model = await this.deps.catalog.model(request.serverId, { refresh });
    const resolution = resolveRecoveryTarget(model, request.target);
    if (!resolution.ok)
      throw new AppError(resolution.code, resolution.reason, undefined, resolution.why);
    // Nothing unsigned from the bucket is used: a point whose manifest does not verify is
    // refused, and attached files only come from a point whose manifest verified.
    if (request.target.kind === 'point') requireVerifiedPoint(model, request.target.label);
    const resolved = withVerifiedFiles(model, resolution.value);
    const clockWarning = clockPlanSaid(clock);
    const host = this.deps.servers.get(hostId).name;
    const pgMajor = this.hosts.pgMajor(request.serverId);
    const hostWarnings =
      hostId === request.serverId
        ? []
        : [
            said(
              `The scratch database goes onto ${host}: it needs pgBackRest and PostgreSQL ` +
                `${pgMajor} there (checked when the restore starts); the agent program is put there ` +
                'and the repository keys are written there for the restore only and deleted after it.',
              'plan.scratchHost',
              { host, pgMajor },
            ),
            this.deps.storage.hasRestoreKey(request.serverId)
              ? said(
                  'That host gets the read-only restore key: it can read the backups, not change them.',
                  'plan.scratchHostRestoreKey',
                )
              : said(
                  `No read-only restore key is saved, so ${host} gets the capture key, which can write to the bucket; add a restore key in the storage settings.`,
                  'plan.scratchHostCaptureKey',
                  { host },
                ),
          ];
    const warnings = [...(clockWarning ? [clockWarning] : []), ...hostWarnings];
    return { plan: buildRestorePlan(request, resolved, warnings), resolved, model };
  }

  private requireAgent(serverId: string): void {
    if (!this.deps.agent.installed(serverId)) {
      throw new AppError(
        'AGENT_NOT_INSTALLED',
        'No agent is installed on this server: there is nothing to restore from.',
      );
    }
  }

  /** The server the scratch cluster runs on; another host must be connected with root. */
  private destinationHost(request: RestoreRequest): string {
    if (request.destination.kind === 'scratch') return request.serverId;
    const hostId = request.destination.serverId;
    if (hostId === request.serverId) return hostId;
    const host = this.deps.servers.get(hostId);
    if (!host.detection) {
      throw new AppError(
        'NOT_FOUND',
        `Connect to ${host.name} first, so the app knows what runs there.`,
      );
    }
    this.requireRoot(hostId);
    return hostId;
  }

  private requireRoot(serverId: string): void {
    const sudo = this.deps.servers.get(serverId).detection?.sudo;
    if (sudo !== 'root' && sudo !== 'passwordless') {
      throw new AppError(
        'NO_SUDO',
        'A restore needs root on the server (log in as root or give the SSH user passwordless sudo), like the agent install.',
      );
    }
  }
}

function describe(request: RestoreRequest): string {
  const t = request.target;
  // Job titles are read by people: "2026-11-27 00:25:03 UTC", not the ISO wire format.
  if (t.kind === 'time') return `as of ${utcSeconds(t.time)}`;
  if (t.kind === 'point') return `to recovery point ${t.label}`;
  return 'to the newest WAL';
}

function utcSeconds(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime())
    ? iso
    : `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
