import type { RecoveryPointManifest } from '../../../shared/agent/manifest';
import {
  resolveRecoveryTarget,
  type CatalogModel,
  type ResolvedRecovery,
} from '../../../shared/catalog';
import {
  ProductionRestoreRequest as RequestSchema,
  ProductionRestoreStart as StartSchema,
  type Job,
  type ProductionRestorePlan,
  type ProductionRestoreRequest,
  type ProductionRestoreStart,
} from '../../../shared/contract';
import type { JobRunner } from '../../jobs/runner';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import { AppError } from '../app-error';
import type { CatalogService } from '../catalog/catalog-service';
import type { ServersService } from '../servers/servers-service';
import type { StorageService } from '../storage/storage-service';
import { loadTrustedManifest, requireVerifiedPoint } from './manifest-loader';
import { agentRunOf } from './production-agent';
import { runProductionRestore } from './production-job';
import { assertConfirmed, buildProductionPlan, productionConfirmation } from './production-plan';
import { installedAgentCommand, installedLayout } from '../agent-run/installed-command';
import { RESTORE_RATES } from './restore-estimate';
import type { RestoreHosts } from './restore-hosts';
import { z } from 'zod';
import { clockPlanSaid } from '../../../shared/agent/server-clock';
import type { ServerClocks } from '../monitoring/server-clocks';
import { shq } from '../agent-install/remote-shell';

/** What restores over production are made from (the restore service's own services). */
export interface ProductionRestoreDeps {
  servers: ServersService;
  storage: StorageService;
  agent: AgentInstallService;
  catalog: CatalogService;
  jobs: JobRunner;
  hosts: RestoreHosts;
  /** The server's clock against this computer's: the plan warns when it is off. */
  clocks?: Pick<ServerClocks, 'recent'>;
  /** Test hook: between polls of the agent's output. */
  pollMs?: number;
}

/** Manifests tried, newest first, for the database names (each is one bucket read). */
const MANIFESTS_TRIED = 3;

/**
 * The explicit path that restores over the production cluster (issue 4 §3): a plan that names
 * the database to type, and a job that starts only when the typed name matches.
 */
export class ProductionRestores {
  constructor(private readonly deps: ProductionRestoreDeps) {}

  /** What the restore will do; RESTORE_NOT_COVERED (with the reason) when it cannot. */
  async plan(request: ProductionRestoreRequest): Promise<ProductionRestorePlan> {
    return (await this.prepare(RequestSchema.parse(request))).plan;
  }

  /**
   * Checks the typed name against a plan made on a fresh bucket listing, then starts the job
   * (kind `restore.production`). CONFIRMATION_MISMATCH before anything happens on the server.
   */
  async start(input: ProductionRestoreStart): Promise<Job> {
    const { confirmName, ...request } = StartSchema.parse(input);
    const { plan, resolved } = await this.prepare(request, true);
    assertConfirmed(plan, confirmName);
    // Checked right before the job starts (no await in between): two restores over the same
    // cluster at once would overwrite each other's work.
    const running = this.deps.jobs
      .list()
      .find(
        (j) =>
          j.kind === 'restore.production' &&
          j.subjectId === request.serverId &&
          j.state === 'running',
      );
    if (running) {
      throw new AppError(
        'CONFLICT',
        `A restore over production of this server is already running (job ${running.id}).`,
      );
    }
    const server = this.deps.servers.get(request.serverId);
    const agent = this.deps.agent.installed(request.serverId);
    if (!agent) throw new AppError('AGENT_NOT_INSTALLED', 'No agent is installed on this server.');
    const run = agentRunOf(agent, installedLayout(agent));
    return this.deps.jobs.start({
      kind: 'restore.production',
      title: `Restore production ${server.name} ${describeTarget(resolved, request)} (safety snapshot first)`,
      subjectId: request.serverId,
      run: (job) =>
        runProductionRestore({
          job,
          request,
          resolved,
          estimates: {
            safetySnapshot: plan.safetySnapshotSeconds,
            restore: 2 + (resolved.backup.sizeBytes ?? 0) / RESTORE_RATES.downloadBytesPerSecond,
          },
          agent: run,
          pollMs: this.deps.pollMs,
          openHost: (signal) => this.deps.hosts.openAgentHost(request.serverId, signal),
          undoHint: (safety) =>
            `restore recovery point ${safety.label} over production (restore wizard, or: kumiko restore --server ${request.serverId} ` +
            `--point ${safety.label} --over-production --confirm <name>).`,
        }),
    });
  }

  private async prepare(
    request: ProductionRestoreRequest,
    refresh = false,
  ): Promise<{ plan: ProductionRestorePlan; resolved: ResolvedRecovery; model: CatalogModel }> {
    const server = this.deps.servers.get(request.serverId);
    const agent = this.deps.agent.installed(request.serverId);
    if (!agent) throw new AppError('AGENT_NOT_INSTALLED', 'No agent is installed on this server.');
    // Production's own list of its databases, asked beside the catalog: the name to type is
    // one production has, never a name only a manifest claims.
    const live = this.liveDatabases(request.serverId);
    // Measured before the catalog is built: it puts the bucket's times on the server's clock.
    const clock = (await this.deps.clocks?.recent(request.serverId)) ?? null;
    // A full listing when starting: objects deleted from the bucket must not be planned with.
    const model = await this.deps.catalog.model(request.serverId, { refresh });
    const resolution = resolveRecoveryTarget(model, request.target);
    if (!resolution.ok)
      throw new AppError(resolution.code, resolution.reason, undefined, resolution.why);
    // Nothing unsigned from the bucket is used (the point's manifest is its verification).
    if (request.target.kind === 'point') requireVerifiedPoint(model, request.target.label);
    const manifest = await this.newestManifest(request.serverId, model);
    const cluster = server.detection?.clusters.find((c) => c.dataDirectory === agent.dataDirectory);
    const plan = buildProductionPlan(
      request,
      resolution.value,
      productionConfirmation(manifest, server.name, await live),
      { dataDirectory: agent.dataDirectory, port: cluster?.port ?? null },
    );
    const clockWarning = clockPlanSaid(clock);
    if (clockWarning) {
      plan.warnings.push(clockWarning.text);
      plan.warningWords?.push(clockWarning.words);
    }
    return { plan, resolved: resolution.value, model };
  }

  /**
   * The databases production lists itself; null when it cannot be asked now (no SSH, or
   * PostgreSQL not answering): the plan then names the verified manifest's databases.
   */
  private async liveDatabases(serverId: string): Promise<string[] | null> {
    const agent = this.deps.agent.installed(serverId);
    if (!agent) return null;
    const command = installedAgentCommand(agent);
    try {
      const { shell, close } = await this.deps.hosts.openShell(serverId);
      try {
        const out = await shell.run(
          'list the production databases',
          [command.node, command.bundle, 'databases', '--config', command.config]
            .map(shq)
            .join(' '),
        );
        return z.array(z.string()).parse(JSON.parse(out.stdout));
      } finally {
        close();
      }
    } catch {
      return null;
    }
  }

  /** The newest recovery point manifest whose signature verified, as the catalog read it. */
  private async newestManifest(
    serverId: string,
    model: CatalogModel,
  ): Promise<RecoveryPointManifest | null> {
    const candidates = model.backups
      .filter((b) => b.entry.manifest?.signature === 'valid')
      .slice(-MANIFESTS_TRIED)
      .reverse();
    for (const backup of candidates) {
      const trusted = await loadTrustedManifest(this.deps.storage, serverId, model, backup.label);
      if (trusted) return trusted.manifest;
    }
    return null;
  }
}

function describeTarget(resolved: ResolvedRecovery, request: ProductionRestoreRequest): string {
  const t = request.target;
  if (t.kind === 'point') return `to recovery point ${t.label}`;
  const at = resolved.targetTime ? new Date(resolved.targetTime) : null;
  const text = at ? `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC` : 'the newest WAL';
  return t.kind === 'time' ? `to ${text}` : `to the newest WAL (${text})`;
}
