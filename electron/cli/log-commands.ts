import type {
  AccountabilityEntry,
  AccountabilityExportResult,
  AccountabilityList,
  AccountabilityVerdict,
  Result,
} from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { EXIT, printResult, usageError } from './output';

const USAGE = `usage: kumiko log list|verify|export [--server ID] [--action CODE] [--who NAME]
                 [--from DATE] [--to DATE] [--result ok|failed|started] [--limit N] [--out DIR] [--json]
  list: the accountability log, newest first (who, what, when, result)
  verify: walks the hash chain; exit 1 and the first broken entry when a row was changed
  export: CSV + JSON with MANIFEST.sha256 signed by the app's report key (ssh-keygen -Y verify)
  Who is recorded: --actor NAME or KUMIKO_ACTOR, else the name entered at first start, and the OS user`;

/** `kumiko log list|verify|export`: the accountability log (issue 17 §5). */
export async function logCommand(core: AppCore, args: ParsedArgs, json: boolean): Promise<number> {
  const [, verb] = args.positionals;
  if (verb === 'verify') {
    const result = (await core.dispatch(
      'accountability.verify',
      {},
    )) as Result<AccountabilityVerdict>;
    if (!result.ok || json) return withVerdictExit(printResult(result, json), result);
    const v = result.value;
    process.stdout.write(
      v.intact
        ? `intact: ${v.entries} entries, last hash ${v.lastHash ?? '-'}\n`
        : `BROKEN: entry #${v.firstBroken?.seq} does not match (${v.firstBroken?.reason}); ${v.entries} entries\n`,
    );
    return v.intact ? EXIT.ok : EXIT.failed;
  }
  if (verb !== 'list' && verb !== 'export') throw usageError(USAGE.split('\n')[0] ?? '', USAGE);
  const filter = filterOf(args);
  if (verb === 'export') {
    const out = flagString(args, 'out');
    const result = (await core.dispatch('accountability.export', {
      ...filter,
      ...(out ? { outputDirectory: out } : {}),
    })) as Result<AccountabilityExportResult>;
    if (!result.ok || json) return printResult(result, json);
    const r = result.value;
    process.stdout.write(
      `${r.entries} entries exported to ${r.directory}\n  signed by ${r.principal} (MANIFEST.sha256.sig, namespace kumiko-report)\n  chain: ${r.verdict.intact ? 'intact' : `broken at #${r.verdict.firstBroken?.seq}`}\n`,
    );
    return EXIT.ok;
  }
  const result = (await core.dispatch('accountability.list', filter)) as Result<AccountabilityList>;
  if (!result.ok || json) return printResult(result, json);
  for (const entry of result.value.entries) process.stdout.write(`${lineOf(entry)}\n`);
  process.stderr.write(`${result.value.entries.length} of ${result.value.total} entries\n`);
  return EXIT.ok;
}

function withVerdictExit(code: number, result: Result<AccountabilityVerdict>): number {
  return result.ok && !result.value.intact ? EXIT.failed : code;
}

function filterOf(args: ParsedArgs): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const name of ['action', 'who', 'from', 'to', 'result'] as const) {
    const value = flagString(args, name);
    if (value !== undefined) filter[name] = value;
  }
  const server = flagString(args, 'server');
  if (server !== undefined) filter.serverId = server;
  const limit = flagString(args, 'limit');
  // Left as text when not a number: the contract refuses it with INVALID_INPUT.
  if (limit !== undefined) filter.limit = /^\d+$/.test(limit) ? Number(limit) : limit;
  return filter;
}

function lineOf(e: AccountabilityEntry): string {
  const who = e.actorName === e.osUser ? e.osUser : `${e.actorName} (${e.osUser})`;
  const target = Object.entries(e.target)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  const result = e.errorCode ? `${e.result} ${e.errorCode}` : e.result;
  return `#${e.seq}  ${e.at}  ${who}  ${e.action}  ${e.serverId ?? '-'}  ${target || '-'}  ${result}`;
}
