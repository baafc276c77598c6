import { createAuditDrainer } from '../audit/drain-loop';
import { pruneAuditTrails } from '../audit/prune-all';
import { applyRetention } from '../retention/retention';
import { makeContext, type AgentContext } from '../runtime/context';
import { AgentError, EXIT, errorMessage } from '../runtime/errors';
import type { Logger } from '../runtime/log';
import { acquirePidLock } from '../runtime/pid';
import { readState, updateState } from '../runtime/state';
import { runDrill } from '../drill/drill';
import { runHeartbeat } from '../heartbeat/heartbeat';
import { takeSnapshot } from '../snapshot/snapshot';
import type { AgentConfig } from '../../shared/agent/config';
import { nextDrillAt, nextRetentionAt, nextSnapshotAt } from './next-run';
import { writeSchedulerState } from './scheduler-state';

/** How long a stopping daemon waits for its running jobs to wind down. */
const STOP_GRACE_MS = 60_000;
/** A busy repository (a snapshot started by hand) is retried this much later. */
const BUSY_RETRY_MS = 60_000;

/**
 * The scheduler loop: heartbeat every heartbeatIntervalSeconds, snapshot daily at snapshotAt
 * (server-local) or every snapshotIntervalSeconds, retention every retentionIntervalSeconds,
 * a drill every drill.intervalSeconds (0 = never).
 *
 * Two lanes: snapshot, drill and retention share one (each needs the repository to itself, so
 * one at a time, a snapshot first when both are due); heartbeats have their own, so monitoring
 * and alerts keep going during a backup or drill that takes an hour.
 *
 * SIGTERM/SIGINT abort the running jobs (each tool gets its stop signal, restic SIGINT, and
 * cleans up), wait for them and exit 0. Resolves with the exit code.
 */
export async function runDaemon(config: AgentConfig, log: Logger): Promise<number> {
  const controller = new AbortController();
  const ctx = makeContext(config, log, { signal: controller.signal });
  const lock = acquirePidLock(ctx.paths.daemonLock, 'the agent daemon');
  const mode = process.env.INVOCATION_ID ? 'systemd' : 'daemon';
  const startedAt = new Date();
  const state = readState(ctx.paths.state);
  const attempt = state.lastRecoveryPointAttempt;
  let nextSnapshot = nextSnapshotAt(
    config.schedule,
    attempt ? { at: new Date(attempt.at), ok: attempt.ok } : null,
    startedAt,
  );
  let nextRetention = nextRetentionAt(
    config.schedule,
    state.lastRetention ? new Date(state.lastRetention.at) : null,
    startedAt,
  );
  const drillsSince = drillScheduleSince(ctx, startedAt);
  const drillDue = (): Date | null => {
    const last = readState(ctx.paths.state).lastDrillAttempt;
    return nextDrillAt(
      config.drill.intervalSeconds,
      last ? { at: new Date(last.at), ok: last.ok } : null,
      drillsSince,
    );
  };
  let nextDrill = drillDue();
  let nextHeartbeat = startedAt;
  let heartbeatLane: Promise<void> | null = null;
  let repositoryLane: Promise<void> | null = null;
  // The audit trail's versions into its history, about once a second (its own lane: a
  // snapshot or a drill running beside must not hold the history back).
  let drainLane: Promise<void> | null = null;
  const drainAudit = createAuditDrainer(ctx);
  let stopping = false;

  const saveSchedule = (): void => {
    try {
      writeSchedulerState(ctx.paths.scheduler, {
        mode,
        pid: process.pid,
        startedAt: startedAt.toISOString(),
        nextSnapshotAt: nextSnapshot.toISOString(),
        nextRetentionAt: nextRetention.toISOString(),
        nextHeartbeatAt: nextHeartbeat.toISOString(),
        nextDrillAt: nextDrill?.toISOString() ?? null,
      });
    } catch (error) {
      log.warn(`could not write the schedule: ${errorMessage(error)}`);
    }
  };

  const tick = (): void => {
    if (stopping) return;
    const now = new Date();
    if (!drainLane) {
      drainLane = drainAudit().finally(() => {
        drainLane = null;
      });
    }
    if (!heartbeatLane && now >= nextHeartbeat) {
      nextHeartbeat = new Date(now.getTime() + config.schedule.heartbeatIntervalSeconds * 1000);
      heartbeatLane = job(ctx, 'heartbeat', async () => {
        const run = await runHeartbeat(ctx);
        return run.problems.length ? `with problems: ${run.problems.join('; ')}` : 'ok';
      })
        .then(() => undefined)
        .finally(() => {
          heartbeatLane = null;
        });
      saveSchedule();
    }
    if (!repositoryLane && now >= nextSnapshot) {
      repositoryLane = job(ctx, 'snapshot', async () => {
        const r = await takeSnapshot(ctx);
        return `${r.label} (${r.type}, ${r.tier})`;
      })
        .then((outcome) => {
          nextSnapshot =
            outcome === 'busy'
              ? new Date(Date.now() + BUSY_RETRY_MS)
              : nextSnapshotAt(config.schedule, { at: now, ok: outcome === 'ok' }, new Date());
        })
        .finally(() => {
          repositoryLane = null;
          saveSchedule();
        });
    } else if (!repositoryLane && nextDrill && now >= nextDrill) {
      repositoryLane = job(ctx, 'drill', async () => {
        const { summary } = await runDrill(ctx);
        return summary.passed
          ? `${summary.drillId} passed`
          : `${summary.drillId} failed (${summary.failedChecks.join(', ')})`;
      })
        .then((outcome) => {
          nextDrill = outcome === 'busy' ? new Date(Date.now() + BUSY_RETRY_MS) : drillDue();
          // A failed (or newly passing) drill opens (or resolves) its incident at once, not
          // up to a heartbeat interval later.
          if (outcome !== 'busy') nextHeartbeat = new Date();
        })
        .finally(() => {
          repositoryLane = null;
          saveSchedule();
        });
    } else if (!repositoryLane && now >= nextRetention) {
      repositoryLane = job(
        ctx,
        'retention',
        async () => `${(await applyRetention(ctx)).message}; ${await pruneAuditTrails(ctx)}`,
      )
        .then((outcome) => {
          nextRetention =
            outcome === 'busy'
              ? new Date(Date.now() + BUSY_RETRY_MS)
              : nextRetentionAt(config.schedule, now, startedAt);
        })
        .finally(() => {
          repositoryLane = null;
          saveSchedule();
        });
    }
  };

  saveSchedule();
  log.info(
    `daemon started (pid ${process.pid}, ${mode}); next snapshot ${nextSnapshot.toISOString()}, ` +
      `next drill ${nextDrill?.toISOString() ?? 'never'}`,
  );
  const timer = setInterval(tick, 1_000);
  tick();

  const exitCode = await new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      log.info(`daemon stopping (${signal})`);
      clearInterval(timer);
      controller.abort();
      const running = [heartbeatLane, repositoryLane, drainLane].filter(
        (p): p is Promise<void> => p !== null,
      );
      const grace = new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref());
      void Promise.race([Promise.allSettled(running), grace]).then(() => resolve(EXIT.ok));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  lock.release();
  log.info('daemon stopped');
  return exitCode;
}

/**
 * When the daemon first scheduled drills, kept in state: the first drill is due one interval
 * later, however often the daemon restarts before then.
 */
function drillScheduleSince(ctx: AgentContext, now: Date): Date {
  const state = readState(ctx.paths.state);
  if (state.drillScheduleSince) return new Date(state.drillScheduleSince);
  try {
    updateState(ctx.paths.state, (s) => ({
      ...s,
      drillScheduleSince: s.drillScheduleSince ?? now.toISOString(),
    }));
  } catch (error) {
    ctx.log.warn(`could not record the drill schedule: ${errorMessage(error)}`);
  }
  return now;
}

/** Runs one job, logs how it went; resolves 'ok', 'failed' or 'busy' (never rejects). */
async function job(
  ctx: AgentContext,
  name: string,
  work: () => Promise<string>,
): Promise<'ok' | 'failed' | 'busy'> {
  const t0 = Date.now();
  try {
    const outcome = await work();
    ctx.log.info(`${name}: ${outcome} (${Math.round((Date.now() - t0) / 100) / 10} s)`);
    return 'ok';
  } catch (error) {
    if (error instanceof AgentError && error.exitCode === EXIT.busy) {
      ctx.log.warn(`${name}: skipped, ${error.message}`);
      return 'busy';
    }
    const where = error instanceof AgentError ? `${error.step}: ` : '';
    ctx.log.error(`${name} failed: ${where}${errorMessage(error)}`);
    return 'failed';
  }
}
