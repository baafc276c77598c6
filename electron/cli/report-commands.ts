import type { DrillReportEntry, Result } from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import type { ReportPathVerification } from '../services/reports/verify-path';
import { verifyReportPath } from '../services/reports/verify-path';
import {
  pinnedTrust,
  readStoredReportKeys,
  type StoredReportKeys,
} from '../services/reports/pinned-keys';
import { readTrustedKeys } from '../services/reports/trusted-keys';
import { vaultPassphrase } from './context';
import { formatSeconds, formatUtc } from '../../shared/report/i18n';
import { flagString, type ParsedArgs } from './args';
import { EXIT, printResult, usageError } from './output';

const USAGE = `usage: kumiko report verify <bundle folder or zip> [--key <allowed_signers, .pub or key line>] [--require-first] [--json] [--data-dir DIR]
         (exit 0 valid, 1 invalid, 2 usage, 4 signature valid but signer not trusted: no pinned
         key and no --key matches it; the bundle's own allowed_signers is never trusted)
       kumiko report export --server <id> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--out <file.zip>] [--lang de|en]
         (--lang: also each report's PDF in German or English alone, made from its signed
         report.json, in <file>-<lang>/ beside the zip; the zip's bundles stay as signed)
       kumiko report list [--server <id>] [--from <date>] [--to <date>]
       kumiko report countersign <server id> <drill id> [--json]`;

/**
 * `kumiko report verify`: checks signatures against keys the verifier already trusts: the keys
 * pinned in the app (agent keys from the store, the app's own key when the vault opens) where
 * its data folder exists, and `--key`. An auditor needs no data folder, vault or server: the
 * bundle and `--key` suffice. Exit 0 valid, 1 invalid, 2 usage, 4 signer not trusted.
 */
export async function reportVerifyCommand(
  args: ParsedArgs,
  json: boolean,
  dataDir: string,
): Promise<number> {
  const target = args.positionals[2];
  if (!target) throw usageError('Name the bundle, folder or zip to verify.', USAGE);
  const key = flagString(args, 'key');
  let auditorKeys: string[] = [];
  if (key) {
    try {
      auditorKeys = await readTrustedKeys(key);
    } catch (error) {
      throw usageError(`--key: ${(error as Error).message}`, USAGE);
    }
  }
  const stored = await readStoredReportKeys(dataDir, () => passphraseFor(args));
  let result: ReportPathVerification;
  try {
    result = await verifyReportPath(
      target,
      await pinnedTrust(target, stored?.keys ?? null, auditorKeys),
      { requireFirstReport: args.flags.has('require-first') },
    );
  } finally {
    stored?.close();
  }
  const anchors = trustAnchors(dataDir, stored, auditorKeys.length);
  // Not valid: `error` says so in the CLI's one failure shape, beside the findings.
  const error = result.status === 'valid' ? {} : { error: verifyError(result) };
  if (json) process.stdout.write(`${JSON.stringify({ ...result, anchors, ...error }, null, 2)}\n`);
  else process.stdout.write(describeVerification(result, anchors));
  if (result.status === 'valid') return EXIT.ok;
  return result.status === 'untrusted-signer' ? EXIT.untrustedSigner : EXIT.failed;
}

/**
 * The vault passphrase for the app's own key: KUMIKO_VAULT_PASSPHRASE, or asked on a terminal
 * when --data-dir names the app's folder. Never asked otherwise: auditors need no vault.
 */
async function passphraseFor(args: ParsedArgs): Promise<string | null> {
  const fromEnv = process.env.KUMIKO_VAULT_PASSPHRASE;
  if (fromEnv) return fromEnv;
  if (flagString(args, 'data-dir') && process.stdin.isTTY) return vaultPassphrase();
  return null;
}

/** Where the trusted keys came from, for people (and `anchors` in --json). */
function trustAnchors(
  dataDir: string,
  stored: StoredReportKeys | null,
  auditorKeyCount: number,
): string[] {
  const anchors = stored
    ? [
        `agent keys pinned at install (${dataDir})`,
        ...(stored.keys.appKey ? ["the app's own report key"] : []),
        ...stored.notes,
      ]
    : [`no app data folder at ${dataDir}`];
  if (auditorKeyCount)
    anchors.push(`${auditorKeyCount} key${auditorKeyCount === 1 ? '' : 's'} from --key`);
  return anchors;
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
  if (verb === 'export' && !(serverId && from && to)) {
    throw usageError('report export needs --server, --from and --to.', USAGE);
  }
  if (verb === 'export' && serverId && from && to) {
    const out = flagString(args, 'out');
    const lang = flagString(args, 'lang');
    if (lang !== undefined && lang !== 'de' && lang !== 'en') {
      throw usageError('--lang is de or en.', USAGE);
    }
    return printResult(
      await core.dispatch('reports.export', {
        serverId,
        from,
        to,
        ...(out ? { outputPath: out } : {}),
        ...(lang ? { language: lang } : {}),
      }),
      json,
    );
  }
  throw usageError('Name what to do: verify, export, list or countersign.', USAGE);
}

/** Adds the app's countersignature to an agent-signed report; exit 1 when it is refused. */
async function countersign(core: AppCore, args: ParsedArgs, json: boolean): Promise<number> {
  const [, , serverId, drillId] = args.positionals;
  if (!serverId || !drillId) {
    throw usageError('report countersign needs the server id and the drill id.', USAGE);
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

/** Why a verification is not valid, as the CLI's error (exit 4 or 1 comes from the status). */
function verifyError(result: ReportPathVerification): { code: string; message: string } {
  if (result.status === 'untrusted-signer') {
    return {
      code: 'REPORT_UNVERIFIED',
      message:
        "Signatures and hashes are valid, but no trusted key matches the signer: compare the signer's fingerprint with the server's recovery kit, then run again with --key <that key>.",
    };
  }
  const first =
    result.problems[0] ??
    result.bundles.flatMap((bundle) => bundle.problems)[0] ??
    result.chains.flatMap((chain) => chain.problems)[0];
  return {
    code: 'REPORT_UNVERIFIED',
    message: `The report does not verify${first ? `: ${first.message}` : ''}. Do not rely on it; fetch it again from the app's archive or the bucket.`,
  };
}

const TRUST: Record<'pinned' | 'bundle' | 'none', string> = {
  pinned: 'pinned',
  bundle: 'not trusted: key only in the bundle',
  none: 'not trusted',
};

const VERDICT: Record<ReportPathVerification['status'], string> = {
  valid: 'VALID',
  invalid: 'INVALID',
  'untrusted-signer': 'SIGNER NOT TRUSTED',
};

/** The verification for people: verdict first, one line per bundle, then every finding. */
export function describeVerification(
  result: ReportPathVerification,
  anchors: readonly string[] = [],
): string {
  const lines: string[] = [];
  const count = `${result.bundles.length} bundle${result.bundles.length === 1 ? '' : 's'}`;
  const trust =
    result.status === 'untrusted-signer'
      ? 'signatures valid, but no trusted key matches the signer'
      : result.trust === 'pinned'
        ? 'keys pinned'
        : 'no trusted key for every signer';
  lines.push(`${VERDICT[result.status]}  ${result.path}  (${count}, ${trust})`);
  if (anchors.length) lines.push(`  trusted keys: ${anchors.join('; ')}`);
  for (const b of result.bundles) {
    const signer = b.signatures
      .map(
        (s) =>
          `${s.role === 'primary' ? 'signed' : 'countersigned'} by ${s.principal ?? '?'} ${s.fingerprint ?? ''} (${s.valid ? TRUST[s.trust] : 'INVALID'})`,
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
  if (result.status === 'untrusted-signer') {
    lines.push(
      "  next: the bundle's own allowed_signers proves nothing. Compare the signer's SHA256 fingerprint",
      "        above with the one printed in the server's recovery kit (section 'Report signing keys')",
      '        and in the agent install record; only if they are equal, run again with --key <that key>.',
    );
  }
  return `${lines.join('\n')}\n`;
}
