import { createInterface } from 'node:readline/promises';
import type {
  AgentInstallPlan,
  AgentUninstallResult,
  AgentUpdateResult,
  AgentUpdateReview,
  Result,
} from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { INSTALL_FLAGS_HELP, installRequestFrom } from './install-flags';
import { kitExport } from './kit-commands';
import { cancelledError, EXIT, jobFailure, printResult, usageError } from './output';
import { formatPlan } from './plan-output';
import { waitForJob } from './servers-commands';
import { formatUninstall } from './uninstall-output';
import { formatUpdate, formatUpdateReview } from './update-output';

const USAGE = `usage: kumiko agent plan|install --server <id> --cluster <PostgreSQL data directory> [flags]
       kumiko agent uninstall --server <id> [--confirm-restart]
       kumiko agent update --server <id> [--review]   (or: kumiko agent update <id>)
       kumiko agent kit --server <id> [--out <folder>]
${INSTALL_FLAGS_HELP}`;

/** `kumiko agent …`: the install wizard's steps for scripts and terminals. */
export async function agentCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const verb = args.positionals[1];
  const serverId =
    flagString(args, 'server') ?? (verb === 'update' ? args.positionals[2] : undefined);
  if (!verb || !['plan', 'install', 'uninstall', 'update', 'kit'].includes(verb)) {
    throw usageError('Name what to do: plan, install, uninstall, update or kit.', USAGE);
  }
  if (!serverId) throw usageError('--server <id> is required.', USAGE);
  // The older spelling of `kumiko kit export`.
  if (verb === 'kit') return kitExport(core, serverId, flagString(args, 'out'), json);
  if (verb === 'uninstall') {
    // Without --confirm-restart the settings go back at PostgreSQL's next restart (the result
    // says so); a terminal is not asked, so scripts behave the same with and without one.
    const started = await core.dispatch('agent.uninstall', {
      serverId,
      confirmRestart: args.flags.has('confirm-restart'),
    });
    return finishJob(core, started, json, (value) =>
      formatUninstall(value as AgentUninstallResult),
    );
  }
  if (verb === 'update') {
    // --review shows what would change and changes nothing, like `agent plan` before install.
    if (args.flags.has('review')) {
      const review = (await core.dispatch('agent.updateReview', {
        serverId,
      })) as Result<AgentUpdateReview>;
      if (review.ok && !json) {
        process.stdout.write(formatUpdateReview(review.value));
        return EXIT.ok;
      }
      return printResult(review, json);
    }
    const started = await core.dispatch('agent.update', { serverId });
    return finishJob(core, started, json, (value) => formatUpdate(value as AgentUpdateResult));
  }
  const request = await installRequestFrom(args, serverId);
  // With the whole request: the plan's scripts and their SHA-256 are the ones install sends.
  const planned = (await core.dispatch('agent.plan', request)) as Result<AgentInstallPlan>;
  if (verb === 'plan' && planned.ok && !json) {
    process.stdout.write(formatPlan(planned.value));
    return EXIT.ok;
  }
  if (verb === 'plan' || !planned.ok) return printResult(planned, json);
  let confirmRestart = request.confirmRestart ?? false;
  if (planned.value.restartRequired && !confirmRestart) {
    if (!process.stdin.isTTY) {
      throw usageError(
        'PostgreSQL must be restarted to enable WAL archiving, and there is no terminal to ask: re-run with --confirm-restart.',
      );
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(
      'PostgreSQL must be restarted to enable WAL archiving. Restart it now? [y/N] ',
    );
    rl.close();
    confirmRestart = /^y(es)?$/i.test(answer.trim());
    if (!confirmRestart) {
      throw cancelledError('Nothing was installed: the restart was not confirmed.');
    }
  }
  const started = await core.dispatch('agent.install', { ...request, confirmRestart });
  return finishJob(core, started, json);
}

async function finishJob(
  core: AppCore,
  started: Result<unknown>,
  json: boolean,
  asText?: (value: unknown) => string,
): Promise<number> {
  if (!started.ok) return printResult(started, json);
  const job = await waitForJob(core, (started.value as { jobId: string }).jobId, json);
  if (job.state === 'succeeded' && asText && !json) {
    process.stdout.write(asText(job.result));
    return EXIT.ok;
  }
  if (job.state === 'succeeded') return printResult({ ok: true, value: job.result }, json);
  return printResult(jobFailure(job), json);
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
