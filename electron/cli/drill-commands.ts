import type {
  DrillOverview,
  DrillReportEntry,
  DrillSyncResult,
  Job,
  Result,
} from '../../shared/contract';
import { formatSeconds } from '../../shared/report/i18n';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { DRILL_SETTINGS_USAGE, drillSettings } from './drill-settings';
import { EXIT, jobFailure, printResult, usageError } from './output';

const USAGE = `usage: kumiko drill run --server <id> [--json]    restore drill on the server's agent, signed report
       kumiko drill list --server <id> [--json]   drill history, next scheduled drill, settings
       kumiko drill sync --server <id> [--json]   archive reports the agent ran on its own
${DRILL_SETTINGS_USAGE}`;

/** `kumiko drill run|list|sync|settings`. */
export async function drillCommand(core: AppCore, args: ParsedArgs, json: boolean) {
  const [, verb] = args.positionals;
  const serverId = flagString(args, 'server');
  if (!['run', 'list', 'sync', 'settings'].includes(verb ?? '')) {
    throw usageError('Name what to do: run, list, sync or settings.', USAGE);
  }
  if (!serverId) throw usageError('--server <id> is required.', USAGE);
  if (verb === 'run') return runDrill(core, serverId, json);
  if (verb === 'settings') return drillSettings(core, serverId, args, json);
  if (verb === 'sync') {
    const synced = (await core.dispatch('drill.sync', { serverId })) as Result<DrillSyncResult>;
    if (!synced.ok) return printResult(synced, json);
    if (json && synced.value.refused.length) {
      // Same exit as without --json (1): a report in the bucket that does not verify.
      const ids = synced.value.refused.map((r) => r.drillId).join(', ');
      return printResult(
        {
          ok: false,
          error: {
            code: 'REPORT_UNVERIFIED',
            message: `${synced.value.refused.length} drill report(s) in the bucket do not verify and were not archived (${ids}); ${synced.value.imported} archived. Look at the refused reports' problems before trusting that server's drills.`,
            details: synced.value,
          },
        },
        true,
      );
    }
    if (json) return printResult(synced, true);
    process.stdout.write(formatSync(synced.value));
    return synced.value.refused.length ? EXIT.failed : EXIT.ok;
  }
  const overview = (await core.dispatch('drill.overview', { serverId })) as Result<DrillOverview>;
  if (json || !overview.ok) return printResult(overview, json);
  process.stdout.write(formatOverview(overview.value));
  return EXIT.ok;
}

/** Starts the drill job, shows its phases on stderr, prints the archived report's summary. */
async function runDrill(core: AppCore, serverId: string, json: boolean): Promise<number> {
  const started = await core.dispatch('drill.start', { serverId });
  if (!started.ok) return printResult(started, json);
  const jobId = (started.value as { jobId: string }).jobId;
  let lastLine = '';
  const stop = core.onEvent((name, payload) => {
    const job = payload as Job;
    if (name !== 'job.progress' || job.id !== jobId) return;
    const line = progressLine(job);
    // One line per phase and per tenth of it: readable in a terminal and in a log file.
    if (line !== lastLine) process.stderr.write(`${line}\n`);
    lastLine = line;
  });
  const onInterrupt = () => void core.dispatch('jobs.cancel', { id: jobId });
  process.once('SIGINT', onInterrupt);
  let job: Job;
  try {
    job = await core.jobs.wait(jobId);
  } finally {
    stop();
    process.off('SIGINT', onInterrupt);
  }
  if (job.state !== 'succeeded') {
    const failed = printResult(jobFailure(job), json);
    // A failed drill still archived its report: point at it.
    const latest = (await core.dispatch('reports.list', { serverId })) as Result<
      DrillReportEntry[]
    >;
    const newest = latest.ok ? latest.value[0] : undefined;
    if (!json && newest && Date.parse(newest.archivedAt) >= Date.parse(job.createdAt)) {
      process.stderr.write(formatEntry(newest));
    }
    return failed;
  }
  const entry = job.result as DrillReportEntry;
  if (json) return printResult({ ok: true, value: entry }, true);
  process.stdout.write(formatEntry(entry));
  return EXIT.ok;
}

function progressLine(job: Job): string {
  const tenth = job.total ? Math.floor((job.done / job.total) * 10) * 10 : null;
  const share = tenth !== null ? ` ${tenth}%` : '';
  const eta = job.etaSeconds !== null ? `, ~${job.etaSeconds} s left` : '';
  return `  ${job.phase ?? ''}${share}${eta}`;
}

const seconds = (value: number | null) => (value === null ? '–' : formatSeconds(value));

/** "every 91 days": the largest unit that divides the interval. */
function every(value: number): string {
  for (const [unit, size] of [
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ] as const) {
    if (value % size === 0) return `every ${value / size} ${unit}${value === size ? '' : 's'}`;
  }
  return `every ${value} seconds`;
}

/** One archived report as an admin reads it after a run. */
export function formatEntry(entry: DrillReportEntry): string {
  return [
    `Drill ${entry.drillId} on ${entry.serverName}: ${entry.passed ? 'PASSED' : 'FAILED'}`,
    `  RTO       ${seconds(entry.rtoSeconds)}`,
    `  RPO       ${seconds(entry.rpoSeconds)}`,
    `  signed by ${entry.signer}${entry.countersigned ? ' (countersigned by the app)' : ''}, report #${entry.sequence}`,
    `  report    ${entry.bundlePath}`,
    `  verify    kumiko report verify ${entry.bundlePath}`,
    '',
  ].join('\n');
}

/** The drill's pg_amcheck mode (drill.amcheckHeapAllIndexed) for people. */
function amcheckMode(heapAllIndexed: boolean | null): string {
  if (heapAllIndexed === null) return 'unknown';
  return heapAllIndexed
    ? 'pg_amcheck --heapallindexed (deep index check on)'
    : 'pg_amcheck, tables and B-tree indexes (deep index check off)';
}

export function formatOverview(overview: DrillOverview): string {
  const lines = [
    `Next scheduled drill: ${overview.nextDrillAt ?? (overview.intervalSeconds === 0 ? 'off' : 'unknown')}`,
    `Interval: ${overview.intervalSeconds === null ? 'unknown' : overview.intervalSeconds === 0 ? 'off' : every(overview.intervalSeconds)}` +
      `, smoke checks: ${overview.smokeChecks?.length ?? 'unknown'}`,
    `Database check: ${amcheckMode(overview.amcheckHeapAllIndexed)}`,
    ...(overview.settingsError ? [`(settings unknown: ${overview.settingsError})`] : []),
    '',
  ];
  if (overview.reports.length === 0) lines.push('No archived drill reports.');
  for (const r of overview.reports) {
    lines.push(
      `${r.startedAt}  ${r.passed ? 'passed' : 'FAILED'}  RTO ${seconds(r.rtoSeconds).padEnd(8)}  ` +
        `RPO ${seconds(r.rpoSeconds).padEnd(8)}  #${r.sequence} ${r.signer}  ${r.drillId}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function formatSync(result: DrillSyncResult): string {
  const lines = [`${result.imported} report(s) archived.`];
  for (const r of result.refused) {
    lines.push(`REFUSED ${r.drillId}: ${r.message}`, ...r.problems.map((p) => `  ${p}`));
  }
  if (result.pending.length) lines.push(`Still uploading: ${result.pending.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
