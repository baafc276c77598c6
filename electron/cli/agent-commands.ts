import { createInterface } from 'node:readline/promises';
import type { AgentInstallPlan, Result } from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { kitExport } from './kit-commands';
import { EXIT, printResult } from './output';
import { formatPlan } from './plan-output';
import { waitForJob } from './servers-commands';

const USAGE =
  'usage: kumiko agent plan|install|uninstall|kit --server <id> [--out <folder>] [--cluster <PostgreSQL data directory>] ' +
  '[--paths /srv/uploads,/srv/pdf] [--confirm-restart]';

/** `kumiko agent …`: the install wizard's steps for scripts and terminals. */
export async function agentCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const verb = args.positionals[1];
  const serverId = flagString(args, 'server');
  if (!serverId || !verb) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT.usage;
  }
  // The older spelling of `kumiko kit export`.
  if (verb === 'kit') return kitExport(core, serverId, flagString(args, 'out'), json);
  if (verb === 'uninstall') {
    const started = await core.dispatch('agent.uninstall', { serverId });
    return finishJob(core, started, json);
  }
  const dataDirectory = flagString(args, 'cluster');
  if (!dataDirectory) {
    process.stderr.write(`--cluster <data directory> is required\n${USAGE}\n`);
    return EXIT.usage;
  }
  const paths = flagString(args, 'paths');
  const attachedPaths = paths ? paths.split(',').filter(Boolean) : [];
  // With the paths: the plan's scripts and their SHA-256 are the ones install sends.
  const planned = (await core.dispatch('agent.plan', {
    serverId,
    dataDirectory,
    attachedPaths,
  })) as Result<AgentInstallPlan>;
  if (verb === 'plan' && planned.ok && !json) {
    process.stdout.write(formatPlan(planned.value));
    return EXIT.ok;
  }
  if (verb === 'plan' || !planned.ok) return printResult(planned, json);
  if (verb !== 'install') {
    process.stderr.write(`${USAGE}\n`);
    return EXIT.usage;
  }
  let confirmRestart = args.flags.has('confirm-restart');
  if (planned.value.restartRequired && !confirmRestart) {
    if (!process.stdin.isTTY) {
      process.stderr.write(
        'PostgreSQL must be restarted to enable WAL archiving. Re-run with --confirm-restart.\n',
      );
      return EXIT.usage;
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(
      'PostgreSQL must be restarted to enable WAL archiving. Restart it now? [y/N] ',
    );
    rl.close();
    confirmRestart = /^y(es)?$/i.test(answer.trim());
    if (!confirmRestart) return EXIT.failed;
  }
  const started = await core.dispatch('agent.install', {
    serverId,
    dataDirectory,
    attachedPaths,
    confirmRestart,
  });
  return finishJob(core, started, json);
}

async function finishJob(core: AppCore, started: Result<unknown>, json: boolean): Promise<number> {
  if (!started.ok) return printResult(started, json);
  const job = await waitForJob(core, (started.value as { jobId: string }).jobId, json);
  if (job.state === 'succeeded') return printResult({ ok: true, value: job.result }, json);
  return printResult(
    {
      ok: false,
      error: {
        code: (job.error?.code ?? 'INTERNAL') as never,
        message: job.error?.message ?? job.state,
      },
    },
    json,
  );
}

/** `kumiko status [--server <id>]`: the dashboard's tiles, worst first. */
export async function statusCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const serverId = flagString(args, 'server');
  const result = serverId
    ? await core.dispatch('status.get', { serverId })
    : await core.dispatch('status.fleet', {});
  return printResult(result, json);
}
