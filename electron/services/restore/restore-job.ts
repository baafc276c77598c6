import crypto from 'node:crypto';
import {
  AgentRestoreResult,
  RESTORE_EXIT_FAILED_CHECKS,
  parseRestoreProgressLine,
  type AgentRestoreSpec,
} from '../../../shared/agent/restore';
import type { AgentPlaceTarget } from '../../../shared/agent/rebuild';
import type { ResolvedRecovery } from '../../../shared/catalog/model';
import type { RestoreRequest, ScratchEnvironment } from '../../../shared/contract';
import type { JobContext } from '../../jobs/runner';
import { runRemoteAgent, tail } from '../agent-run/remote-agent';
import { AppError } from '../app-error';
import type { RestoreHost } from './restore-hosts';
import type { ScratchRecord, ScratchRepo } from './scratch-repo';

const PLAN_STEPS = 3;

/** What the restore job needs; the service assembles it. */
export interface RestoreJobInput {
  job: JobContext;
  request: RestoreRequest;
  /** Hours until the environment is removed; 0 keeps it until dropped. */
  keepHours: number;
  /** The catalog's resolution of the target (resolved while the job connects to the host). */
  resolve(): Promise<ResolvedRecovery>;
  hostServerId: string;
  repo: ScratchRepo;
  /** Connects to the host the environment goes onto, ready to run the agent there. */
  openHost(id: string, signal: AbortSignal): Promise<RestoreHost>;
  /** Called as soon as the environment has an id (the service keeps the sweep off it). */
  onCreated?(id: string): void;
  /** Test hook: between polls of the agent's output. */
  pollMs?: number;
  /** The environment's id when the caller chose it (a rebuild journals it first). */
  scratchId?: string;
  /** Hears the agent's run folder on the host (a rebuild follows it again after a drop). */
  onAgentStarted?(runDir: string): void;
  /**
   * A rebuild: where the verified cluster goes, put in place by the same agent run (null: not
   * in this run). Asked for once the host is ready, so it can be read beside the plan.
   */
  place?(): Promise<AgentPlaceTarget | null>;
  /** Hears what became of `place` (the agent's `placed` or `placeError`). */
  onPlace?(outcome: PlaceOutcome): void;
}

/** What a restore run with a place reported about it. */
export type PlaceOutcome = Pick<AgentRestoreResult, 'placed' | 'placeError'>;

/**
 * The restore job: the app resolves the target on its catalog, then the agent on the host
 * restores it into a new scratch environment and verifies it (`kumiko-agent restore`, the one
 * restore engine: agent/restore/scratch-restore.ts), reporting download, replay, verify and
 * files as progress. A failed check keeps the environment for inspection (state 'failed') and
 * fails the job with RESTORE_FAILED naming the check; a cancel reaches the agent as SIGTERM,
 * and it removes everything it made before the job ends.
 */
export async function runRestoreJob(input: RestoreJobInput): Promise<ScratchEnvironment> {
  const { job, repo } = input;
  const signal = job.signal;
  job.progress('plan', 0, PLAN_STEPS);
  const id = input.scratchId ?? crypto.randomUUID();
  // Reading the catalog and connecting to the host do not depend on each other.
  const [resolution, opened] = await Promise.allSettled([
    input.resolve(),
    input.openHost(id, signal),
  ]);
  if (resolution.status === 'rejected') {
    if (opened.status === 'fulfilled') opened.value.close();
    throw resolution.reason;
  }
  if (opened.status === 'rejected') throw opened.reason;
  const resolved = resolution.value;
  const host = opened.value;
  job.progress('plan', 1, PLAN_STEPS);

  const createdAt = new Date();
  let record: ScratchRecord = {
    state: 'creating',
    host: {
      root: `${host.agent.stateDir}/scratch/${id}`,
      agent: host.agent,
      configDir: host.configDir,
    },
    env: {
      id,
      sourceServerId: input.request.serverId,
      hostServerId: input.hostServerId,
      createdAt: createdAt.toISOString(),
      expiresAt: input.keepHours
        ? new Date(createdAt.getTime() + input.keepHours * 3_600_000).toISOString()
        : null,
      target: input.request.target,
      targetTime: resolved.targetTime,
      baseBackup: resolved.backup.label,
      dataDirectory: `${host.agent.stateDir}/scratch/${id}/data`,
      filesDirectory: null,
      port: 0,
      host: '127.0.0.1',
      sizeBytes: null,
      state: 'running',
      checks: [],
    },
  };
  // Recorded before anything exists on the host: an app that dies mid-restore leaves a row the
  // sweep at the next start cleans up (through the agent's scratch-drop).
  repo.save(record);
  input.onCreated?.(id);
  let provisioned = false;
  /** The cluster became the host's own: the restore's config folder goes with its keys. */
  let placed = false;
  /** True once the agent ran and ended: it removed what it made unless it reported a result. */
  let agentEnded = false;
  try {
    if (host.provision) {
      provisioned = true;
      await host.provision(signal);
    }
    const place = (await input.place?.()) ?? null;
    job.progress('plan', PLAN_STEPS, PLAN_STEPS);
    const backupBytes = resolved.backup.sizeBytes ?? null;
    const spec = { ...specOf(id, input.request, resolved), ...(place ? { place } : {}) };
    const outcome = await runRemoteAgent({
      shell: host.shell,
      agent: host.agent,
      args: ['restore', '--spec', JSON.stringify(spec), '--progress'],
      signal,
      what: 'the restore',
      code: 'RESTORE_FAILED',
      pollMs: input.pollMs,
      onStarted: input.onAgentStarted,
      onLine: progressLines(job, backupBytes),
    });
    if (outcome.exitCode !== 0 && outcome.exitCode !== RESTORE_EXIT_FAILED_CHECKS) {
      // The agent removed what it made before it exited.
      agentEnded = true;
      throw new AppError(
        'RESTORE_FAILED',
        `The restore failed on the server: ${tail(outcome.log.join('\n')) || `exit code ${outcome.exitCode}`}`,
      );
    }
    const result = parseResult(outcome.stdout);
    record = settleRecord(repo, record, result);
    if (place) input.onPlace?.(placeOutcome(result));
    placed = result.placed !== undefined;
    return record.env;
  } catch (err) {
    const cancelled = err instanceof AppError && err.code === 'CANCELLED';
    if (record.state === 'creating') forget(input, host, record, agentEnded || cancelled);
    throw err;
  } finally {
    // The repository keys another host was given do not stay beside its scratch cluster.
    if (provisioned) await host.unprovision?.({ all: placed }).catch(() => undefined);
    host.close();
  }
}

/** The agent's progress lines as the job's progress (the download's total: the backup size). */
export function progressLines(
  job: Pick<JobContext, 'progress'>,
  backupBytes: number | null,
): (line: string) => boolean {
  return (line) => {
    const p = parseRestoreProgressLine(line);
    if (!p || p.phase === 'plan') return p !== null;
    const total = p.total ?? (p.phase === 'download' ? backupBytes : null);
    const done = p.done ?? 0;
    job.progress(p.phase, total !== null ? Math.min(done, total) : done, total);
    return true;
  };
}

/**
 * The agent's result recorded on the environment (running, or failed with the checks that
 * failed). A failed check throws RESTORE_FAILED naming it; the environment stays for a look.
 */
export function settleRecord(
  repo: ScratchRepo,
  before: ScratchRecord,
  result: AgentRestoreResult,
): ScratchRecord {
  const id = before.env.id;
  const checks = result.checks;
  const failed = checks.filter((c) => !c.ok);
  const state = failed.length ? 'failed' : 'running';
  const record: ScratchRecord = {
    ...before,
    ...(result.placed ? { placed: result.placed } : {}),
    state,
    env: {
      ...before.env,
      dataDirectory: result.dataDirectory,
      filesDirectory: result.filesDirectory,
      port: result.port,
      sizeBytes: result.sizeBytes,
      checks,
      state,
    },
  };
  repo.save(record);
  if (failed.length) {
    throw new AppError(
      'RESTORE_FAILED',
      `Verification failed: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}. ` +
        `The scratch environment ${id} is kept for inspection (port ${result.port}, ${result.dataDirectory}); drop it when done.`,
      { scratchId: id, failedChecks: failed.map((c) => c.name) },
    );
  }
  return record;
}

/**
 * A restore that ended before the agent reported an environment. When the agent ended (a
 * failure it cleaned up after, or a cancel it was asked to clean up for) nothing is left on a
 * scratch host and the row goes; otherwise (the link lost, an unreadable result), or on another
 * host whose restore config folder is still there, the row stays `creating` and the sweep asks
 * the agent to drop the environment.
 */
function forget(
  input: RestoreJobInput,
  host: RestoreHost,
  record: ScratchRecord,
  agentCleanedUp: boolean,
): void {
  if (agentCleanedUp && !host.configDir) input.repo.delete(record.env.id);
}

/** What the agent restores: the catalog's resolution, and what it is checked against. */
export function specOf(
  id: string,
  request: RestoreRequest,
  resolved: ResolvedRecovery,
): AgentRestoreSpec {
  const t = request.target;
  return {
    id,
    restore: {
      type: resolved.pgbackrestType,
      backupLabel: resolved.backup.label,
      targetTime: resolved.targetTime,
      timeline: resolved.timeline,
    },
    check:
      t.kind === 'time'
        ? { kind: 'time', time: resolved.targetTime ?? t.time }
        : t.kind === 'point'
          ? { kind: 'point', label: t.label }
          : { kind: 'latest' },
    filesFrom: resolved.attachedFiles?.label ?? null,
    walSegments: resolved.wal.segments,
    lsnStart: resolved.backup.lsnStart ?? null,
    backupBytes: resolved.backup.sizeBytes ?? null,
  };
}

/** The place part of a result, without keys that are absent. */
export function placeOutcome(result: AgentRestoreResult): PlaceOutcome {
  return {
    ...(result.placed ? { placed: result.placed } : {}),
    ...(result.placeError !== undefined ? { placeError: result.placeError } : {}),
  };
}

export function parseResult(stdout: string): AgentRestoreResult {
  try {
    const lines = stdout.trim().split('\n');
    const start = lines.findIndex((l) => l.startsWith('{'));
    return AgentRestoreResult.parse(JSON.parse(lines.slice(Math.max(0, start)).join('\n')));
  } catch {
    throw new AppError(
      'RESTORE_FAILED',
      'The agent ended the restore without a readable result; the scratch environment may remain on the server (it is removed by the next sweep).',
    );
  }
}
