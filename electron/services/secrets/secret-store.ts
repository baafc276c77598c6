/**
 * Where SSH private keys, S3 keys and repository passphrases live. Implementations:
 * Electron safeStorage (desktop; refuses the `basic_text` backend) and a passphrase vault
 * (scrypt + AES-256-GCM) for the CLI and browser mode. Secrets never go to SQLite in clear,
 * to logs or to the renderer.
 */
export interface SecretStore {
  /** A short name for diagnostics, e.g. 'vault' or 'safeStorage'. */
  readonly kind: string;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Thrown when no safe backend is available (e.g. safeStorage falls back to basic_text). */
export class SecretStoreUnavailableError extends Error {
  override readonly name = 'SecretStoreUnavailableError';
}
