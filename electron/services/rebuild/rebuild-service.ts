import crypto from 'node:crypto';
import path from 'node:path';
import type { AgentPlaceResult } from '../../../shared/agent/rebuild';
import {
  RebuildRequest as RebuildRequestSchema,
  type Job,
  type RebuildHandoverFile,
  type RebuildPlan,
  type RebuildRequest,
  type RebuildResult,
  type RestorePlan,
  type ScratchEnvironment,
  type StorageTargetDraft,
} from '../../../shared/contract';
import type { JobContext, JobRunner } from '../../jobs/runner';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import { RemoteShell } from '../agent-install/remote-shell';
import { AppError } from '../app-error';
import type { CatalogService } from '../catalog/catalog-service';
import type { RestoreService } from '../restore/restore-service';
import type { ServersService } from '../servers/servers-service';
import type { StorageService } from '../storage/storage-service';
import { runChildJob } from './child-job';
import { withReconnect } from './host-link';
import { placedByRestore, placeOnHost, trustedFilePaths } from './rebuild-place-step';
import { restoreOnHost } from './rebuild-restore-step';
import { besideConnection } from './side-by-side';
import { handoverFile } from './handover-file';
import { writeHandover } from './handover-report';
import type { SecretStore } from '../secrets/secret-store';
import { estimate, LEFT_TO_ADMIN } from './rebuild-handover';
import { RebuildJournal, type RebuildJournalEntry } from './rebuild-journal';
import type { Db } from '../store/database';
import { installHostPackages } from './host-packages';
import { runRebuildPreflight } from './rebuild-preflight';

/** What the rebuild service works with (wired in app-core). */
export interface RebuildServiceDeps {
  servers: ServersService;
  storage: StorageService;
  agent: AgentInstallService;
  catalog: Pick<CatalogService, 'model' | 'cached'>;
  restore: RestoreService;
  jobs: JobRunner;
  /** Layout root on servers ('/' in production; the tests' private folder). */
  remoteRoot?: string;
  /** Test hook: between polls of the agent's output. */
  pollMs?: number;
  /** How long a lost host is tried again before the rebuild fails (default 3 min). */
  reconnectWindowMs?: number;
  db: Db;
  /** Where signed hand-over reports are written (the app's data directory). */
  dataDir: string;
  /** Holds the app's report signing key. */
  secrets: SecretStore;
  /** Diagnostics sink; receives no secrets. */
  log?: (line: string) => void;
}

/**
 * Disaster recovery (issue 19 §2): a server known only from its recovery kit is rebuilt onto a
 * fresh host from the bucket alone. The restore is the agent's restore engine on the new host
 * (restored and verified in a scratch environment, the erasure ledger replayed); the agent
 * there then makes it the host's cluster (`rebuild-place`), and the agent install sets up
 * capture on the new host in the same bucket, under a history of its own, so the old server's
 * history stays restorable.
 */
export class RebuildService {
  private readonly journal: RebuildJournal;

  constructor(private readonly deps: RebuildServiceDeps) {
    this.journal = new RebuildJournal(deps.db);
  }

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
    // The runtime the restore uploads there is verified beside the plan (a failure shows when
    // the restore needs it, with its reason).
    const runtime = this.deps.restore.runtimeFor(request.hostId, signal).catch(() => null);
    const [restore, ssh] = await besideConnection(
      this.deps.restore.plan(this.restoreRequest(request)),
      this.deps.servers.open(request.hostId, signal),
    );
    const pgMajor = this.pgMajor(request.serverId);
    const dataDirectory = this.dataDirectory(request, pgMajor);
    const sudo = host.detection.sudo;
    let checks;
    let packages;
    try {
      ({ checks, packages } = await runRebuildPreflight(
        new RemoteShell(ssh, sudo === 'root'),
        {
          pgMajor,
          dataDirectory,
          port: request.port,
          restoreBytes: restore.baseBackup.sizeBytes,
          hasRoot: sudo === 'root' || sudo === 'passwordless',
        },
        signal,
      ));
    } finally {
      ssh.close();
    }
    await runtime;
    // restic restores attached files; a point without them does not need it before the
    // database serves, and capture's agent install puts it there afterwards (as any missing
    // package), outside the time to recovery.
    if (!restore.attachedFiles) packages = packages.filter((p) => p !== 'restic');
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
      packages,
      ready: checks.every((c) => c.ok),
      estimatedSeconds: estimate(restore),
      warnings: restore.warnings,
      ...(restore.warningWords ? { warningWords: restore.warningWords } : {}),
    };
    return { plan, restore };
  }

  /**
   * Starts the rebuild (job kind `rebuild.start`, result RebuildResult). The pre-flight runs
   * again inside the job; a check that fails refuses with REBUILD_REFUSED before anything
   * changes on the host. Every step is journaled (rebuild-journal.ts).
   */
  start(input: RebuildRequest): Job {
    const request = RebuildRequestSchema.parse(input);
    return this.startJob(request, null);
  }

  /**
   * Resumes the rebuild job `jobId` ran (it failed, was interrupted by a closed console, or
   * lost its host) at the step that was running: a restore that finished, or still runs on the
   * host, is never started again. NOT_FOUND when that job was no rebuild; CONFLICT when it
   * finished.
   */
  resume(jobId: string): Job {
    const entry = this.journal.byJob(jobId);
    if (!entry) throw new AppError('NOT_FOUND', `Job ${jobId} is no rebuild this console ran.`);
    if (entry.step === 'done') {
      throw new AppError('CONFLICT', 'That rebuild finished: there is nothing to resume.');
    }
    const running = this.deps.jobs.get(jobId);
    if (running && (running.state === 'running' || running.state === 'queued')) {
      throw new AppError('CONFLICT', 'That rebuild still runs: wait for it, or cancel it first.');
    }
    return this.startJob(RebuildRequestSchema.parse(entry.request), entry);
  }

  /** The signed hand-over of the finished rebuild job `jobId`, verified again, as a zip. */
  handover(jobId: string): Promise<RebuildHandoverFile> {
    const job = this.deps.jobs.get(jobId);
    if (!job || job.kind !== 'rebuild.start' || job.state !== 'succeeded') {
      throw new AppError('NOT_FOUND', `Job ${jobId} is no finished rebuild of this console.`);
    }
    return handoverFile(this.deps.secrets, job.result);
  }

  private startJob(
    request: ReturnType<typeof RebuildRequestSchema.parse>,
    resumed: RebuildJournalEntry | null,
  ): Job {
    const source = this.deps.servers.get(request.serverId);
    const host = this.deps.servers.get(request.hostId);
    return this.deps.jobs.start({
      kind: 'rebuild.start',
      title: `Rebuild ${source.name} on ${host.name}`,
      subjectId: request.hostId,
      run: (job) => this.run(job, request, resumed),
    });
  }

  private async run(
    job: JobContext,
    request: ReturnType<typeof RebuildRequestSchema.parse>,
    resumed: RebuildJournalEntry | null,
  ): Promise<RebuildResult> {
    const j: RebuildJournalEntry = resumed
      ? { ...resumed, jobId: job.jobId }
      : {
          rebuildId: crypto.randomUUID(),
          jobId: job.jobId,
          request,
          step: 'preflight',
          startedAt: new Date().toISOString(),
          seconds: {},
          scratchId: null,
          runDir: null,
          env: null,
          placed: null,
          filesFrom: null,
          dataDirectory: null,
          restoreResumes: 0,
        };
    const save = (): void => this.journal.save(j);
    save();
    let mark = Date.now();
    const lap = (phase: string): void => {
      const now = Date.now();
      j.seconds[phase] = Math.round(((j.seconds[phase] ?? 0) * 1000 + now - mark) / 100) / 10;
      mark = now;
    };

    if (j.step === 'preflight') {
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
      // Before anything else changes there: the restore needs the server packages on the host.
      // Installing again after a dropped connection is harmless (apt installs what is missing).
      // The restore agent goes up meanwhile (its runtime and bundle, ~50 MB, which the restore
      // would otherwise upload after the install): apt waits on the mirror and dpkg, the upload
      // on the link, and neither needs the other.
      if (plan.packages?.length) {
        job.progress('preflight', 1, 2);
        // Not staged (the link failed, say): the restore's own plan uploads it, as without apt.
        const staged = this.deps.restore.stageAgent(request.hostId, job.signal).catch((err) => {
          this.deps.log?.(`rebuild ${j.rebuildId}: restore agent not staged: ${String(err)}`);
        });
        try {
          await this.installPackages(request, plan, job.signal);
        } finally {
          await staged;
        }
      }
      job.progress('preflight', 1, 1);
      lap('preflight');
      Object.assign(j, {
        step: 'restore',
        scratchId: crypto.randomUUID(),
        filesFrom: restore.attachedFiles?.label ?? null,
        dataDirectory: plan.dataDirectory,
      });
      save();
    }

    // The attached files' paths (the point's manifest, verified) are read beside the restore.
    const filePaths =
      j.step === 'restore' || j.step === 'place'
        ? trustedFilePaths(this.deps, request.serverId, j.filesFrom)
        : undefined;
    filePaths?.catch(() => undefined);

    if (j.step === 'restore') {
      j.env = await restoreOnHost(
        this.deps,
        job,
        { request, restoreRequest: this.restoreRequest(request), filePaths },
        j,
        save,
      );
      lap('restore');
      j.step = 'place';
      save();
    }
    const env = j.env as ScratchEnvironment;

    if (j.step === 'place') {
      // Mostly done by the restore's own run already (spec.place); `rebuild-place` when that
      // run did not place it (it said why), and safe to run again after a drop.
      j.placed = j.placed
        ? placedByRestore(this.deps, job, env, j.placed)
        : await withReconnect(job.signal, this.deps.reconnectWindowMs, () =>
            placeOnHost(this.deps, job, {
              request,
              dataDirectory: j.dataDirectory as string,
              env,
              filesFrom: j.filesFrom,
              filePaths,
            }),
          );
      lap('place');
      j.step = 'capture';
      save();
    }
    const placed = j.placed as AgentPlaceResult;

    if (j.step === 'capture') {
      job.progress('capture', 0, 3);
      if (!this.deps.agent.installed(request.hostId)) {
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
      }
      job.progress('capture', 3, 3);
      lap('capture');
      j.step = 'verify';
      save();
    }

    job.progress('verify', 0, 1);
    const status = await withReconnect(job.signal, this.deps.reconnectWindowMs, () =>
      this.deps.agent.remoteStatus(request.hostId, job.signal),
    );
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
    j.step = 'done';
    save();
    const result = {
      sourceServerId: request.serverId,
      serverId: request.hostId,
      dataDirectory: placed.dataDirectory,
      port: placed.port,
      restoredUpTo: env.targetTime,
      baseBackup: env.baseBackup,
      rtoSeconds: Math.round((Date.now() - Date.parse(j.startedAt)) / 100) / 10,
      seconds: j.seconds,
      checks: [...env.checks, archiving],
      files: placed.files,
      leftToAdmin: LEFT_TO_ADMIN,
      resumed: resumed !== null || j.restoreResumes > 0,
    };
    return {
      ...result,
      handover: await writeHandover(this.deps.dataDir, this.deps.secrets, j.rebuildId, result),
    };
  }

  private async installPackages(
    request: ReturnType<typeof RebuildRequestSchema.parse>,
    plan: RebuildPlan,
    signal: AbortSignal,
  ): Promise<void> {
    const sudo = this.deps.servers.get(request.hostId).detection?.sudo;
    const ssh = await this.deps.servers.open(request.hostId, signal);
    try {
      await installHostPackages(
        new RemoteShell(ssh, sudo === 'root'),
        plan.pgMajor,
        plan.packages ?? [],
        signal,
      );
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
