import fs from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import type { HostKeyProbe, Job, Result, Server } from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { cancelledError, CliError, jobFailure, printResult, usageError } from './output';

const USAGE = `usage: kumiko servers list
       kumiko servers add --host H [--port 22] [--user root] [--name N] [--key-file F]
                          [--key-passphrase-file F]  (or KUMIKO_SSH_KEY_PASSPHRASE; never a flag value)
       kumiko servers trust <id> [--fingerprint SHA256:…]
       kumiko servers connect <id>
       kumiko servers remove <id>`;

/** `kumiko servers <list|add|trust|connect|remove>`: the same commands the UI uses. */
export async function serversCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const [, verb, id] = args.positionals;
  switch (verb) {
    case 'list':
      return printResult(await core.dispatch('servers.list', {}), json);
    case 'add': {
      const keyFile = flagString(args, 'key-file');
      let privateKey: string | undefined;
      if (keyFile) {
        try {
          privateKey = await fs.readFile(keyFile, 'utf8');
        } catch (err) {
          throw usageError(`Cannot read --key-file: ${(err as Error).message}.`, USAGE);
        }
      }
      const passphrase = await keyPassphrase(args);
      const input = {
        name: flagString(args, 'name') ?? flagString(args, 'host'),
        host: flagString(args, 'host'),
        port: Number(flagString(args, 'port') ?? 22),
        user: flagString(args, 'user') ?? 'root',
        auth: privateKey
          ? { kind: 'privateKey', privateKey, ...(passphrase ? { passphrase } : {}) }
          : { kind: 'generate' },
      };
      const result = await core.dispatch('servers.add', input);
      if (result.ok && !json && (result.value as Server).publicKey) {
        process.stderr.write(
          `Append this public key to ~/.ssh/authorized_keys of ${input.user} on the server:\n` +
            `${(result.value as Server).publicKey}\n`,
        );
      }
      return printResult(result, json);
    }
    case 'trust':
      return trust(core, id ?? '', flagString(args, 'fingerprint'), json);
    case 'connect': {
      const started = await core.dispatch('servers.connect', { id });
      if (!started.ok) return printResult(started, json);
      const job = await waitForJob(core, (started.value as { jobId: string }).jobId, json);
      if (job.state !== 'succeeded') return printResult(jobFailure(job), json);
      return printResult(await core.dispatch('servers.get', { id }), json);
    }
    case 'remove':
      return printResult(await core.dispatch('servers.remove', { id }), json);
    default:
      throw usageError('Name what to do: list, add, trust, connect or remove.', USAGE);
  }
}

/**
 * The private key's passphrase, as the console's add-server form takes it: from
 * --key-passphrase-file or KUMIKO_SSH_KEY_PASSPHRASE, never from the command line.
 */
async function keyPassphrase(args: ParsedArgs): Promise<string | undefined> {
  if (args.flags.has('key-passphrase')) {
    throw usageError(
      '--key-passphrase is not accepted (the command line is visible to every user): use --key-passphrase-file or KUMIKO_SSH_KEY_PASSPHRASE.',
      USAGE,
    );
  }
  const file = flagString(args, 'key-passphrase-file');
  if (!file) return process.env.KUMIKO_SSH_KEY_PASSPHRASE || undefined;
  if (!flagString(args, 'key-file'))
    throw usageError('--key-passphrase-file needs --key-file.', USAGE);
  try {
    return (await fs.readFile(file, 'utf8')).replace(/\r?\n$/, '') || undefined;
  } catch (err) {
    throw usageError(`Cannot read --key-passphrase-file: ${(err as Error).message}.`, USAGE);
  }
}

/**
 * Shows the host key fingerprint and pins it only after the admin says yes, or when the
 * fingerprint given with --fingerprint (checked out of band) matches.
 */
async function trust(
  core: AppCore,
  id: string,
  expected: string | undefined,
  json: boolean,
): Promise<number> {
  const probed = (await core.dispatch('servers.probeHostKey', { id })) as Result<HostKeyProbe>;
  if (!probed.ok) return printResult(probed, json);
  const { fingerprint, status, pinnedFingerprint } = probed.value;
  if (status === 'changed') {
    throw new CliError(
      'HOST_KEY_CHANGED',
      `WARNING: the host key has CHANGED (pinned ${pinnedFingerprint}, now ${fingerprint}). This can mean a man-in-the-middle attack. Refusing to connect: ask the server's administrator whether the key was replaced before trusting the new one.`,
    );
  }
  if (status === 'match') return printResult(await core.dispatch('servers.get', { id }), json);
  if (expected === undefined) {
    if (!process.stdin.isTTY) {
      throw usageError(
        `Host key ${fingerprint}, and no terminal to ask: re-run with --fingerprint ${fingerprint} after checking it on the server.`,
      );
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(
      `Host key fingerprint: ${fingerprint}\nCompare with \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on the server.\nTrust it? [y/N] `,
    );
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) throw cancelledError('Nothing was pinned.');
  } else if (expected !== fingerprint) {
    throw new CliError(
      'HOST_KEY_MISMATCH',
      `The server presents ${fingerprint}, not ${expected}. Nothing was pinned: compare the fingerprint on the server again.`,
    );
  }
  return printResult(await core.dispatch('servers.trustHostKey', { id, fingerprint }), json);
}

/** Waits for a job, drawing its progress on stderr. */
export async function waitForJob(core: AppCore, jobId: string, quiet: boolean): Promise<Job> {
  const stop = core.onEvent((name, payload) => {
    if (quiet || name !== 'job.progress') return;
    const job = payload as Job;
    if (job.id !== jobId) return;
    const share = job.total ? ` ${Math.round((job.done / job.total) * 100)}%` : '';
    process.stderr.write(
      `  ${job.phase ?? ''}${share}${job.etaSeconds !== null ? `, ~${job.etaSeconds}s left` : ''}\n`,
    );
  });
  try {
    return await core.jobs.wait(jobId);
  } finally {
    stop();
  }
}
