import fs from 'node:fs/promises';
import type { Result, StorageCheckReport } from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { printResult, usageError } from './output';

const USAGE = `usage:
  kumiko storage check --endpoint URL --bucket NAME --region REGION --access-key-id ID
                       [--secret-access-key-file FILE] [--own-storage] [--ca-file FILE]
                       [--restore-access-key-id ID --restore-secret-access-key-file FILE]
  kumiko storage save  --server ID <same flags as check>
  kumiko storage show  --server ID
The secret access key is read from --secret-access-key-file or KUMIKO_S3_SECRET_ACCESS_KEY,
never from the command line (argv is visible to every user of the machine). The optional
read-only restore key (what restores onto another host get) takes its secret from
--restore-secret-access-key-file or KUMIKO_S3_RESTORE_SECRET_ACCESS_KEY the same way.
`;

async function readFlagFile(args: ParsedArgs, flag: string): Promise<string | undefined> {
  const file = flagString(args, flag);
  if (!file) return undefined;
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    throw usageError(`Cannot read --${flag}: ${(err as Error).message}.`, USAGE);
  }
}

/** The contract's StorageTargetDraft from flags; the router validates it. */
async function draftFrom(args: ParsedArgs): Promise<Record<string, unknown>> {
  if (args.flags.has('secret-access-key')) {
    throw usageError(
      '--secret-access-key is not accepted: use --secret-access-key-file or KUMIKO_S3_SECRET_ACCESS_KEY.',
      USAGE,
    );
  }
  const secretFile = await readFlagFile(args, 'secret-access-key-file');
  // One trailing newline belongs to the file, not to the key.
  const secret = secretFile?.replace(/\r?\n$/, '') ?? process.env.KUMIKO_S3_SECRET_ACCESS_KEY;
  if (!secret) {
    throw usageError(
      'The secret access key is missing: give --secret-access-key-file or set KUMIKO_S3_SECRET_ACCESS_KEY.',
      USAGE,
    );
  }
  const ca = await readFlagFile(args, 'ca-file');
  const restoreKey = await restoreKeyFrom(args);
  return {
    endpoint: flagString(args, 'endpoint'),
    bucket: flagString(args, 'bucket'),
    region: flagString(args, 'region'),
    accessKeyId: flagString(args, 'access-key-id'),
    secretAccessKey: secret,
    ownStorage: ownStorageFlag(args),
    ...(ca ? { caCertificate: ca } : {}),
    ...(restoreKey ? { restoreKey } : {}),
  };
}

/** The read-only restore key from its flags, or undefined when none is given. */
async function restoreKeyFrom(
  args: ParsedArgs,
): Promise<{ accessKeyId: string; secretAccessKey: string } | undefined> {
  if (args.flags.has('restore-secret-access-key')) {
    throw usageError(
      '--restore-secret-access-key is not accepted: use --restore-secret-access-key-file or KUMIKO_S3_RESTORE_SECRET_ACCESS_KEY.',
      USAGE,
    );
  }
  const accessKeyId = flagString(args, 'restore-access-key-id');
  if (!accessKeyId) return undefined;
  const file = await readFlagFile(args, 'restore-secret-access-key-file');
  const secret = file?.replace(/\r?\n$/, '') ?? process.env.KUMIKO_S3_RESTORE_SECRET_ACCESS_KEY;
  if (!secret) {
    throw usageError(
      "The restore key's secret is missing: give --restore-secret-access-key-file or set KUMIKO_S3_RESTORE_SECRET_ACCESS_KEY.",
      USAGE,
    );
  }
  return { accessKeyId, secretAccessKey: secret };
}

/** --own-storage (a bare flag, or true/yes/false/no); anything else is refused, not guessed. */
function ownStorageFlag(args: ParsedArgs): boolean {
  const value = args.flags.get('own-storage');
  if (value === undefined) return false;
  if (value === true || /^(true|yes)$/i.test(value)) return true;
  if (/^(false|no)$/i.test(value)) return false;
  throw usageError(`--own-storage takes no value (or true/false), not "${value}".`, USAGE);
}

/** The check lines, readably, on stderr (stdout keeps the JSON value). */
function printReport(report: StorageCheckReport | undefined): void {
  if (!report) return;
  const mark = { passed: '✓', failed: '✗', warning: '!', skipped: '-' } as const;
  process.stderr.write(`Storage check for ${report.endpointHost} (${report.provider}):\n`);
  for (const item of report.items) {
    process.stderr.write(`  ${mark[item.state]} ${item.id.padEnd(11)} ${item.detail}\n`);
  }
}

function reportOf(result: Result<unknown>): StorageCheckReport | undefined {
  if (result.ok)
    return (
      (result.value as { report?: StorageCheckReport }).report ??
      (result.value as StorageCheckReport)
    );
  return (result.error.details as { report?: StorageCheckReport } | undefined)?.report;
}

/** `kumiko storage check|save|show`: the same commands the storage form uses. */
export async function storageCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const [, verb] = args.positionals;
  const serverId = flagString(args, 'server');
  if (verb !== 'check' && verb !== 'save' && verb !== 'show') {
    throw usageError('Name what to do: check, save or show.', USAGE);
  }
  if (verb !== 'check' && !serverId) throw usageError('--server is required.', USAGE);
  if (verb === 'show') return printResult(await core.dispatch('storage.get', { serverId }), json);

  const draft = await draftFrom(args);
  const result =
    verb === 'check'
      ? await core.dispatch('storage.check', draft)
      : await core.dispatch('storage.save', { serverId, target: draft });
  if (json) return printResult(result, true);
  const report = reportOf(result);
  printReport(report);
  if (result.ok || !report) return printResult(result, false);
  // The report was drawn above: print the refusal without repeating it as JSON.
  const { code, message } = result.error;
  return printResult({ ok: false, error: { code, message } }, false);
}
