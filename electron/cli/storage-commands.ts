import fs from 'node:fs/promises';
import type { Result, StorageCheckReport } from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { EXIT, printResult } from './output';

const USAGE = `usage:
  kumiko storage check --endpoint URL --bucket NAME --region REGION --access-key-id ID
                       [--secret-access-key-file FILE] [--own-storage] [--ca-file FILE]
  kumiko storage save  --server ID <same flags as check>
  kumiko storage show  --server ID
The secret access key is read from --secret-access-key-file or KUMIKO_S3_SECRET_ACCESS_KEY,
never from the command line (argv is visible to every user of the machine).
`;

/** A parsed draft, or the exit code of a usage error already printed. */
type Parsed<T> = { value: T } | { exit: number };

function usage(message: string): { exit: number } {
  process.stderr.write(`${message}\n\n${USAGE}`);
  return { exit: EXIT.usage };
}

async function readFlagFile(args: ParsedArgs, flag: string): Promise<Parsed<string | undefined>> {
  const file = flagString(args, flag);
  if (!file) return { value: undefined };
  try {
    return { value: await fs.readFile(file, 'utf8') };
  } catch (err) {
    return usage(`Cannot read --${flag}: ${(err as Error).message}`);
  }
}

/** The contract's StorageTargetDraft from flags; the router validates it. */
async function draftFrom(args: ParsedArgs): Promise<Parsed<Record<string, unknown>>> {
  if (args.flags.has('secret-access-key')) {
    return usage(
      '--secret-access-key is not accepted: use --secret-access-key-file or KUMIKO_S3_SECRET_ACCESS_KEY.',
    );
  }
  const secretFile = await readFlagFile(args, 'secret-access-key-file');
  if ('exit' in secretFile) return secretFile;
  // One trailing newline belongs to the file, not to the key.
  const secret = secretFile.value?.replace(/\r?\n$/, '') ?? process.env.KUMIKO_S3_SECRET_ACCESS_KEY;
  if (!secret) return usage('The secret access key is missing.');
  const ca = await readFlagFile(args, 'ca-file');
  if ('exit' in ca) return ca;
  return {
    value: {
      endpoint: flagString(args, 'endpoint'),
      bucket: flagString(args, 'bucket'),
      region: flagString(args, 'region'),
      accessKeyId: flagString(args, 'access-key-id'),
      secretAccessKey: secret,
      ownStorage: [true, 'true', 'yes'].includes(args.flags.get('own-storage') ?? false),
      ...(ca.value ? { caCertificate: ca.value } : {}),
    },
  };
}

/** The check lines, readably, on stderr (stdout keeps the JSON value). */
function printReport(report: StorageCheckReport | undefined): void {
  if (!report) return;
  const mark = { passed: '✓', failed: '✗', warning: '!', skipped: '-' } as const;
  process.stderr.write(`Storage check for ${report.endpointHost} (${report.provider}):\n`);
  for (const item of report.items) {
    process.stderr.write(`  ${mark[item.state]} ${item.id.padEnd(10)} ${item.detail}\n`);
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
    process.stderr.write(USAGE);
    return EXIT.usage;
  }
  if (verb !== 'check' && !serverId) return usage('--server is required.').exit;
  if (verb === 'show') return printResult(await core.dispatch('storage.get', { serverId }), json);

  const draft = await draftFrom(args);
  if ('exit' in draft) return draft.exit;
  const result =
    verb === 'check'
      ? await core.dispatch('storage.check', draft.value)
      : await core.dispatch('storage.save', { serverId, target: draft.value });
  if (json) return printResult(result, true);
  const report = reportOf(result);
  printReport(report);
  if (result.ok || !report) return printResult(result, false);
  // The report was drawn above: print the refusal without repeating it as JSON.
  const { code, message } = result.error;
  return printResult({ ok: false, error: { code, message } }, false);
}
