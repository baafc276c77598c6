import path from 'node:path';
import { AgentPlaceResult, type AgentPlaceSpec } from '../../../shared/agent/rebuild';
import {
  RebuildRequest as RebuildRequestSchema,
  type Job,
  type RebuildPlan,
  type RebuildRequest,
  type RebuildResult,
  type RestorePlan,
  type ScratchEnvironment,
  type StorageTargetDraft,
} from '../../../shared/contract';
import type { JobContext, JobRunner } from '../../jobs/runner';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import { RemoteShell, shq } from '../agent-install/remote-shell';
import { runRemoteAgent, tail } from '../agent-run/remote-agent';
import { AppError } from '../app-error';
import type { CatalogService } from '../catalog/catalog-service';
import type { RestoreService } from '../restore/restore-service';
import type { ServersService } from '../servers/servers-service';
import type { StorageService } from '../storage/storage-service';
import { loadTrustedManifest } from '../restore/manifest-loader';
import { runChildJob } from './child-job';
import { runRebuildPreflight } from './rebuild-preflight';

/** What the rebuild service works with (wired in app-core). */
export interface RebuildServiceDeps {
  servers: ServersService;
  storage: StorageService;
  agent: AgentInstallService;
  catalog: Pick<CatalogService, 'model'>;
  restore: RestoreService;
  jobs: JobRunner;
  /** Layout root on servers ('/' in production; the tests' private folder). */
  remoteRoot?: string;
  /** Test hook: between polls of the agent's output. */
  pollMs?: number;
}

/**
 * Beyond the restore's own estimate: putting the cluster in place and starting it, then the
 * agent install with its first base backup (measured in test/integration/rebuild-from-kit:
 * ~10 s and ~40 s on this machine for a small cluster; the base backup grows with the size).
 */
const PLACE_SECONDS = 10;
const INSTALL_SECONDS = 40;
const BACKUP_BYTES_PER_SECOND = 150e6;

/** What is always left to the admin after a rebuild: the app cannot do it from here. */
const LEFT_TO_ADMIN = [
  'Point the application at the new server: change its connection string (host, port) or the DNS name it uses to this host.',
  'Open the cluster to the application: listen_addresses is localhost and pg_hba.conf holds the rules of the backup; adjust both, then reload PostgreSQL.',
  "Check the agent's schedule, retention and alerts on the new server: the kit does not carry the old server's settings, so the defaults apply.",
  'Export and store the recovery kit of the new server: its backups go to a history of its own in the same bucket.',
];

/**
 * Disaster recovery (issue 19 §2): a server known only from its recovery kit is rebuilt onto a
 * fresh host from the bucket alone. The restore is the agent's restore engine on the new host
 * (restored and verified in a scratch environment, the erasure ledger replayed); the agent
 * there then makes it the host's cluster (`rebuild-place`), and the agent install sets up
 * capture on the new host in the same bucket, under a history of its own, so the old server's
 * history stays restorable.
 */
export class RebuildService {
  constructor(private readonly deps: RebuildServiceDeps) {}

  /** The host's pre-flight checks, the restore it runs and the time it takes. */
  async plan(input: RebuildRequest, signal?: AbortSignal): Promise<RebuildPlan> {
    return (await this.prepare(input, signal)).plan;
  }

  private async prepare(
    input: RebuildRequest,
    signal?: AbortSignal,
  ): Promise<{ plan: RebuildPlan; restore: RestorePlan }> {
    const request = RebuildRequestSchema.parse(input);
    const source = this.deps.servers.get(request.serverId);
    const host = this.deps.servers.get(request.hostId);
    if (!this.deps.agent.installed(source.id)) {
      throw new AppError(
        'AGENT_NOT_INSTALLED',
        `${source.name} has no backups known to this console: import its recovery kit first.`,
      );
    }
    if (!host.detection) {
      throw new AppError(
        'NOT_FOUND',
        `Connect to ${host.name} first, so the app knows what runs there.`,
      );
    }
    const restore = await this.deps.restore.plan(this.restoreRequest(request));
    const pgMajor = this.pgMajor(request.serverId);
    const dataDirectory = this.dataDirectory(request, pgMajor);
    const sudo = host.detection.sudo;
    const ssh = await this.deps.servers.open(request.hostId, signal);
    let checks;
    try {
      checks = await runRebuildPreflight(
        new RemoteShell(ssh, sudo === 'root'),
        {
          pgMajor,
          dataDirectory,
          port: request.port,
          restoreBytes: restore.baseBackup.sizeBytes,
          hasRoot: sudo === 'root' || sudo === 'passwordless',
        },
        signal,
      );
    } finally {
      ssh.close();
    }
    const plan: RebuildPlan = {
      serverId: request.serverId,
      hostId: request.hostId,
      target: request.target,
      dataDirectory,
      port: request.port,
      pgMajor,
      baseBackup: { label: restore.baseBackup.label, sizeBytes: restore.baseBackup.sizeBytes },
      targetTime: restore.targetTime,
      checks,
      ready: checks.every((c) => c.ok),
      estimatedSeconds: estimate(restore),
      warnings: restore.warnings,
    };
    return { plan, restore };
  }

  /**
   * Starts the rebuild (job kind `rebuild.start`, result RebuildResult). The pre-flight runs
   * again inside the job; a check that fails refuses with REBUILD_REFUSED before anything
   * changes on the host.
   */
  start(input: RebuildRequest): Job {
    const request = RebuildRequestSchema.parse(input);
    const source = this.deps.servers.get(request.serverId);
    const host = this.deps.servers.get(request.hostId);
    return this.deps.jobs.start({
      kind: 'rebuild.start',
      title: `Rebuild ${source.name} on ${host.name}`,
      subjectId: request.hostId,
      run: (job) => this.run(job, request),
    });
  }

  private async run(
    job: JobContext,
    request: ReturnType<typeof RebuildRequestSchema.parse>,
  ): Promise<RebuildResult> {
    const started = Date.now();
    const seconds: Record<string, number> = {};
    let mark = started;
    const lap = (phase: string): void => {
      const now = Date.now();
      seconds[phase] = Math.round((now - mark) / 100) / 10;
      mark = now;
    };
    job.progress('preflight', 0, 1);
    const { plan, restore } = await this.prepare(request, job.signal);
    const failed = plan.checks.filter((c) => !c.ok);
    if (failed.length) {
      throw new AppError(
        'REBUILD_REFUSED',
        `${this.deps.servers.get(request.hostId).name} is not ready: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}. Nothing was changed there.`,
        { checks: failed },
      );
    }
    job.progress('preflight', 1, 1);
    lap('preflight');

    const env = await runChildJob<ScratchEnvironment>(job, this.deps.jobs, 'restore', () =>
      this.deps.restore.start({ ...this.restoreRequest(request), keepHours: 0 }),
    );
    lap('restore');

    let placed: AgentPlaceResult;
    try {
      placed = await this.place(job, request, plan, env, restore.attachedFiles?.label ?? null);
    } catch (err) {
      // Before the cluster moved, a cancel or a failure leaves no scratch environment behind.
      if (job.signal.aborted) await this.deps.restore.dropScratch(env.id).catch(() => undefined);
      throw err;
    }
    lap('place');

    job.progress('capture', 0, 3);
    await this.deps.storage.save(request.hostId, await this.storageDraft(request.serverId));
    await runChildJob(job, this.deps.jobs, 'capture', () =>
      this.deps.servers.connect(request.hostId),
    );
    job.progress('capture', 1, 3);
    await runChildJob(job, this.deps.jobs, 'capture', () =>
      this.deps.agent.install({
        serverId: request.hostId,
        dataDirectory: placed.dataDirectory,
        attachedPaths: placed.files,
        confirmRestart: true,
      }),
    );
    job.progress('capture', 3, 3);
    lap('capture');

    job.progress('verify', 0, 1);
    const status = await this.deps.agent.remoteStatus(request.hostId, job.signal);
    const capturing =
      status.repository.statusCode === 0 &&
      status.repository.backupCount > 0 &&
      status.archiver.archivedCount > 0;
    const archiving = {
      name: 'archiving' as const,
      ok: capturing,
      detail: `capture on the new host: ${status.archiver.archivedCount} WAL segments archived, ${status.repository.backupCount} base backup(s), ${status.archiver.failedCount} failed archive attempts`,
    };
    if (!capturing) {
      throw new AppError(
        'RESTORE_FAILED',
        `The cluster runs on the new host, but capture does not (${archiving.detail}; ${status.repository.message}). Open the server's status and fix what it names.`,
      );
    }
    job.progress('verify', 1, 1);
    lap('verify');
    return {
      sourceServerId: request.serverId,
      serverId: request.hostId,
      dataDirectory: placed.dataDirectory,
      port: placed.port,
      restoredUpTo: env.targetTime,
      baseBackup: env.baseBackup,
      rtoSeconds: Math.round((Date.now() - started) / 100) / 10,
      seconds,
      checks: [...env.checks, archiving],
      files: placed.files,
      leftToAdmin: LEFT_TO_ADMIN,
    };
  }

  /** `rebuild-place` on the host: the verified scratch cluster becomes the host's cluster. */
  private async place(
    job: JobContext,
    request: ReturnType<typeof RebuildRequestSchema.parse>,
    plan: RebuildPlan,
    env: ScratchEnvironment,
    filesFrom: string | null,
  ): Promise<AgentPlaceResult> {
    job.progress('place', 0, 1);
    const { agent, configDir } = this.deps.restore.scratchAgent(env.id);
    const model = await this.deps.catalog.model(request.serverId);
    const trusted =
      env.filesDirectory && filesFrom
        ? await loadTrustedManifest(this.deps.storage, request.serverId, model, filesFrom)
        : null;
    // Only paths a verified manifest names: the place step moves folders there as root.
    const files = trusted?.manifest.restic.paths ?? [];
    const root = this.deps.remoteRoot ?? '/';
    const spec: AgentPlaceSpec = {
      id: env.id,
      dataDirectory: plan.dataDirectory,
      port: request.port,
      socketDirectory: path.posix.join(root, 'var/run/postgresql'),
      files: files.length ? { root, paths: files } : null,
    };
    const host = this.deps.servers.get(request.hostId);
    const ssh = await this.deps.servers.open(request.hostId, job.signal);
    try {
      const shell = new RemoteShell(ssh, host.detection?.sudo === 'root');
      const outcome = await runRemoteAgent({
        shell,
        agent,
        args: ['rebuild-place', '--spec', JSON.stringify(spec)],
        signal: job.signal,
        what: 'the rebuild',
        code: 'RESTORE_FAILED',
        pollMs: this.deps.pollMs,
        onLine: () => false,
      });
      if (outcome.exitCode !== 0) {
        throw new AppError(
          'RESTORE_FAILED',
          `The restored cluster could not be put in place on ${host.name}: ${tail(outcome.log.join('\n')) || `exit code ${outcome.exitCode}`}. The verified restore stays in scratch environment ${env.id}; fix the cause and start the rebuild again.`,
        );
      }
      const placed = AgentPlaceResult.parse(JSON.parse(outcome.stdout));
      this.deps.restore.handedOver(env.id);
      // The restore's config folder (its keys were removed after the restore) goes too.
      if (configDir) await shell.run('remove the restore config', `rm -rf ${shq(configDir)}`);
      job.progress('place', 1, 1);
      return placed;
    } finally {
      ssh.close();
    }
  }

  private restoreRequest(request: ReturnType<typeof RebuildRequestSchema.parse>) {
    return {
      serverId: request.serverId,
      target: request.target,
      destination: { kind: 'host' as const, serverId: request.hostId },
    };
  }

  private pgMajor(serverId: string): string {
    const version = this.deps.agent.installed(serverId)?.settings.pgVersion;
    return typeof version === 'string' ? (version.split('.')[0] ?? version) : '15';
  }

  private dataDirectory(
    request: ReturnType<typeof RebuildRequestSchema.parse>,
    pgMajor: string,
  ): string {
    if (request.dataDirectory) return request.dataDirectory;
    return path.posix.join(this.deps.remoteRoot ?? '/', 'var/lib/postgresql', pgMajor, 'main');
  }

  /** The old server's storage target, for the new host's capture: the same bucket. */
  private async storageDraft(serverId: string): Promise<StorageTargetDraft> {
    const creds = await this.deps.storage.credentials(serverId);
    return {
      endpoint: creds.endpoint,
      bucket: creds.bucket,
      region: creds.region,
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      ownStorage: creds.ownStorage,
      ...(creds.caCertificate ? { caCertificate: creds.caCertificate } : {}),
    };
  }
}

/** The restore's estimate plus putting the cluster in place and setting up capture. */
function estimate(plan: RestorePlan): number {
  const backup = (plan.baseBackup.sizeBytes ?? 0) / BACKUP_BYTES_PER_SECOND;
  return Math.ceil(plan.estimatedSeconds + PLACE_SECONDS + INSTALL_SECONDS + backup);
}
