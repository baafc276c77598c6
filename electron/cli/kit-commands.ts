import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import type { Result } from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { cancelledError, printResult, usageError } from './output';

const USAGE =
  'usage: kumiko kit export --server <id> [--out <folder>]\n' +
  '       kumiko kit acknowledge --server <id> [--file <kit.pdf>] [--yes]\n' +
  '       kumiko kit status --server <id>\n' +
  '       kumiko kit import --file <kit.txt> [--own-storage]';

interface KitStatus {
  exportedAt: string | null;
  sha256: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

/**
 * `kumiko kit …`: the recovery kit from a terminal. Until `acknowledge` the server does not
 * count as protected (issue 15 §3), the same gate the console shows.
 */
export async function kitCommand(core: AppCore, args: ParsedArgs, json: boolean): Promise<number> {
  const verb = args.positionals[1];
  const serverId = flagString(args, 'server');
  if (!verb) throw usageError('Name what to do: export, acknowledge, status or import.', USAGE);
  if (verb === 'import') return kitImport(core, args, json);
  if (!serverId) throw usageError('--server <id> is required.', USAGE);
  switch (verb) {
    case 'export':
      return kitExport(core, serverId, flagString(args, 'out'), json);
    case 'status':
      return printResult(await core.dispatch('recoveryKit.status', { serverId }), json);
    case 'acknowledge':
      return acknowledge(core, serverId, args, json);
    default:
      throw usageError('Name what to do: export, acknowledge or status.', USAGE);
  }
}

/** Writes the kit (PDF and text copy) and says what is left to do. */
export async function kitExport(
  core: AppCore,
  serverId: string,
  out: string | undefined,
  json: boolean,
): Promise<number> {
  const result = await core.dispatch('recoveryKit.export', {
    serverId,
    ...(out ? { outputDirectory: out } : {}),
  });
  if (result.ok && !json) {
    process.stderr.write(
      'Print the kit or store it away from the server, delete the files from this computer, then ' +
        `confirm: kumiko kit acknowledge --server ${serverId}\n`,
    );
  }
  return printResult(result, json);
}

/**
 * Confirms the newest exported kit. With --file, the file's hash must be that kit's (proof
 * the admin holds it); without, the admin is asked, or says --yes when there is no terminal.
 */
async function acknowledge(
  core: AppCore,
  serverId: string,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const status = (await core.dispatch('recoveryKit.status', { serverId })) as Result<KitStatus>;
  if (!status.ok) return printResult(status, json);
  const kit = status.value;
  if (!kit.exportedAt || !kit.sha256) {
    return printResult(
      {
        ok: false,
        error: {
          code: 'CONFLICT',
          message: `No recovery kit was exported for this server yet: run 'kumiko kit export --server ${serverId}', store the kit away from the server, then confirm.`,
        },
      },
      json,
    );
  }
  const file = flagString(args, 'file');
  let sha256 = kit.sha256;
  if (file) {
    try {
      sha256 = crypto
        .createHash('sha256')
        .update(await fs.readFile(file))
        .digest('hex');
    } catch (err) {
      return printResult(
        {
          ok: false,
          error: {
            code: 'INVALID_INPUT',
            message: `The kit file cannot be read (${(err as Error).message}): name the PDF that 'kumiko kit export' wrote.`,
          },
        },
        json,
      );
    }
  } else if (!args.flags.has('yes')) {
    const question =
      `Recovery kit exported ${kit.exportedAt} (SHA-256 ${kit.sha256}). ` +
      'Is it printed or stored away from the server? [y/N] ';
    if (!process.stdin.isTTY) {
      throw usageError(
        `Recovery kit exported ${kit.exportedAt}, and no terminal to ask whether it is stored away from the server: re-run with --yes (or --file <kit.pdf>) once it is.`,
      );
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(question);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      throw cancelledError('Not confirmed: the server does not count as protected yet.');
    }
  }
  return printResult(await core.dispatch('recoveryKit.acknowledge', { serverId, sha256 }), json);
}

/**
 * `kumiko kit import --file <kit.txt>`: a fresh console from the kit's text copy (`-` reads
 * it from stdin, so the secrets never land on the command line or in the shell history).
 */
async function kitImport(core: AppCore, args: ParsedArgs, json: boolean): Promise<number> {
  const file = flagString(args, 'file');
  if (!file)
    throw usageError(
      '--file <kit.txt> is required (the text copy saved beside the PDF, or - for stdin).',
      USAGE,
    );
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await fs.readFile(file, 'utf8');
  } catch (err) {
    throw usageError(
      `The kit file cannot be read (${(err as Error).message}): name the .txt that 'kumiko kit export' saved beside the PDF.`,
    );
  }
  return printResult(
    await core.dispatch('recoveryKit.import', { text, ownStorage: args.flags.has('own-storage') }),
    json,
  );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
