import type { DrillReportEntry, Result } from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import type { ReportPathVerification } from '../services/reports/verify-path';
import { verifyReportPath } from '../services/reports/verify-path';
import { readTrustedKeys } from '../services/reports/trusted-keys';
import { formatSeconds, formatUtc } from '../../shared/report/i18n';
import { flagString, type ParsedArgs } from './args';
import { EXIT, printResult } from './output';

const USAGE = `usage: kumiko report verify <bundle folder or zip> [--key <allowed_signers, .pub or key line>] [--require-first] [--json]
       kumiko report export --server <id> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--out <file.zip>]
       kumiko report list [--server <id>] [--from <date>] [--to <date>]
       kumiko report countersign <server id> <drill id> [--json]`;

/**
 * `kumiko report verify`: for auditors, so it needs no data folder, vault or server: only the
 * bundle and, to prove who signed, the key to pin. Exit 0 valid, 1 invalid, 2 usage.
 */
export async function reportVerifyCommand(args: ParsedArgs, json: boolean): Promise<number> {
  const target = args.positionals[2];
  if (!target) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT.usage;
  }
  const key = flagString(args, 'key');
  let pinnedKeys: string[] = [];
  if (key) {
    try {
      pinnedKeys = await readTrustedKeys(key);
    } catch (error) {
      process.stderr.write(`--key: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
  }
  const result = await verifyReportPath(
    target,
    { pinnedKeys },
    { requireFirstReport: args.flags.has('require-first') },
  );
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(describeVerification(result));
  return result.ok ? EXIT.ok : EXIT.failed;
}

/** `kumiko report export|list|countersign`: the archive in the app's data folder. */
export async function reportCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const verb = args.positionals[1];
  const serverId = flagString(args, 'server');
  const from = flagString(args, 'from');
  const to = flagString(args, 'to');
  if (verb === 'list') {
    return printResult(
      await core.dispatch('reports.list', {
        ...(serverId ? { serverId } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      }),
      json,
    );
  }
  if (verb === 'countersign') return countersign(core, args, json);
  if (verb === 'export' && serverId && from && to) {
    const out = flagString(args, 'out');
    return printResult(
      await core.dispatch('reports.export', {
        serverId,
        from,
        to,
        ...(out ? { outputPath: out } : {}),
      }),
      json,
    );
  }
  process.stderr.write(`${USAGE}\n`);
  return EXIT.usage;
}

/** Adds the app's countersignature to an agent-signed report; exit 1 when it is refused. */
async function countersign(core: AppCore, args: ParsedArgs, json: boolean): Promise<number> {
  const [, , serverId, drillId] = args.positionals;
  if (!serverId || !drillId) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT.usage;
  }
  const result = (await core.dispatch('reports.countersign', {
    serverId,
    drillId,
  })) as Result<DrillReportEntry>;
  if (json || !result.ok) return printResult(result, json);
  process.stdout.write(formatCountersigned(result.value));
  return EXIT.ok;
}

/** The one line `kumiko report countersign` prints for people. */
export function formatCountersigned(entry: DrillReportEntry): string {
  return `Drill ${entry.drillId} on ${entry.serverName} is now countersigned by the app (report #${entry.sequence}).\n`;
}

/** The verification for people: verdict first, one line per bundle, then every finding. */
export function describeVerification(result: ReportPathVerification): string {
  const lines: string[] = [];
  const count = `${result.bundles.length} bundle${result.bundles.length === 1 ? '' : 's'}`;
  const trust =
    result.trust === 'pinned' ? 'keys pinned' : 'keys from the bundles only (use --key to pin)';
  lines.push(`${result.ok ? 'VALID' : 'INVALID'}  ${result.path}  (${count}, ${trust})`);
  for (const b of result.bundles) {
    const signer = b.signatures
      .map(
        (s) =>
          `${s.role === 'primary' ? 'signed' : 'countersigned'} by ${s.principal ?? '?'} ${s.fingerprint ?? ''} (${s.valid ? s.trust : 'INVALID'})`,
      )
      .join(', ');
    const drill =
      b.drillId === null
        ? 'unreadable report'
        : `#${b.sequence} ${b.drillId}  ${b.passed ? 'PASSED' : 'FAILED'}  ${b.startedAt ? formatUtc(b.startedAt) : ''}  RTO ${b.rtoSeconds === null ? '-' : formatSeconds(b.rtoSeconds)}  RPO ${b.rpoSeconds === null ? '-' : formatSeconds(b.rpoSeconds)}`;
    lines.push(
      `  ${b.ok ? 'ok     ' : 'INVALID'} ${drill}`,
      `          ${signer || 'no signature'}`,
    );
    for (const p of b.problems) lines.push(`          x ${p.code}: ${p.message}`);
    for (const w of b.warnings) lines.push(`          ! ${w}`);
  }
  for (const chain of result.chains) {
    const start = chain.startsAtFirstReport
      ? 'from the first report'
      : `from ${chain.anchor?.drillId ?? '?'} (before this set)`;
    const n = chain.drillIds.length;
    const reports = `${n} report${n === 1 ? '' : 's'}`;
    lines.push(`  chain ${chain.serverId}: ${reports} ${start}: ${chain.ok ? 'intact' : 'BROKEN'}`);
    for (const p of chain.problems) lines.push(`          x ${p.code}: ${p.message}`);
  }
  for (const p of result.problems) lines.push(`  x ${p.code}: ${p.message}`);
  return `${lines.join('\n')}\n`;
}
