import type { Job, PointCreateResult, Result } from '../../shared/contract';
import { POINT_HEAL_JOB_PHASES } from '../../shared/contract/point-phases';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { EXIT, printResult } from './output';

const USAGE = `usage: kumiko point create|heal --server <id> [--label <text>] [--wait] [--json]
  create: a recovery point now, taken by the server's agent (pgBackRest backup, attached files,
  signed manifest). --label stores a note with it (one line, at most 200 characters). Without
  --wait the command returns once the agent has started it (it finishes on the server on its
  own); with --wait it shows the steps and ends when the point is in the catalog.
  heal: after POINT_FILES_MISSING (a point's attached files depend on data gone from the
  bucket): restic rebuilds its index, so the backup uploads that data again, then a new point.
  AGENT_BUSY (nothing started): a snapshot, retention run or drill is running; try again later`;

/** The phases the agent reports: once one is heard, it holds the repository and works on. */
const AGENT_PHASES: readonly string[] = [...POINT_HEAL_JOB_PHASES].filter((p) => p !== 'catalog');

/** `kumiko point create` and `kumiko point heal`. */
export async function pointCommand(core: AppCore, args: ParsedArgs, json: boolean) {
  const [, verb] = args.positionals;
  const serverId = flagString(args, 'server');
  const label = args.flags.get('label');
  if ((verb !== 'create' && verb !== 'heal') || !serverId || label === true) {
    if (json) {
      return printResult(
        { ok: false, error: { code: 'INVALID_INPUT', message: USAGE.split('\n')[0] ?? '' } },
        true,
      );
    }
    process.stderr.write(`${USAGE}\n`);
    return EXIT.usage;
  }
  const wait = args.flags.has('wait');
  const started = await core.dispatch('point.create', {
    serverId,
    ...(label !== undefined ? { note: label } : {}),
    ...(verb === 'heal' ? { heal: true } : {}),
  });
  if (!started.ok) return printResult(started, json);
  const jobId = (started.value as { jobId: string }).jobId;
  let lastLine = '';
  let agentStarted: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (agentStarted = resolve));
  const stop = core.onEvent((name, payload) => {
    const job = payload as Job;
    if (name !== 'job.progress' || job.id !== jobId) return;
    if (AGENT_PHASES.includes(job.phase ?? '')) agentStarted();
    if (!wait || json) return;
    const line = `  ${job.phase ?? ''}${job.total ? ` ${job.done}/${job.total}` : ''}`;
    if (line !== lastLine) process.stderr.write(`${line}\n`);
    lastLine = line;
  });
  const onInterrupt = () => void core.dispatch('jobs.cancel', { id: jobId });
  process.once('SIGINT', onInterrupt);
  let job: Job | null = null;
  try {
    const ended = core.jobs.wait(jobId).then((j) => (job = j));
    await (wait ? ended : Promise.race([ended, running]));
  } finally {
    stop();
    process.off('SIGINT', onInterrupt);
  }
  const done = job as Job | null;
  if (!done) {
    // The agent holds the repository and works on; the app stops following when it exits.
    const value = { jobId, serverId, started: true };
    if (json) return printResult({ ok: true, value }, true);
    process.stdout.write(
      `The agent is taking the recovery point on the server (job ${jobId}). ` +
        `It shows in \`kumiko catalog --server ${serverId}\` when done.\n`,
    );
    return EXIT.ok;
  }
  if (done.state !== 'succeeded') {
    const code = (done.error?.code ??
      (done.state === 'cancelled' ? 'CANCELLED' : 'INTERNAL')) as never;
    return printResult(
      { ok: false, error: { code, message: done.error?.message ?? done.state } },
      json,
    );
  }
  const point = done.result as PointCreateResult;
  if (json) return printResult({ ok: true, value: point } as Result<unknown>, true);
  process.stdout.write(formatPoint(point));
  return EXIT.ok;
}

/** The new point as an admin reads it. */
export function formatPoint(point: PointCreateResult): string {
  return [
    `Recovery point ${point.label} (${point.type}), restorable from ${point.at}`,
    ...(point.note ? [`  label     ${point.note}`] : []),
    `  manifest  ${point.manifestKey} (sha256 ${point.sha256})`,
    `  took      ${point.seconds} s`,
    point.inCatalog
      ? '  in the catalog: yes'
      : '  in the catalog: not yet (refresh the catalog in a minute)',
    '',
  ].join('\n');
}
