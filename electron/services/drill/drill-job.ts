import { DRILL_EXIT_FAILED_CHECKS, DrillRunSummary } from '../../../shared/agent/drill';
import type { DrillReportEntry, DrillSyncResult } from '../../../shared/contract';
import type { JobContext } from '../../jobs/runner';
import { AppError } from '../app-error';
import { runRemoteDrill, type DrillShell } from './remote-drill';
import type { AgentCommand } from '../agent-run/remote-scripts';

/** What the drill job needs; the service assembles it. */
export interface DrillJobInput {
  job: JobContext;
  agent: AgentCommand;
  openShell(signal: AbortSignal): Promise<{ shell: DrillShell; close(): void }>;
  /** Collects reports from the bucket into the archive (drill.sync). */
  sync(signal: AbortSignal): Promise<DrillSyncResult>;
  /** The archived entry of a drill, once synced. */
  archived(drillId: string): DrillReportEntry | null;
  /** Titles of a report's checks by id, for a readable failure message. */
  /**
   * What each failed check found (its detail: "3 of 40 tables differ from manifest …"), by
   * check id, from the archived report: a failure is named by what failed, not by the title
   * the check has when it passes.
   */
  checkFindings(entry: DrillReportEntry): Promise<Map<string, string>>;
  /** Test hook: between polls of the agent's output. */
  pollMs?: number;
}

/**
 * The drill job: the agent restores, verifies, cleans up and uploads its signed report
 * (phases prepare … report, relayed from its progress lines), then the app fetches the
 * report from the bucket, verifies it against the pinned agent key and archives it
 * (`archive`). A drill whose checks failed still has its report archived; the job then fails
 * with DRILL_FAILED naming the checks.
 */
export async function runDrillJob(input: DrillJobInput): Promise<DrillReportEntry> {
  const { job } = input;
  job.progress('prepare', 0, null);
  const { shell, close } = await input.openShell(job.signal);
  let outcome;
  try {
    outcome = await runRemoteDrill({
      shell,
      agent: input.agent,
      signal: job.signal,
      pollMs: input.pollMs,
      onProgress: (p) => job.progress(p.phase, p.done ?? 0, p.total ?? null),
    });
  } finally {
    close();
  }
  const summary = parseSummary(outcome.exitCode, outcome.stdout, outcome.log);

  job.progress('archive', 0, 1);
  const synced = await input.sync(job.signal);
  const entry = input.archived(summary.drillId);
  if (!entry) {
    const refused = synced.refused.find((r) => r.drillId === summary.drillId);
    throw refused
      ? new AppError(
          'REPORT_UNVERIFIED',
          `The drill's report ${summary.drillId} did not verify and was not archived: ${refused.message}`,
          { drillId: summary.drillId, problems: refused.problems },
        )
      : new AppError(
          'DRILL_FAILED',
          `The drill's report ${summary.drillId} is not (completely) in the bucket yet; it is archived on a later sync.`,
          { drillId: summary.drillId },
        );
  }
  job.progress('archive', 1, 1);
  if (!summary.passed) {
    const findings = await input.checkFindings(entry).catch(() => new Map<string, string>());
    throw new AppError(
      'DRILL_FAILED',
      `The drill failed: ${failureText(summary.failedChecks, findings)}. Its report ${summary.drillId} is archived with the evidence.`,
      { drillId: summary.drillId, failedChecks: summary.failedChecks },
    );
  }
  return entry;
}

const MAX_FINDING = 300;

/** The failed checks as what they found ("3 of 40 tables differ …; pg_amcheck …"). */
export function failureText(
  failedChecks: readonly string[],
  findings: Map<string, string>,
): string {
  const named = failedChecks.map((id) => {
    const found = findings.get(id)?.trim().replace(/\.$/, '');
    if (!found) return `check ${id} failed`;
    return found.length > MAX_FINDING ? `${found.slice(0, MAX_FINDING - 1)}…` : found;
  });
  return named.join('; ') || 'a check failed without saying which';
}

/**
 * The agent's summary on stdout: exit 0 (passed) or 5 (a check failed) come with one; any
 * other exit means no report, and the agent said why on stderr (redacted by the agent).
 */
export function parseSummary(exitCode: number, stdout: string, log: string[]): DrillRunSummary {
  if (exitCode !== 0 && exitCode !== DRILL_EXIT_FAILED_CHECKS) {
    const reason = log.slice(-6).join('\n').trim() || `exit code ${exitCode}`;
    throw new AppError('DRILL_FAILED', `The drill could not run on the server: ${reason}`, {
      exitCode,
    });
  }
  try {
    const lines = stdout.trim().split('\n');
    // The summary is the last JSON document; anything before it is not ours to interpret.
    const start = lines.findIndex((l) => l.startsWith('{'));
    return DrillRunSummary.parse(JSON.parse(lines.slice(Math.max(0, start)).join('\n')));
  } catch {
    throw new AppError('DRILL_FAILED', 'The agent ended the drill without a readable summary.', {
      exitCode,
    });
  }
}
