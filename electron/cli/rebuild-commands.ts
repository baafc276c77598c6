import type { Job, RebuildPlan, RebuildResult, Result } from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { cancelledError, EXIT, jobFailure, printResult, usageError } from './output';
import { confirm, followJob, targetFrom } from './restore-commands';

const USAGE =
  'usage: kumiko rebuild --server <id of the server that is gone> --host <id of the new host>\n' +
  '                      (--latest | --point <label> | --time "YYYY-MM-DD HH:MM:SS" [--tz ZONE])\n' +
  '                      [--data-dir <path>] [--port N] [--plan] [--yes] [--json]\n' +
  '       kumiko rebuild --resume <job id>   go on with a rebuild that failed or was interrupted\n' +
  '  The server that is gone comes from `kumiko kit import`; the new host from\n' +
  '  `kumiko servers add`, `servers trust` (its fingerprint confirmed) and `servers connect`.';

/** The pre-flight and the plan as an admin reads them before confirming. */
export function formatRebuildPlan(plan: RebuildPlan): string {
  const mb = (b: number | null) => (b === null ? '?' : `${(b / 1e6).toFixed(1)} MB`);
  return [
    `Rebuild of server ${plan.serverId} on host ${plan.hostId}`,
    `  target        ${plan.target.kind === 'point' ? `recovery point ${plan.target.label}` : plan.target.kind === 'time' ? plan.target.time : 'latest'} (data as of ${plan.targetTime ?? 'the newest WAL'})`,
    `  base backup   ${plan.baseBackup.label}, ${mb(plan.baseBackup.sizeBytes)}`,
    `  cluster       PostgreSQL ${plan.pgMajor} at ${plan.dataDirectory}, port ${plan.port}`,
    ...plan.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'}          ${c.name}: ${c.detail}`),
    `  estimate      about ${Math.ceil(plan.estimatedSeconds / 60)} min (${plan.estimatedSeconds} s)`,
    ...plan.warnings.map((w) => `  warning       ${w}`),
    '',
  ].join('\n');
}

/** The hand-over: where the cluster runs, what was checked, what is left to do. */
export function formatRebuildResult(result: RebuildResult): string {
  return [
    `Server ${result.sourceServerId} is rebuilt on ${result.serverId}.`,
    `  cluster       ${result.dataDirectory}, port ${result.port}`,
    `  data up to    ${result.restoredUpTo ?? 'the newest WAL in the bucket'} (base backup ${result.baseBackup})`,
    `  RTO           ${result.rtoSeconds} s`,
    ...result.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'}          ${c.name}: ${c.detail}`),
    ...result.files.map((f) => `  files         ${f}`),
    ...result.leftToAdmin.map((l) => `  left to you   ${l}`),
    `  hand-over     ${result.handover.directory} (signed by ${result.handover.principal}; verify: ssh-keygen -Y verify -f <your allowed_signers> -I ${result.handover.principal} -n kumiko-report -s MANIFEST.sha256.sig < MANIFEST.sha256, then sha256sum -c MANIFEST.sha256)`,
    '',
  ].join('\n');
}

/** `kumiko rebuild …`: pre-flight and plan, confirm, run the rebuild with progress. */
export async function rebuildCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const resume = flagString(args, 'resume');
  if (resume) {
    const resumed = await core.dispatch('rebuild.resume', { jobId: resume });
    if (!resumed.ok) return printResult(resumed, json);
    return finish(core, (resumed.value as { jobId: string }).jobId, json);
  }
  const serverId = flagString(args, 'server');
  const hostId = flagString(args, 'host');
  const target = targetFrom(args);
  if (!serverId || !hostId) throw usageError('--server and --host are required.', USAGE);
  if (typeof target === 'string') throw usageError(target, USAGE);
  const portText = flagString(args, 'port');
  if (portText !== undefined && !/^\d{1,5}$/.test(portText)) {
    throw usageError(`--port must be a port number, not "${portText}".`, USAGE);
  }
  const dataDirectory = flagString(args, 'data-dir');
  const request = {
    serverId,
    hostId,
    target,
    ...(dataDirectory ? { dataDirectory } : {}),
    ...(portText ? { port: Number(portText) } : {}),
  };
  const planned = (await core.dispatch('rebuild.plan', request)) as Result<RebuildPlan>;
  if (!planned.ok || args.flags.has('plan')) return printResult(planned, json);
  if (!json) process.stdout.write(formatRebuildPlan(planned.value));
  if (!planned.value.ready) {
    return printResult(
      {
        ok: false,
        error: {
          code: 'REBUILD_REFUSED',
          message: `The new host is not ready: ${planned.value.checks
            .filter((c) => !c.ok)
            .map((c) => c.detail)
            .join('; ')}. Nothing was changed there; fix this and run the rebuild again.`,
        },
      },
      json,
    );
  }
  if (!args.flags.has('yes')) {
    if (!process.stdin.isTTY) {
      throw usageError('No terminal to ask: re-run with --yes to start the rebuild.');
    }
    if (!(await confirm('Start the rebuild? [y/N] '))) throw cancelledError('Nothing was changed.');
  }
  const started = await core.dispatch('rebuild.start', request);
  if (!started.ok) return printResult(started, json);
  return finish(core, (started.value as { jobId: string }).jobId, json);
}

/** Follows the rebuild job and prints the hand-over (or the failure, with how to resume). */
async function finish(core: AppCore, jobId: string, json: boolean): Promise<number> {
  const job: Job = await followJob(core, jobId, json);
  if (job.state !== 'succeeded') {
    if (!json && job.state !== 'cancelled') {
      process.stderr.write(
        `Fix the cause, then go on where it stopped: kumiko rebuild --resume ${job.id}\n`,
      );
    }
    return printResult(jobFailure(job), json);
  }
  const result = job.result as RebuildResult;
  if (json) return printResult({ ok: true, value: result }, true);
  process.stdout.write(formatRebuildResult(result));
  return EXIT.ok;
}
