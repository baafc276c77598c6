import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../app-error';
import type { SecretStore } from './secret-store';

interface SealedValue {
  iv: string;
  tag: string;
  data: string;
}

interface VaultFile {
  version: 1;
  kdf: { name: 'scrypt'; salt: string; N: number; r: number; p: number };
  /** A known plaintext sealed with the key: tells a wrong passphrase from a damaged entry. */
  check: SealedValue;
  entries: Record<string, SealedValue>;
}

const CHECK_PLAINTEXT = 'kumiko-vault-v1';
// scrypt cost: ~100 ms on a laptop, paid once per open, not per secret.
const KDF = { N: 2 ** 15, r: 8, p: 1 } as const;

/**
 * Passphrase vault for the CLI and browser mode: one file, every value sealed with
 * AES-256-GCM under a key derived by scrypt from the admin's passphrase. The passphrase
 * itself is never stored.
 */
export class VaultSecretStore implements SecretStore {
  readonly kind = 'vault';
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly filePath: string,
    private readonly key: Buffer,
    private readonly file: VaultFile,
  ) {}

  static async open(filePath: string, passphrase: string): Promise<VaultSecretStore> {
    if (passphrase.length < 8) {
      throw new AppError(
        'SECRET_STORE_LOCKED',
        'The vault passphrase must have at least 8 characters.',
      );
    }
    const existing = await readVault(filePath);
    if (existing) {
      const key = deriveKey(passphrase, existing.kdf);
      let check: string | null = null;
      try {
        check = unseal(key, existing.check);
      } catch {
        check = null;
      }
      if (check !== CHECK_PLAINTEXT) {
        throw new AppError('SECRET_STORE_LOCKED', 'Wrong passphrase for the secret vault.');
      }
      return new VaultSecretStore(filePath, key, existing);
    }
    const kdf = {
      name: 'scrypt' as const,
      salt: crypto.randomBytes(16).toString('base64'),
      ...KDF,
    };
    const key = deriveKey(passphrase, kdf);
    const file: VaultFile = { version: 1, kdf, check: seal(key, CHECK_PLAINTEXT), entries: {} };
    try {
      // Exclusive create: when two processes create the vault at once, one wins and the
      // other opens the winner's file instead of replacing it with a different salt.
      await fs.mkdir(path.dirname(filePath), { recursive: true, mode: 0o700 });
      await fs.writeFile(filePath, JSON.stringify(file), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        return VaultSecretStore.open(filePath, passphrase);
      }
      throw err;
    }
    return new VaultSecretStore(filePath, key, file);
  }

  async get(name: string): Promise<string | null> {
    const sealed = this.file.entries[name];
    return sealed ? unseal(this.key, sealed) : null;
  }

  async set(name: string, value: string): Promise<void> {
    this.file.entries[name] = seal(this.key, value);
    await this.persist();
  }

  async delete(name: string): Promise<void> {
    if (!(name in this.file.entries)) return;
    delete this.file.entries[name];
    await this.persist();
  }

  /** Writes are serialised and atomic (temp file + rename) so a crash never leaves half a vault. */
  private persist(): Promise<void> {
    const next = this.writing.then(async () => {
      await fs.mkdir(path.dirname(this.filePath), { recursive: true, mode: 0o700 });
      const tmp = `${this.filePath}.${process.pid}.tmp`;
      await fs.writeFile(tmp, JSON.stringify(this.file), { mode: 0o600 });
      await fs.rename(tmp, this.filePath);
    });
    this.writing = next.catch(() => undefined);
    return next;
  }
}

/** Convenience for transports: opens or creates the vault at `filePath`. */
export function openVault(filePath: string, passphrase: string): Promise<VaultSecretStore> {
  return VaultSecretStore.open(filePath, passphrase);
}

async function readVault(filePath: string): Promise<VaultFile | null> {
  let text: string;
  try {
    text = await fs.readFile(filePath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = JSON.parse(text) as VaultFile;
  if (parsed.version !== 1 || parsed.kdf?.name !== 'scrypt') {
    throw new AppError('SECRET_STORE_UNAVAILABLE', `Unsupported vault format in ${filePath}.`);
  }
  return parsed;
}

function deriveKey(passphrase: string, kdf: VaultFile['kdf']): Buffer {
  return crypto.scryptSync(passphrase, Buffer.from(kdf.salt, 'base64'), 32, {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    maxmem: 128 * kdf.N * kdf.r * 2,
  });
}

function seal(key: Buffer, plaintext: string): SealedValue {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

function unseal(key: Buffer, sealed: SealedValue): string {
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([
    decipher.update(Buffer.from(sealed.data, 'base64')),
    decipher.final(),
  ]).toString('utf8');
}
