import { z } from 'zod';
import { AgentScratchEntry } from '../../../shared/agent/restore';
import type { ScratchEnvironment } from '../../../shared/contract';
import { shq } from '../agent-install/remote-shell';
import type { AgentShell } from '../agent-run/remote-agent';
import type { AgentCommand } from '../agent-run/remote-scripts';
import { AppError } from '../app-error';
import type { ScratchRecord, ScratchRepo } from './scratch-repo';

/** The store and SSH access the scratch environments need. */
export interface ScratchEnvironmentsDeps {
  repo: ScratchRepo;
  openShell(serverId: string, signal?: AbortSignal): Promise<{ shell: AgentShell; close(): void }>;
  /** Sweep interval in ms (default 10 min; 0: only the sweep at start). */
  sweepIntervalMs?: number;
  log?: (line: string) => void;
}

const DEFAULT_SWEEP_MS = 10 * 60_000;
/** How long listing waits for a host's `du` before showing the last known size. */
const LIST_TIMEOUT_MS = 10_000;

/**
 * The scratch environments restores leave behind: listed with their size, dropped on request,
 * and removed automatically once they expire — by a sweep when the app starts (which also
 * removes environments a crashed restore left half-made) and then on an interval.
 */
export class ScratchEnvironments {
  /** Environments a running restore job is still creating: the sweep leaves them alone. */
  private readonly active = new Set<string>();
  /** Environments being dropped right now (by the admin or the sweep). */
  private readonly dropping = new Map<string, Promise<ScratchEnvironment>>();
  private readonly timer: NodeJS.Timeout | null;
  private sweeping: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: ScratchEnvironmentsDeps) {
    // Deferred so construction never blocks; at start no restore job runs yet, so every
    // 'creating' row is left over from a crash.
    setImmediate(() => void this.sweepNow());
    const every = deps.sweepIntervalMs ?? DEFAULT_SWEEP_MS;
    this.timer = every > 0 ? setInterval(() => void this.sweepNow(), every) : null;
    // The timer must never keep a CLI or test process alive.
    this.timer?.unref();
  }

  /** A restore job started creating `id`: no sweep may remove it meanwhile. */
  markActive(id: string): void {
    this.active.add(id);
  }

  /** The job that created `id` ended (its row says how). */
  markDone(id: string): void {
    this.active.delete(id);
  }

  /** Environments newest first, sizes refreshed from their hosts when reachable within 10 s. */
  async list(): Promise<ScratchEnvironment[]> {
    const records = this.deps.repo.listed();
    const live = records.filter((r) => r.state === 'running' || r.state === 'failed');
    const byHost = new Map<string, ScratchRecord[]>();
    for (const r of live)
      byHost.set(r.env.hostServerId, [...(byHost.get(r.env.hostServerId) ?? []), r]);
    await Promise.all([...byHost.entries()].map(([hostId, group]) => this.measure(hostId, group)));
    return this.deps.repo.listed().map((r) => r.env);
  }

  /**
   * Stops the cluster, deletes the folder and marks the environment removed. NOT_FOUND for an
   * unknown id, CONFLICT while its restore job still runs; a second drop of the same id joins
   * the first.
   */
  async drop(id: string): Promise<ScratchEnvironment> {
    const record = this.deps.repo.get(id);
    if (!record) {
      throw new AppError('NOT_FOUND', `No scratch environment ${id}.`);
    }
    if (this.active.has(id)) {
      throw new AppError(
        'CONFLICT',
        `Scratch environment ${id} is still being restored: cancel its job instead.`,
      );
    }
    if (record.state === 'removed') return record.env;
    const running = this.dropping.get(id);
    if (running) return running;
    const work = this.dismantle(record).finally(() => this.dropping.delete(id));
    this.dropping.set(id, work);
    return work;
  }

  /** Stops the timer and waits for a sweep in progress. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
    await Promise.allSettled([...this.dropping.values()]);
  }

  private sweepNow(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.sweeping ??= this.sweep().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  /** Removes expired environments and half-made ones no running job owns. */
  private async sweep(): Promise<void> {
    const due = this.deps.repo.due(new Date()).filter((r) => !this.active.has(r.env.id));
    for (const record of due) {
      if (this.closed) return;
      try {
        await this.drop(record.env.id);
        this.deps.log?.(`scratch environment ${record.env.id} removed (expired)`);
      } catch (err) {
        // An unreachable host keeps its environment listed; the next sweep tries again.
        this.deps.log?.(
          `scratch environment ${record.env.id} not removed yet: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
  }

  private async dismantle(record: ScratchRecord): Promise<ScratchEnvironment> {
    const agent = record.host.agent as AgentCommand | undefined;
    if (!agent) {
      throw new AppError(
        'RESTORE_FAILED',
        `Scratch environment ${record.env.id} was made by an older version of Kumiko Recovery; stop its cluster and delete ${record.host.root} on the server by hand.`,
      );
    }
    const { shell, close } = await this.deps.openShell(record.env.hostServerId);
    try {
      // The agent that made it stops its cluster and helpers and deletes its folder.
      await shell.run(
        'drop the scratch environment',
        `${agentLine(agent, ['scratch-drop', '--id', record.env.id])} >/dev/null`,
      );
      if (record.host.configDir) {
        await shell.run('remove the restore config', `rm -rf ${shq(record.host.configDir)}`);
      }
    } finally {
      close();
    }
    const removed: ScratchRecord = {
      ...record,
      state: 'removed',
      env: { ...record.env, state: 'removed', sizeBytes: 0 },
    };
    this.deps.repo.save(removed);
    return removed.env;
  }

  /** Measures the environments of one host; keeps the stored sizes when it cannot be reached. */
  private async measure(hostId: string, group: ScratchRecord[]): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), LIST_TIMEOUT_MS);
    try {
      const { shell, close } = await this.deps.openShell(hostId, controller.signal);
      try {
        const agents = new Map<string, AgentCommand>();
        for (const r of group) if (r.host.agent) agents.set(r.host.agent.config, r.host.agent);
        for (const agent of agents.values()) {
          const out = await shell.run(
            'list scratch environments',
            agentLine(agent, ['scratch-list']),
            {
              signal: controller.signal,
            },
          );
          for (const entry of z.array(AgentScratchEntry).parse(JSON.parse(out.stdout))) {
            if (group.some((r) => r.env.id === entry.id))
              this.deps.repo.setSize(entry.id, entry.sizeBytes);
          }
        }
      } finally {
        close();
      }
    } catch {
      // Unreachable, slow or an unreadable answer: the list shows the last size measured.
    } finally {
      clearTimeout(timer);
    }
  }
}

/** One agent command line (every part quoted). */
function agentLine(agent: AgentCommand, args: string[]): string {
  return [agent.node, agent.bundle, ...args, '--config', agent.config].map(shq).join(' ');
}
