import { EXIT_BUSY_AGENT, EXIT_FILES_MISSING } from './agent-exit';
import { AgentSnapshotResult, parsePointProgressLine } from '../../../shared/agent/point';
import type { Catalog, PointCreateResult } from '../../../shared/contract';
import type { JobContext } from '../../jobs/runner';
import { runRemoteAgent, tail, type AgentShell } from '../agent-run/remote-agent';
import type { AgentCommand } from '../agent-run/remote-scripts';
import { AppError } from '../app-error';

/** What the point job needs; the service assembles it. */
export interface PointJobInput {
  job: JobContext;
  serverId: string;
  serverName: string;
  agent: AgentCommand;
  note: string | undefined;
  /** Rebuild restic's index first (`snapshot --heal`). */
  heal?: boolean;
  openShell(signal: AbortSignal): Promise<{ shell: AgentShell; close(): void }>;
  /** The app's catalog of the server, brought up to date from the bucket. */
  catalog(): Promise<Catalog>;
  /** Test hook: between polls of the agent's output. */
  pollMs?: number;
}

/** How often the catalog is read again when the new point is not in it yet, and how long. */
const CATALOG_TRIES = 3;
const CATALOG_RETRY_MS = 1_000;

/**
 * The point job: the agent takes a recovery point (`kumiko-agent snapshot --progress [--note]`,
 * the same code as its daily one: pgBackRest backup, restic, signed manifest), its steps relayed
 * as progress; then the app reads its catalog until the new point is listed, so the timeline
 * shows it when the job ends. A busy repository fails the job with AGENT_BUSY (nothing was
 * started); a cancel stops the agent's tools (SIGTERM); an app that shuts down leaves the point
 * to finish on the server.
 */
export async function runPointJob(input: PointJobInput): Promise<PointCreateResult> {
  const { job } = input;
  // The phase stays the runner's `starting` until the agent holds its repository lock and
  // reports its first step (the CLI without --wait returns then).
  const { shell, close } = await input.openShell(job.signal);
  let outcome;
  try {
    outcome = await runRemoteAgent({
      shell,
      agent: input.agent,
      args: [
        'snapshot',
        '--progress',
        ...(input.heal ? ['--heal'] : []),
        ...(input.note !== undefined ? ['--note', input.note] : []),
      ],
      signal: job.signal,
      what: 'the recovery point',
      code: 'POINT_FAILED',
      pollMs: input.pollMs,
      keepRunningOnShutdown: true,
      onLine: (line) => {
        const p = parsePointProgressLine(line);
        if (p) job.progress(p.phase, p.done ?? 0, p.total ?? null);
        return p !== null;
      },
    });
  } finally {
    close();
  }
  const point = parseOutcome(outcome.exitCode, outcome.stdout, outcome.log, input.serverName);

  job.progress('catalog', 0, 1);
  const inCatalog = await waitForCatalog(input, point.label);
  job.progress('catalog', 1, 1);
  return {
    serverId: input.serverId,
    label: point.label,
    at: point.at,
    type: point.type,
    note: point.note ?? null,
    manifestKey: point.manifestKey,
    sha256: point.sha256,
    seconds: point.seconds,
    inCatalog,
  };
}

/** The agent's result; a busy repository and a failed step become errors that say so. */
export function parseOutcome(
  exitCode: number,
  stdout: string,
  log: readonly string[],
  serverName: string,
): AgentSnapshotResult {
  const reason = tail(log.join('\n'));
  if (exitCode === EXIT_BUSY_AGENT) {
    throw new AppError(
      'AGENT_BUSY',
      `A snapshot, retention run or drill is running on ${serverName} right now, so no recovery point was started. ` +
        'Try again when it has finished (a running snapshot may already be the point you want).',
      { agent: reason },
    );
  }
  if (exitCode === EXIT_FILES_MISSING) {
    throw new AppError(
      'POINT_FILES_MISSING',
      `The recovery point's attached files on ${serverName} depend on data that is gone from the bucket, so the point does not count (its database backup is intact): ${reason || 'the check after restic failed'}. ` +
        'Heal it: Kumiko rebuilds restic’s index, so the next backup uploads the data again, and takes a new point.',
      { exitCode },
    );
  }
  if (exitCode !== 0) {
    throw new AppError(
      'POINT_FAILED',
      `The agent could not take the recovery point: ${reason || `exit code ${exitCode}`}. ` +
        'Nothing restorable was lost; look at the step named here, then try again.',
      { exitCode },
    );
  }
  try {
    const lines = stdout.trim().split('\n');
    const start = lines.findIndex((l) => l.startsWith('{'));
    return AgentSnapshotResult.parse(JSON.parse(lines.slice(Math.max(0, start)).join('\n')));
  } catch {
    throw new AppError(
      'POINT_FAILED',
      'The agent ended without a readable result. Open the timeline and refresh: the point shows there if it was taken.',
    );
  }
}

async function waitForCatalog(input: PointJobInput, label: string): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const catalog = await input.catalog().catch(() => null);
    if (catalog?.backups.some((b) => b.label === label && b.manifest)) return true;
    if (attempt >= CATALOG_TRIES || input.job.signal.aborted) return false;
    await new Promise((r) => setTimeout(r, CATALOG_RETRY_MS));
  }
}
