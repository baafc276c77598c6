import { safeStorage } from 'electron';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SecretStoreUnavailableError, type SecretStore } from '../services/secrets/secret-store';

export const SECRETS_FILE = 'secrets.json';

/** On disk: key names in clear, each value encrypted by safeStorage (base64). */
interface SecretsFile {
  version: 1;
  entries: Record<string, string>;
}

/**
 * Throws SecretStoreUnavailableError unless safeStorage encrypts with a real OS key store.
 * On Linux without a keyring Chromium falls back to 'basic_text' (a hard-coded key): refused.
 * Call after app 'ready' ('unknown' before it, also refused).
 */
export function assertSafeStorageUsable(platform: NodeJS.Platform = process.platform): void {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new SecretStoreUnavailableError('OS encryption (safeStorage) is not available');
  }
  if (platform !== 'linux') return;
  const backend = safeStorage.getSelectedStorageBackend();
  if (backend === 'basic_text' || backend === 'unknown') {
    throw new SecretStoreUnavailableError(
      `safeStorage would use the '${backend}' backend, which does not protect secrets; ` +
        'unlock or install a keyring (GNOME Keyring, KWallet)',
    );
  }
}

async function load(file: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<SecretsFile>;
  if (parsed.version !== 1 || typeof parsed.entries !== 'object' || parsed.entries === null) {
    throw new SecretStoreUnavailableError(`${file} is not a Kumiko secrets file`);
  }
  const entries = Object.entries(parsed.entries).filter(
    (e): e is [string, string] => typeof e[1] === 'string',
  );
  return new Map(entries);
}

class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'safeStorage';
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly entries: Map<string, string>,
    private readonly platform: NodeJS.Platform,
  ) {}

  async get(key: string): Promise<string | null> {
    assertSafeStorageUsable(this.platform);
    const encrypted = this.entries.get(key);
    if (encrypted === undefined) return null;
    try {
      return safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
    } catch {
      throw new SecretStoreUnavailableError(`Secret ${key} cannot be decrypted with this OS key`);
    }
  }

  async set(key: string, value: string): Promise<void> {
    assertSafeStorageUsable(this.platform);
    this.entries.set(key, safeStorage.encryptString(value).toString('base64'));
    await this.persist();
  }

  async delete(key: string): Promise<void> {
    if (this.entries.delete(key)) await this.persist();
  }

  /** Serialized, atomic (temp file + rename), owner-only. */
  private persist(): Promise<void> {
    const body: SecretsFile = { version: 1, entries: Object.fromEntries(this.entries) };
    const text = `${JSON.stringify(body, null, 2)}\n`;
    const write = async () => {
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, this.file);
    };
    this.writes = this.writes.then(write, write);
    return this.writes;
  }
}

/** A SecretStore over Electron safeStorage, persisted to `<dataDir>/secrets.json`. */
export async function openSafeStorageSecretStore(
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
): Promise<SecretStore> {
  assertSafeStorageUsable(platform);
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, SECRETS_FILE);
  return new SafeStorageSecretStore(file, await load(file), platform);
}

/** Stands in when no safe backend exists: the app runs, every secret use fails with a reason. */
export function unavailableSecretStore(reason: string): SecretStore {
  const refuse = async (): Promise<never> => {
    throw new SecretStoreUnavailableError(reason);
  };
  return { kind: 'unavailable', get: refuse, set: refuse, delete: refuse };
}
