import type { DrillProgress, DrillRunSummary } from '../../shared/agent/drill';
import { decidesDrill, type DrillResult } from '../../shared/report/drill-result';
import { openBucket, type Bucket } from '../engines/s3';
import type { AgentContext } from '../runtime/context';
import { AgentError, errorMessage, step } from '../runtime/errors';
import { acquirePidLock } from '../runtime/pid';
import { readState, updateState } from '../runtime/state';
import { REPOSITORY_LOCK_HOLDERS } from '../runtime/state-paths';
import { withBucketProtection } from './bucket-protection-check';
import { drillExitCode, drillSummary } from './checks';
import { practiseRestore } from './practise';
import { progressReporter } from './progress';
import { previousReport, publishReport } from './report';

/** Options for {@link runDrill}. */
export interface DrillOptions {
  /** Hears every progress step (`--progress` prints them on stderr). */
  onProgress?: (progress: DrillProgress) => void;
}

/** A drill that got as far as its report: the summary and the command's exit code. */
export interface DrillOutcome {
  summary: DrillRunSummary;
  /** 0 passed, DRILL_EXIT_FAILED_CHECKS (5) when a check failed. */
  exitCode: number;
}

/**
 * `kumiko-agent drill`: the practiced restore (issue 5). Holds the repository lock the whole
 * time (no snapshot or retention changes the repository under it), restores the latest recovery
 * point into a throwaway environment, verifies it, removes the environment, and uploads a
 * signed report chained to the previous one. A failed check still gives a report; state.json
 * remembers the drill for the next report's chain and for the heartbeat.
 * @throws AgentError when no report could be written (busy, nothing to restore, bucket down).
 */
export async function runDrill(
  ctx: AgentContext,
  options: DrillOptions = {},
): Promise<DrillOutcome> {
  const lock = acquirePidLock(ctx.paths.repositoryLock, REPOSITORY_LOCK_HOLDERS);
  const startedAt = ctx.now();
  const progress = progressReporter(ctx.log, options.onProgress);
  let opened: Bucket | undefined;
  try {
    const bucket = openBucket(ctx.config.s3);
    opened = bucket;
    const practised = await practiseRestore(ctx, bucket, startedAt, progress);
    progress('repository', "checking whether the agent's bucket key can destroy backups");
    const { result, evidence } = await withBucketProtection(ctx, practised);
    progress('report', 'signing and uploading the report');
    const previous = await step('report', () =>
      previousReport(readState(ctx.paths.state), bucket, ctx.config.serverId),
    );
    const published = await step('report', () =>
      publishReport(ctx.config, bucket, result, evidence, previous),
    );
    const summary = drillSummary(result, published.bundlePrefix, published.manifestSha256);
    updateState(ctx.paths.state, (s) => ({
      ...s,
      lastDrill: {
        drillId: result.drillId,
        startedAt: result.startedAt,
        at: result.finishedAt,
        passed: result.passed,
        failedChecks: summary.failedChecks,
        backupLabel: result.restored.backupLabel,
        failure: firstFailure(result),
        manifestSha256: published.manifestSha256,
        sequence: published.sequence,
      },
      lastDrillAttempt: { at: result.startedAt, ok: true, error: null },
    }));
    ctx.log.info(
      `drill: ${result.drillId} ${result.passed ? 'passed' : `failed (${summary.failedChecks.join(', ')})`}; ` +
        `RTO ${result.rtoSeconds ?? '-'} s, RPO ${result.rpoSeconds} s; report ${published.bundlePrefix}`,
    );
    return { summary, exitCode: drillExitCode(summary) };
  } catch (caught) {
    // Stopped (SIGTERM, the app's cancel): the checks run side by side, and whichever noticed
    // first may only say its connection closed; the drill says plainly that it was aborted.
    const error =
      ctx.signal?.aborted && !/\baborted\b/.test(errorMessage(caught))
        ? new AgentError(
            caught instanceof AgentError ? caught.step : 'drill',
            `aborted (${errorMessage(caught)})`,
          )
        : caught;
    const message =
      error instanceof AgentError ? `${error.step}: ${error.message}` : errorMessage(error);
    updateState(ctx.paths.state, (s) => ({
      ...s,
      lastDrillAttempt: { at: startedAt.toISOString(), ok: false, error: message },
    }));
    throw error;
  } finally {
    opened?.close();
    lock.release();
  }
}

/** Longest `failure` line kept in state (it goes into alerts and the heartbeat). */
const FAILURE_LINE_MAX = 300;

/** The first failed check and its detail on one line, for alerts; null when the drill passed. */
function firstFailure(result: DrillResult): string | null {
  const check = result.checks.find((c) => !c.passed && decidesDrill(c));
  if (!check) return null;
  const line = `${check.id}: ${check.detail.replace(/\s+/g, ' ').trim()}`;
  return line.length > FAILURE_LINE_MAX ? `${line.slice(0, FAILURE_LINE_MAX - 1)}…` : line;
}
