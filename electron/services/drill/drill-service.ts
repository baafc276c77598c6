import { bucketLayout } from '../../../shared/agent/bucket-layout';
import type {
  DrillOverview,
  DrillReportEntry,
  DrillSettingsInput,
  DrillSettingsResult,
  DrillSyncResult,
  Job,
  ReportDetail,
  ReportPdf,
} from '../../../shared/contract';
import { DRILL_JOB_KIND } from '../../../shared/contract/drill-phases';
import type { JobRunner } from '../../jobs/runner';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import type { InstalledAgent } from '../agent-install/agents-repo';
import { remoteLayout, type RemoteLayout } from '../agent-install/layout';
import { RemoteShell, shq } from '../agent-install/remote-shell';
import { AppError } from '../app-error';
import { BucketLister } from '../catalog/bucket-lister';
import type { ReportsService } from '../reports/reports-service';
import type { ServersService } from '../servers/servers-service';
import { readBucketObject } from '../storage/bucket-reader';
import type { StorageService } from '../storage/storage-service';
import { readAgentConfig, restartScheduler, withDrillSettings } from './agent-config';
import { runDrillJob } from './drill-job';
import { syncReports } from './drill-sync';
import { nextDrillFromHeartbeat } from './next-drill';
import { readReportDetail, readReportPdf } from './report-files';
import type { AgentCommand } from '../agent-run/remote-scripts';

export interface DrillServiceDeps {
  servers: ServersService;
  storage: StorageService;
  agent: Pick<AgentInstallService, 'installed'>;
  reports: Pick<ReportsService, 'archive' | 'list'>;
  jobs: JobRunner;
  /** Diagnostics sink; receives no secrets. */
  log?: (line: string) => void;
  /** Test hook: between polls of a running drill's output (default 1 s). */
  pollMs?: number;
}

/**
 * Practiced restores from the app. The drill itself always runs in the agent on the server
 * (the same code as its scheduled drills), so this service starts and follows it over SSH,
 * collects signed reports from the bucket into the archive, and edits the agent's drill
 * settings. Reports of drills the agent ran on its own are collected on every connect.
 */
export class DrillService {
  /** One sync per server at a time: two would race to archive the same bundle. */
  private readonly syncs = new Map<string, Promise<DrillSyncResult>>();
  private readonly running = new Map<string, string>();
  private readonly background = new Set<Promise<unknown>>();
  private readonly closing = new AbortController();

  constructor(private readonly deps: DrillServiceDeps) {}

  /** Starts a drill job on the server's agent (kind `drill.start`, result: the archived entry). */
  start(serverId: string): Job {
    const server = this.deps.servers.get(serverId);
    const agent = this.requireAgent(serverId);
    this.requireRoot(serverId);
    if (!this.deps.storage.get(serverId)) {
      throw new AppError('STORAGE_NOT_CONFIGURED', 'No bucket is saved for this server.');
    }
    const runningJob = this.running.get(serverId);
    if (runningJob) {
      throw new AppError('CONFLICT', `A drill is already running on ${server.name}.`, {
        jobId: runningJob,
      });
    }
    const layout = layoutOf(agent);
    const job = this.deps.jobs.start({
      kind: DRILL_JOB_KIND,
      title: `Restore drill on ${server.name}`,
      subjectId: serverId,
      run: async (ctx) => {
        try {
          return await runDrillJob({
            job: ctx,
            agent: agentCommand(agent, layout),
            openShell: async (signal) => {
              const shell = await this.openShell(serverId, signal);
              return { shell: shell.shell, close: shell.close };
            },
            sync: (signal) => this.sync(serverId, signal),
            archived: (drillId) => this.archivedEntry(serverId, drillId),
            checkFindings: async (entry) =>
              new Map(
                (await readReportDetail(entry)).drill.checks
                  .filter((c) => !c.passed)
                  .map((c) => [c.id, c.detail]),
              ),
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

  /** History (archive), the agent's next drill and its drill settings, each as far as known. */
  async overview(serverId: string): Promise<DrillOverview> {
    this.deps.servers.get(serverId);
    const reports = this.deps.reports.list({ serverId });
    const base: DrillOverview = {
      serverId,
      reports,
      nextDrillAt: null,
      scheduleSource: 'none',
      intervalSeconds: null,
      smokeChecks: null,
      amcheckHeapAllIndexed: null,
      settingsError: null,
    };
    const agent = this.deps.agent.installed(serverId);
    if (!agent) return { ...base, settingsError: 'No agent is installed on this server.' };
    const layout = layoutOf(agent);
    try {
      const { shell, close } = await this.openShell(serverId);
      try {
        const { config } = await readAgentConfig(shell, layout.configPath);
        const status = await shell.run('agent status', statusCommand(agent, layout), {
          allowFailure: true,
        });
        const next = status.code === 0 ? nextDrillFromHeartbeat(parseLoose(status.stdout)) : null;
        return {
          ...base,
          intervalSeconds: config.drill.intervalSeconds,
          smokeChecks: config.drill.smokeChecks,
          amcheckHeapAllIndexed: config.drill.amcheckHeapAllIndexed,
          nextDrillAt: config.drill.intervalSeconds === 0 ? null : next,
          scheduleSource: status.code === 0 ? 'server' : 'none',
        };
      } finally {
        close();
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const heartbeat = await this.bucketHeartbeat(serverId);
      const next = nextDrillFromHeartbeat(heartbeat);
      return {
        ...base,
        settingsError: reason,
        nextDrillAt: next,
        scheduleSource: heartbeat ? 'bucket' : 'none',
      };
    }
  }

  /** Archives report bundles from the bucket that are not archived yet (see drill-sync.ts). */
  sync(serverId: string, signal?: AbortSignal): Promise<DrillSyncResult> {
    const previous = this.syncs.get(serverId) ?? Promise.resolve(null);
    const next = previous
      .catch(() => null)
      .then(async () => {
        const lister = new BucketLister(await this.deps.storage.credentials(serverId));
        try {
          return await syncReports({
            serverId,
            bucket: lister,
            archived: new Set(this.deps.reports.list({ serverId }).map((r) => r.drillId)),
            archive: (dir) => this.deps.reports.archive(dir),
            signal: signal ?? this.closing.signal,
          });
        } finally {
          lister.close();
        }
      });
    this.syncs.set(serverId, next);
    void next
      .finally(() => {
        if (this.syncs.get(serverId) === next) this.syncs.delete(serverId);
      })
      .catch(() => undefined);
    return next;
  }

  /**
   * The sync after a successful connect: in the background, never failing the connect, and
   * only where there is something to sync from (an agent and a bucket).
   */
  syncInBackground(serverId: string): void {
    if (!this.deps.agent.installed(serverId) || !this.deps.storage.get(serverId)) return;
    const run = this.sync(serverId).then(
      (result) => {
        if (result.imported || result.refused.length) {
          this.deps.log?.(
            `drill sync ${serverId}: ${result.imported} archived, ${result.refused.length} refused` +
              result.refused.map((r) => ` [${r.drillId}: ${r.message}]`).join(''),
          );
        }
      },
      (err: unknown) =>
        this.deps.log?.(
          `drill sync ${serverId} failed: ${err instanceof Error ? err.message : String(err)}`,
        ),
    );
    this.background.add(run);
    void run.finally(() => this.background.delete(run));
  }

  /** Writes the drill section of the agent's config and restarts its scheduler to apply it. */
  async saveSettings(input: DrillSettingsInput): Promise<DrillSettingsResult> {
    const agent = this.requireAgent(input.serverId);
    this.requireRoot(input.serverId);
    const layout = layoutOf(agent);
    const { shell, close } = await this.openShell(input.serverId);
    try {
      const current = await readAgentConfig(shell, layout.configPath);
      const { text, drill } = withDrillSettings(
        current,
        {
          intervalSeconds: input.intervalSeconds,
          smokeChecks: input.smokeChecks as DrillSettingsResult['smokeChecks'],
          amcheckHeapAllIndexed: input.amcheckHeapAllIndexed, // left out: kept as configured
        },
        this.deps.servers.get(input.serverId).name,
      );
      await shell.writeFile('write the agent config', layout.configPath, text, { mode: '600' });
      const scheduler = await restartScheduler(shell, current.config.stateDir, agent.scheduler);
      return {
        intervalSeconds: drill.intervalSeconds,
        smokeChecks: drill.smokeChecks,
        amcheckHeapAllIndexed: drill.amcheckHeapAllIndexed,
        scheduler,
        message: SCHEDULER_MESSAGES[scheduler],
      };
    } finally {
      close();
    }
  }

  async reportDetail(serverId: string, drillId: string): Promise<ReportDetail> {
    return readReportDetail(this.requireEntry(serverId, drillId));
  }

  async reportPdf(serverId: string, drillId: string): Promise<ReportPdf> {
    return readReportPdf(this.requireEntry(serverId, drillId));
  }

  /** Stops background syncs (app shutdown) and waits for them to unwind. */
  async close(): Promise<void> {
    this.closing.abort(new AppError('SHUTTING_DOWN', 'The app is shutting down.'));
    await Promise.allSettled([...this.background]);
  }

  private archivedEntry(serverId: string, drillId: string): DrillReportEntry | null {
    return this.deps.reports.list({ serverId }).find((r) => r.drillId === drillId) ?? null;
  }

  private requireEntry(serverId: string, drillId: string): DrillReportEntry {
    const entry = this.archivedEntry(serverId, drillId);
    if (!entry) throw new AppError('NOT_FOUND', `No archived report ${drillId}.`);
    return entry;
  }

  private requireAgent(serverId: string): InstalledAgent {
    const agent = this.deps.agent.installed(serverId);
    if (!agent) {
      throw new AppError('AGENT_NOT_INSTALLED', 'No agent is installed on this server.');
    }
    return agent;
  }

  /** Drills and config edits run as root on the server, like the agent install. */
  private requireRoot(serverId: string): void {
    const sudo = this.deps.servers.get(serverId).detection?.sudo;
    if (sudo !== 'root' && sudo !== 'passwordless') {
      throw new AppError(
        'NO_SUDO',
        'A drill needs root on the server (log in as root or give the SSH user passwordless sudo), like the agent install.',
      );
    }
  }

  private async openShell(
    serverId: string,
    signal?: AbortSignal,
  ): Promise<{ shell: RemoteShell; close(): void }> {
    const isRoot = this.deps.servers.get(serverId).detection?.sudo === 'root';
    const ssh = await this.deps.servers.open(serverId, signal);
    return { shell: new RemoteShell(ssh, isRoot), close: () => ssh.close() };
  }

  private async bucketHeartbeat(serverId: string): Promise<unknown> {
    try {
      const body = await readBucketObject(
        this.deps.storage,
        serverId,
        bucketLayout.heartbeat(serverId),
      );
      return body ? parseLoose(body.toString('utf8')) : null;
    } catch {
      return null;
    }
  }
}

const SCHEDULER_MESSAGES: Record<DrillSettingsResult['scheduler'], string> = {
  restarted: 'Saved. The agent restarted its scheduler: the new drill schedule applies now.',
  deferred:
    'Saved. The agent is busy (a backup or drill is running); its scheduler restarts with the new schedule as soon as that is done.',
  'not-running':
    'Saved. The agent’s scheduler is not running; the schedule applies when it starts again.',
};

function layoutOf(agent: InstalledAgent): RemoteLayout {
  const root = typeof agent.settings.remoteRoot === 'string' ? agent.settings.remoteRoot : '/';
  return remoteLayout(root);
}

function nodeOf(agent: InstalledAgent): string {
  return typeof agent.settings.nodePath === 'string' ? agent.settings.nodePath : 'node';
}

function agentCommand(agent: InstalledAgent, layout: RemoteLayout): AgentCommand {
  return {
    node: nodeOf(agent),
    bundle: layout.bundlePath,
    config: layout.configPath,
    stateDir: layout.stateDir,
  };
}

function statusCommand(agent: InstalledAgent, layout: RemoteLayout): string {
  return `${shq(nodeOf(agent))} ${shq(layout.bundlePath)} status --config ${shq(layout.configPath)}`;
}

function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
