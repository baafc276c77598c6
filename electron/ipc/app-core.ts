import path from 'node:path';
import type { EventName, Result } from '../../shared/contract';
import { JobRunner } from '../jobs/runner';
import { EventBus } from '../services/events/event-bus';
import type { SecretStore } from '../services/secrets/secret-store';
import { AgentInstallService } from '../services/agent-install/agent-install-service';
import { CatalogService } from '../services/catalog/catalog-service';
import { DrillService } from '../services/drill/drill-service';
import { GdprService } from '../services/gdpr/gdpr-service';
import { GdprRequestsService } from '../services/gdpr/requests-service';
import { PointService } from '../services/point/point-service';
import { RollbackService } from '../services/rollback/rollback-service';
import { SubjectRestoreService } from '../services/rollback/subject-restore-service';
import { MonitoringService } from '../services/monitoring/monitoring-service';
import { ServerClocks } from '../services/monitoring/server-clocks';
import { RecoveryKitService } from '../services/recovery-kit/recovery-kit-service';
import { ReportsService } from '../services/reports/reports-service';
import { RestoreService } from '../services/restore/restore-service';
import { ServersService } from '../services/servers/servers-service';
import { StorageService } from '../services/storage/storage-service';
import { openDatabase } from '../services/store/database';
import { JobsRepo } from '../services/store/jobs-repo';
import { ServersRepo } from '../services/store/servers-repo';
import { defaultAgentBundlePath } from './agent-bundle';
import { APP_VERSION } from '../services/app-version';
import { KitImportService } from '../services/rebuild/kit-import-service';
import { RebuildService } from '../services/rebuild/rebuild-service';
import { createHandlers } from './handlers';
import { withAccountability } from './recording-handlers';
import { AccountabilityService } from '../services/accountability/accountability-service';
import { createDispatch } from './router';

export interface AppCoreOptions {
  dataDir: string;
  secrets: SecretStore;
  transport: 'electron' | 'web' | 'cli';
  version?: string;
  /** The agent bundle to upload (default: dist/agent/kumiko-agent.cjs of this checkout). */
  agentBundlePath?: string;
  /** Where the agent installs on servers: '/' (default) or a private root for tests. */
  agentRemoteRoot?: string;
  /** Folder with Node runtime tarballs shipped in a packaged app (checked before the cache). */
  nodeRuntimeResourcesDir?: string;
  /** Download cache for the Node runtime (default `<dataDir>/runtime-cache`). */
  nodeRuntimeCacheDir?: string;
  /** Diagnostics sink; receives no secrets. */
  log?: (line: string) => void;
  /** Between polls of a running drill's progress on the server (default 1 s; tests go faster). */
  drillPollMs?: number;
  /** Who the accountability log names (the CLI's --actor); else KUMIKO_ACTOR, then settings. */
  actorName?: string;
}

/** The app without a window: what every transport (IPC, browser mode, CLI) talks to. */
export interface AppCore {
  dispatch(name: string, raw: unknown): Promise<Result<unknown>>;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  /** The job runner, for transports that wait on jobs (the CLI). */
  readonly jobs: JobRunner;
  /** Drains running jobs, then closes the store. */
  close(): Promise<void>;
}

/** Composition root: opens the store and wires services, jobs and the command map. */
export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const db = openDatabase(options.dataDir);
  const events = new EventBus();
  const jobs = new JobRunner({ repo: new JobsRepo(db), events });
  const servers = new ServersService({
    repo: new ServersRepo(db),
    secrets: options.secrets,
    jobs,
    events,
  });
  const storage = new StorageService({ db, secrets: options.secrets });
  // One object for the installer and the restore hosts: the tarball it verified is remembered
  // with it (resolve-runtime.ts).
  const nodeRuntime = {
    resourcesDir: options.nodeRuntimeResourcesDir,
    cacheDir: options.nodeRuntimeCacheDir ?? path.join(options.dataDir, 'runtime-cache'),
  };
  const agent = new AgentInstallService({
    db,
    servers,
    storage,
    secrets: options.secrets,
    jobs,
    events,
    agentBundlePath: options.agentBundlePath ?? defaultAgentBundlePath(),
    remoteRoot: options.agentRemoteRoot,
    nodeRuntime,
  });
  const recoveryKit = new RecoveryKitService({
    db,
    dataDir: options.dataDir,
    servers,
    storage,
    agent,
    secrets: options.secrets,
  });
  const clocks = new ServerClocks({ servers });
  const monitoring = new MonitoringService({ servers, storage, agent, recoveryKit, clocks });
  const catalog = new CatalogService({
    dataDir: options.dataDir,
    servers,
    storage,
    agent,
    serverClockOffsetMs: (serverId) => clocks.offsetMs(serverId),
  });
  const kitImport = new KitImportService({
    db,
    secrets: options.secrets,
    storage,
    catalog,
    events,
  });
  const restore = new RestoreService({
    clocks,
    db,
    servers,
    storage,
    agent,
    catalog,
    secrets: options.secrets,
    jobs,
    log: options.log,
    agentBundlePath: options.agentBundlePath ?? defaultAgentBundlePath(),
    nodeRuntime,
    remoteRoot: options.agentRemoteRoot,
    pollMs: options.drillPollMs,
  });
  const rebuild = new RebuildService({
    db,
    dataDir: options.dataDir,
    secrets: options.secrets,
    log: options.log,
    servers,
    storage,
    agent,
    catalog,
    restore,
    jobs,
    remoteRoot: options.agentRemoteRoot,
    pollMs: options.drillPollMs,
  });
  const reports = new ReportsService({
    db,
    dataDir: options.dataDir,
    agent,
    servers,
    secrets: options.secrets,
    appVersion: options.version ?? APP_VERSION,
  });
  const drill = new DrillService({
    servers,
    storage,
    agent,
    reports,
    jobs,
    log: options.log,
    pollMs: options.drillPollMs,
  });
  const point = new PointService({
    servers,
    storage,
    agent,
    catalog,
    jobs,
    pollMs: options.drillPollMs,
  });
  const gdpr = new GdprService({
    db,
    dataDir: options.dataDir,
    servers,
    agent,
    storage,
    secrets: options.secrets,
    jobs,
  });
  const accountability = new AccountabilityService({
    db,
    dataDir: options.dataDir,
    secrets: options.secrets,
    events,
    actorName: options.actorName,
    finishedJob: (jobId) => {
      const job = jobs.get(jobId);
      return job && job.state !== 'running' && job.state !== 'queued' ? job : null;
    },
    log: options.log,
  });
  // Reports of drills the agent ran on its own show up on the next connect.
  servers.onConnected((serverId) => drill.syncInBackground(serverId));
  const dispatch = createDispatch(
    withAccountability(
      createHandlers({
        version: options.version ?? APP_VERSION,
        dataDir: options.dataDir,
        transport: options.transport,
        servers,
        storage,
        agent,
        monitoring,
        recoveryKit,
        kitImport,
        rebuild,
        catalog,
        restore,
        reports,
        drill,
        point,
        gdpr,
        gdprRequests: new GdprRequestsService({
          db,
          dataDir: options.dataDir,
          gdpr,
          servers,
          secrets: options.secrets,
        }),
        rollback: new RollbackService({ servers, agent }),
        subjectRestore: new SubjectRestoreService({
          db,
          servers,
          agent,
          restore,
          storage,
          secrets: options.secrets,
          jobs,
        }),
        jobs,
        accountability,
      }),
      accountability,
    ),
    options.log,
  );
  let closed = false;
  return {
    dispatch,
    onEvent: (listener) => events.subscribe(listener),
    jobs,
    close: async () => {
      if (closed) return;
      closed = true;
      await jobs.drain();
      // A background drill-report sync writes to the store: let it stop first.
      await drill.close();
      // The scratch-environment sweep runs on a timer and may be mid-SSH: stop it before the store closes.
      await restore.close();
      // Open S3 listers keep sockets and idle timers alive.
      catalog.close();
      accountability.close();
      db.close();
    },
  };
}
