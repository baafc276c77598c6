import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createAppCore, type AppCore } from '../ipc/app-core';
import { AppError } from '../services/app-error';
import { openVault } from '../services/secrets/vault';
import type { SecretStore } from '../services/secrets/secret-store';

/** Where the CLI and browser mode keep their store and vault, unless told otherwise. */
export function defaultDataDir(): string {
  if (process.env.KUMIKO_DATA_DIR) return path.resolve(process.env.KUMIKO_DATA_DIR);
  const base = process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config');
  return path.join(base, 'kumiko-recovery');
}

/**
 * The vault passphrase comes from KUMIKO_VAULT_PASSPHRASE or is asked on the terminal
 * (not echoed). It is never written anywhere.
 */
export async function vaultPassphrase(): Promise<string> {
  const fromEnv = process.env.KUMIKO_VAULT_PASSPHRASE;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new AppError(
      'SECRET_STORE_LOCKED',
      'The secret vault is locked. Set KUMIKO_VAULT_PASSPHRASE or run in a terminal to be asked.',
    );
  }
  return askHidden('Vault passphrase: ');
}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput?: (s: string) => void };
    process.stderr.write(prompt);
    output._writeToOutput = () => {};
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

export async function openSecrets(dataDir: string, passphrase?: string): Promise<SecretStore> {
  return openVault(path.join(dataDir, 'secrets.vault'), passphrase ?? (await vaultPassphrase()));
}

export async function openCore(
  dataDir: string,
  transport: 'web' | 'cli',
  passphrase?: string,
  /** --actor: who the accountability log names for this call (else KUMIKO_ACTOR, then settings). */
  options: { actorName?: string } = {},
): Promise<AppCore> {
  const secrets = await openSecrets(dataDir, passphrase);
  return createAppCore({
    dataDir,
    secrets,
    transport,
    actorName: options.actorName,
    log: (line) => process.stderr.write(`${line}\n`),
  });
}
