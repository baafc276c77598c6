import {
  AgentProductionOutcome,
  parseProductionProgressLine,
  type AgentProductionSpec,
  type ProductionProgress,
} from '../../../shared/agent/restore';
import type { ResolvedRecovery } from '../../../shared/catalog/model';
import type {
  ProductionRestoreRequest,
  ProductionRestoreResult,
  SafetySnapshot,
} from '../../../shared/contract';
import type { JobContext } from '../../jobs/runner';
import { runRemoteAgent, tail } from '../agent-run/remote-agent';
import { AppError } from '../app-error';
import { pauseAgent, resumeAgent, type AgentRun } from './production-agent';
import { EstimateTicker } from './production-progress';
import type { RestoreHost } from './restore-hosts';
import { specOf } from './restore-job';

/** What the job needs; the restore service assembles it after the admin's name was checked. */
export interface ProductionJobInput {
  job: JobContext;
  request: ProductionRestoreRequest;
  /** The catalog's resolution of the target, made (on a fresh listing) when the job was started. */
  resolved: ResolvedRecovery;
  /** The plan's estimates of the steps that report no progress of their own (seconds). */
  estimates: { safetySnapshot: number; restore: number };
  agent: AgentRun;
  /** Connects to the server, ready to run its agent. */
  openHost(signal: AbortSignal): Promise<RestoreHost>;
  /** How to undo with the safety snapshot, in words for the admin. */
  undoHint(safety: SafetySnapshot): string;
  /** Test hook: between polls of the agent's output. */
  pollMs?: number;
}

/** What a failure after the stop leaves behind, for its message. */
const LEFT_BEHIND: Record<Extract<AgentProductionOutcome, { ok: false }>['stage'], string> = {
  restore:
    'PostgreSQL is stopped and its data directory is only partly restored: do not start it as it is.',
  replay: 'PostgreSQL is stopped; its data directory holds an unfinished recovery.',
  verify: 'PostgreSQL is stopped, so no application writes to a cluster that failed verification.',
  'start-capture':
    'The restored cluster was verified, but PostgreSQL may not be running as before: check it on the server.',
  capture:
    'Production runs restored and verified, but capture could not be confirmed: check the agent and pg_stat_archiver on the server.',
};

const HELD =
  'Production is being restored (a safety snapshot was taken first). Cancelling now would leave a half-restored data directory, so the restore runs to its end; restoring the safety snapshot undoes it.';

/**
 * Restore over production: the app pauses the agent's scheduler, the agent restores its own
 * cluster (`kumiko-agent restore-production`: safety snapshot, stop, `pgbackrest restore
 * --delta`, private start and replay, verify, start as it ran, new timeline archived: the one
 * restore engine, agent/restore/production-restore.ts), then the scheduler runs again. Cancel
 * is honoured until the agent stops PostgreSQL; from then on it is refused. Every failure after
 * the stop names the safety snapshot that undoes the restore.
 */
export async function runProductionRestore(
  input: ProductionJobInput,
): Promise<ProductionRestoreResult> {
  const { job, request, resolved } = input;
  job.progress('plan', 0, 2);
  const host = await input.openHost(job.signal);
  const ticker = new EstimateTicker(job);
  try {
    job.progress('plan', 1, 2);
    const paused = await pauseAgent(host.shell, input.agent);
    try {
      const spec = productionSpec(request, resolved);
      const outcome = await runRemoteAgent({
        shell: host.shell,
        agent: host.agent,
        args: ['restore-production', '--spec', JSON.stringify(spec), '--progress'],
        signal: job.signal,
        what: 'the restore over production',
        code: 'RESTORE_FAILED',
        pollMs: input.pollMs,
        // Once PostgreSQL is being stopped the agent finishes whatever a cancel says: wait for it.
        stopWaitSeconds: 12 * 3600,
        resultAfterStop: true,
        onLine: (line) => {
          const p = parseProductionProgressLine(line);
          if (p) onProgress(input, ticker, p);
          return p !== null;
        },
      });
      return resultOf(input, outcome);
    } finally {
      ticker.stop();
      // Best effort on failure: the agent's heartbeats then report the state production is in.
      if (paused) await resumeAgent(host.shell, input.agent).catch(() => undefined);
    }
  } finally {
    job.holdCancel?.(null);
    host.close();
  }
}

function onProgress(
  input: ProductionJobInput,
  ticker: EstimateTicker,
  p: ProductionProgress,
): void {
  const { job } = input;
  // The agent stops PostgreSQL next: from here a cancel would leave a half-restored directory.
  if (p.phase === 'stop' && p.done === 0) job.holdCancel?.(HELD);
  if (p.phase === 'safety-snapshot') return ticker.start(p.phase, input.estimates.safetySnapshot);
  if (p.phase === 'restore') return ticker.start(p.phase, input.estimates.restore);
  ticker.stop();
  job.progress(p.phase, p.done ?? 0, p.total ?? null);
}

/** The spec of a restore over production: the scratch restore's, without environment or files. */
function productionSpec(
  request: ProductionRestoreRequest,
  resolved: ResolvedRecovery,
): AgentProductionSpec {
  // The free-space check's backupBytes is the scratch restore's: restore-production's spec is
  // strict and refuses it (every restore over production failed with "Unrecognized key").
  const {
    id: _id,
    filesFrom: _files,
    backupBytes: _bytes,
    ...spec
  } = specOf(
    '00000000-0000-0000-0000-000000000000',
    { serverId: request.serverId, target: request.target, destination: { kind: 'scratch' } },
    resolved,
  );
  return spec;
}

function resultOf(
  input: ProductionJobInput,
  run: { exitCode: number; stdout: string; log: string[] },
): ProductionRestoreResult {
  const { request, resolved, job } = input;
  const outcome = parseOutcome(run.stdout);
  if (!outcome) {
    // No safety snapshot yet (or the agent was stopped before it touched anything).
    if (job.signal.aborted)
      throw new AppError('CANCELLED', 'Cancelled: production was not touched.');
    throw new AppError(
      'RESTORE_FAILED',
      `The restore over production did not start: ${tail(run.log.join('\n')) || `exit code ${run.exitCode}`}. Production was not touched.`,
    );
  }
  const safety: SafetySnapshot = outcome.safetySnapshot;
  if (!outcome.ok) {
    throw new AppError(
      'RESTORE_FAILED',
      `Restore over production failed while "${outcome.stage}": ${outcome.error} ${LEFT_BEHIND[outcome.stage]} ` +
        `The safety snapshot ${safety.label} (consistent at ${safety.at}) holds production as it was: ${input.undoHint(safety)}`,
      { stage: outcome.stage, safetySnapshot: safety.label },
    );
  }
  return {
    serverId: request.serverId,
    target: request.target,
    targetTime: resolved.targetTime,
    baseBackup: resolved.backup.label,
    safetySnapshot: safety,
    timeline: outcome.timeline,
    dataDirectory: outcome.dataDirectory,
    port: outcome.port,
    stoppedAt: outcome.stoppedAt,
    startedAt: outcome.startedAt,
    checks: outcome.checks,
  };
}

function parseOutcome(stdout: string): AgentProductionOutcome | null {
  try {
    const lines = stdout.trim().split('\n');
    const start = lines.findIndex((l) => l.startsWith('{'));
    if (start < 0) return null;
    return AgentProductionOutcome.parse(JSON.parse(lines.slice(start).join('\n')));
  } catch {
    return null;
  }
}
