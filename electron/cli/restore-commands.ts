import { createInterface } from 'node:readline/promises';
import type {
  Job,
  ProductionRestorePlan,
  ProductionRestoreResult,
  RecoveryTarget,
  RestorePlan,
  Result,
  ScratchEnvironment,
} from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { cancelledError, EXIT, jobFailure, printResult, usageError } from './output';

const USAGE =
  'usage: kumiko restore --server <id> (--time "YYYY-MM-DD HH:MM:SS" [--tz Europe/Berlin] | --point <label> | --latest)\n' +
  '                      [--host <server id>] [--keep-hours N] [--yes] [--json]\n' +
  '       kumiko restore --server <id> (--time … | --point <label> | --latest) --over-production\n' +
  '                      [--confirm <database name>] [--yes] [--json]\n' +
  '       kumiko scratch list | drop <id>';

const WALL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

function offsetAt(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (
    Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) -
    ms
  );
}

/**
 * `--time` as a UTC instant (ISO): a wall time to the second in `zone` (default the
 * computer's zone), or an ISO 8601 time with its own offset. A wall time the zone skips (clocks
 * going forward) is refused; one it shows twice (clocks going back) means the first.
 * @throws Error with a message for the admin.
 */
export function parseRestoreTime(text: string, zone: string): string {
  const trimmed = text.trim();
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) {
    return new Date(Date.parse(trimmed)).toISOString();
  }
  const m = WALL.exec(trimmed);
  if (!m) throw new Error(`--time must look like "2026-03-14 14:23:05", not "${text}".`);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new Error(`Unknown time zone "${zone}" (use an IANA name such as Europe/Berlin).`);
  }
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // The offset before and after the moment: they differ only around a clock change.
  const candidates = [
    ...new Set([offsetAt(wall - 86_400_000, zone), offsetAt(wall + 86_400_000, zone)]),
  ]
    .map((offset) => wall - offset)
    .filter((ms) => offsetAt(ms, zone) === wall - ms)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first === undefined) {
    throw new Error(`${trimmed} does not exist in ${zone} (the clocks skip it).`);
  }
  return new Date(first).toISOString();
}

/** The target from --time/--point/--latest (exactly one). */
export function targetFrom(args: ParsedArgs): RecoveryTarget | string {
  const time = flagString(args, 'time');
  const point = flagString(args, 'point');
  const latest = args.flags.has('latest');
  if ([time !== undefined, point !== undefined, latest].filter(Boolean).length !== 1) {
    return 'Give exactly one of --time, --point or --latest.';
  }
  if (point) return { kind: 'point', label: point };
  if (latest) return { kind: 'latest' };
  const zone = flagString(args, 'tz') ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  try {
    return { kind: 'time', time: parseRestoreTime(time as string, zone) };
  } catch (err) {
    return (err as Error).message;
  }
}

const mb = (bytes: number | null) => (bytes === null ? '?' : `${(bytes / 1e6).toFixed(1)} MB`);

/** An instant in the admin's zone with UTC beside it ("unknown" for null). */
function zonedTime(zone: string): (iso: string | null) => string {
  // sv-SE prints ISO-like "2026-03-14 14:23:05": the admin's zone first, UTC beside it.
  const at = (iso: string, tz: string) => new Date(iso).toLocaleString('sv-SE', { timeZone: tz });
  return (iso) =>
    iso
      ? zone === 'UTC'
        ? `${at(iso, 'UTC')} UTC`
        : `${at(iso, zone)} ${zone} = ${at(iso, 'UTC')} UTC`
      : 'unknown';
}

/** Target, base backup and WAL lines, shared by both plans. */
function restoreLines(
  plan: Omit<RestorePlan, 'request'>,
  local: (iso: string | null) => string,
): string[] {
  return [
    `  target        ${plan.pgbackrestType === 'time' ? local(plan.targetTime) : plan.pgbackrestType === 'immediate' ? `recovery point ${plan.baseBackup.label} (${local(plan.targetTime)})` : `latest (${local(plan.targetTime)})`}`,
    `  base backup   ${plan.baseBackup.label}, finished ${local(plan.baseBackup.timeStop)}, ${mb(plan.baseBackup.sizeBytes)}`,
    `  WAL to replay ${plan.walSegmentsToReplay} segments, ${mb(plan.walBytesToReplay)} in the bucket`,
  ];
}

/** The plan as an admin reads it before confirming. */
export function formatPlan(plan: RestorePlan, zone: string): string {
  const lines = [
    `Restore plan for server ${plan.request.serverId}`,
    ...restoreLines(plan, zonedTime(zone)),
    `  files         ${plan.attachedFiles ? `restic snapshot ${plan.attachedFiles.resticSnapshotId.slice(0, 8)} of ${plan.attachedFiles.label}` : 'none'}`,
    `  destination   ${
      plan.request.destination.kind === 'host'
        ? `a new scratch database on server ${plan.request.destination.serverId}`
        : 'a new scratch database on the same server (production is not touched)'
    }`,
    `  estimate      about ${plan.estimatedSeconds} s`,
    ...plan.warnings.map((w) => `  warning       ${w}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The result as connection details and checks. */
export function formatScratch(env: ScratchEnvironment): string {
  return [
    `Scratch database ${env.id} is ${env.state}.`,
    `  connect   on the server: psql -h ${env.host} -p ${env.port} -U postgres`,
    `            from here:     ssh -L ${env.port}:${env.host}:${env.port} <server>, then psql -h localhost -p ${env.port} -U postgres`,
    `  data      ${env.dataDirectory}`,
    ...(env.filesDirectory ? [`  files     ${env.filesDirectory}`] : []),
    `  expires   ${env.expiresAt ?? 'never (drop it with: kumiko scratch drop ' + env.id + ')'}`,
    ...env.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'}      ${c.name}: ${c.detail}`),
    '',
  ].join('\n');
}

function progressLine(job: Job): string {
  const share = job.total ? ` ${Math.round((job.done / job.total) * 100)}%` : '';
  const eta = job.etaSeconds !== null ? `, ~${job.etaSeconds} s left` : '';
  return `  ${job.phase ?? ''}${share}${eta}\n`;
}

export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

/**
 * Follows a job on stderr (a line per phase and per tenth of it: readable in a terminal and in
 * a log file) until it ends. Ctrl-C asks to cancel; a refused cancel (a restore over
 * production past the stop) is printed and the job followed on: this process runs the job, so
 * a second Ctrl-C must not end it either.
 */
export async function followJob(core: AppCore, jobId: string, json: boolean): Promise<Job> {
  let lastPhase = '';
  let lastShare = -1;
  const stop = core.onEvent((name, payload) => {
    const job = payload as Job;
    if (json || name !== 'job.progress' || job.id !== jobId) return;
    const share = job.total ? Math.floor((job.done / job.total) * 10) : 0;
    if (job.phase !== lastPhase || share !== lastShare) process.stderr.write(progressLine(job));
    lastPhase = job.phase ?? '';
    lastShare = share;
  });
  const onInterrupt = () => {
    void core.dispatch('jobs.cancel', { id: jobId }).then((result) => {
      if (!result.ok) process.stderr.write(`Not cancelled: ${result.error.message}\n`);
    });
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await core.jobs.wait(jobId);
  } finally {
    stop();
    process.off('SIGINT', onInterrupt);
  }
}

/** A job that did not succeed, printed like a failed command. */
function printJobFailure(job: Job, json: boolean): number {
  return printResult(jobFailure(job), json);
}

export function zoneOf(args: ParsedArgs): string {
  return flagString(args, 'tz') ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

/** `kumiko restore …`: plan, confirm, run the restore job with progress, print the result. */
export async function restoreCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const serverId = flagString(args, 'server');
  const target = targetFrom(args);
  if (!serverId) throw usageError('--server <id> is required.', USAGE);
  if (typeof target === 'string') throw usageError(target, USAGE);
  if (args.flags.has('over-production')) {
    return restoreOverProduction(core, args, json, { serverId, target });
  }
  const keepText = flagString(args, 'keep-hours');
  if (keepText !== undefined && !/^\d+$/.test(keepText)) {
    throw usageError(`--keep-hours must be a whole number of hours, not "${keepText}".`, USAGE);
  }
  const keepHours = keepText === undefined ? undefined : Number(keepText);
  const hostId = flagString(args, 'host');
  const destination = hostId
    ? { kind: 'host' as const, serverId: hostId }
    : { kind: 'scratch' as const };
  const request = { serverId, target, destination };
  const planned = (await core.dispatch('restore.plan', request)) as Result<RestorePlan>;
  if (!planned.ok) return printResult(planned, json);
  if (!json) process.stdout.write(formatPlan(planned.value, zoneOf(args)));
  if (!args.flags.has('yes')) {
    if (!process.stdin.isTTY) {
      throw usageError('No terminal to ask: re-run with --yes to start the restore.');
    }
    if (!(await confirm('Start this restore? [y/N] '))) {
      throw cancelledError('Nothing was restored.');
    }
  }
  const started = await core.dispatch('restore.start', {
    ...request,
    ...(keepHours === undefined ? {} : { keepHours }),
  });
  if (!started.ok) return printResult(started, json);
  const job = await followJob(core, (started.value as { jobId: string }).jobId, json);
  if (job.state !== 'succeeded') return printJobFailure(job, json);
  const env = job.result as ScratchEnvironment;
  if (json) return printResult({ ok: true, value: { plan: planned.value, scratch: env } }, true);
  process.stdout.write(formatScratch(env));
  return EXIT.ok;
}

/** The plan of a restore over production, with what is replaced and the name to type. */
export function formatProductionPlan(plan: ProductionRestorePlan, zone: string): string {
  const lines = [
    `RESTORE OVER PRODUCTION on server ${plan.request.serverId}`,
    ...restoreLines(plan, zonedTime(zone)),
    `  replaces      ${plan.dataDirectory} (port ${plan.port ?? '?'}): ${
      plan.databases.length
        ? plan.databases.map((d) => `${d.name} (${d.rows} rows)`).join(', ')
        : 'every database'
    }`,
    `  first         a safety snapshot of production as it is now (about ${plan.safetySnapshotSeconds} s)`,
    `  downtime      about ${plan.downtimeSeconds} s: applications get no connection until the restored cluster is verified`,
    `  undo          everything after the target is replaced; restoring the safety snapshot over production undoes it`,
    `  estimate      about ${plan.estimatedSeconds} s in all`,
    `  to confirm    type the ${plan.confirmSource === 'manifest' ? 'production database' : 'server'} name: ${plan.confirmName}`,
    ...plan.warnings.map((w) => `  warning       ${w}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The outcome of a restore over production, with the safety snapshot that undoes it. */
export function formatProductionResult(result: ProductionRestoreResult, zone: string): string {
  const local = zonedTime(zone);
  const down = Math.round((Date.parse(result.startedAt) - Date.parse(result.stoppedAt)) / 1000);
  const safety = result.safetySnapshot;
  return [
    `Production restored to ${result.targetTime ? local(result.targetTime) : 'the newest WAL'}, now on timeline ${result.timeline ?? '?'}; PostgreSQL was stopped for ${down} s.`,
    `  safety snapshot ${safety.label} (consistent at ${local(safety.at)}): to undo, restore it over production:`,
    `                  kumiko restore --server ${result.serverId} --point ${safety.label} --over-production`,
    ...result.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'}      ${c.name}: ${c.detail}`),
    '',
  ].join('\n');
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return answer;
}

/**
 * `kumiko restore … --over-production`: the plan, the database name (from --confirm or typed
 * at the terminal; the app refuses a wrong one), a last yes unless --yes, then the job.
 */
async function restoreOverProduction(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
  request: { serverId: string; target: RecoveryTarget },
): Promise<number> {
  if (args.flags.has('host') || args.flags.has('keep-hours')) {
    throw usageError(
      '--over-production restores onto the server itself: --host and --keep-hours do not apply.',
      USAGE,
    );
  }
  const planned = await core.dispatch('restore.production.plan', request);
  if (!planned.ok) return printResult(planned, json);
  const plan = planned.value as ProductionRestorePlan;
  if (!json) process.stdout.write(formatProductionPlan(plan, zoneOf(args)));
  const interactive = Boolean(process.stdin.isTTY);
  let typed = flagString(args, 'confirm');
  if (typed === undefined) {
    if (!interactive) {
      throw usageError(
        `No terminal to ask: re-run with --confirm ${plan.confirmName} --yes to restore over production.`,
      );
    }
    typed = await ask(`Type ${plan.confirmName} to restore over production: `);
  }
  // A wrong name goes to the app, which refuses it with CONFIRMATION_MISMATCH.
  if (typed === plan.confirmName && !args.flags.has('yes')) {
    if (!interactive) {
      throw usageError('No terminal to ask: re-run with --yes to restore over production.');
    }
    if (!(await confirm('Stop PostgreSQL and restore over production now? [y/N] '))) {
      throw cancelledError('Production was not touched.');
    }
  }
  const started = await core.dispatch('restore.production.start', {
    ...request,
    confirmName: typed,
  });
  if (!started.ok) return printResult(started, json);
  const job = await followJob(core, (started.value as { jobId: string }).jobId, json);
  if (job.state !== 'succeeded') return printJobFailure(job, json);
  const result = job.result as ProductionRestoreResult;
  const failedChecks = result.checks.filter((c) => !c.ok);
  if (json && failedChecks.length) {
    // Same exit as without --json (1), and ok:false with it: the restore ran, a check failed.
    return printResult(
      {
        ok: false,
        error: {
          code: 'RESTORE_FAILED',
          message: `Production was restored, but ${failedChecks.length} check(s) failed: ${failedChecks.map((c) => `${c.name}: ${c.detail}`).join('; ')}. To undo, restore the safety snapshot ${result.safetySnapshot.label} over production.`,
          details: { plan, result },
        },
      },
      true,
    );
  }
  if (json) return printResult({ ok: true, value: { plan, result } }, true);
  process.stdout.write(formatProductionResult(result, zoneOf(args)));
  return result.checks.every((c) => c.ok) ? EXIT.ok : EXIT.failed;
}

/** `kumiko scratch list | drop <id>`. */
export async function scratchCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const [, verb, id] = args.positionals;
  if (verb === 'list') {
    const listed = (await core.dispatch('scratch.list', {})) as Result<ScratchEnvironment[]>;
    if (json || !listed.ok) return printResult(listed, json);
    const now = Date.now();
    for (const env of listed.value) {
      const age = Math.round((now - Date.parse(env.createdAt)) / 3_600_000);
      process.stdout.write(
        `${env.id}  ${env.state.padEnd(7)}  port ${env.port}  ${mb(env.sizeBytes).padStart(10)}  ${age} h old  ` +
          `expires ${env.expiresAt ?? 'never'}  ${env.dataDirectory}\n`,
      );
    }
    if (listed.value.length === 0) process.stdout.write('No scratch environments.\n');
    return EXIT.ok;
  }
  if (verb === 'drop' && id) return printResult(await core.dispatch('scratch.drop', { id }), json);
  throw usageError(
    verb === 'drop' ? 'Name the scratch database to drop.' : 'Name what to do: list or drop <id>.',
    USAGE,
  );
}
