import crypto from 'node:crypto';
import { Client } from 'ssh2';

/**
 * OpenSSH-style SHA256 fingerprint ('SHA256:' + unpadded base64, as `ssh-keygen -lf` prints)
 * of a public key given as the raw wire blob or as an `ssh-ed25519 AAAA... comment` line.
 */
export function sshFingerprint(key: Buffer | string): string {
  const blob =
    typeof key === 'string' ? Buffer.from(key.trim().split(/\s+/)[1] ?? '', 'base64') : key;
  return `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Options for {@link connectSsh}. */
export interface SshConnectOptions {
  host: string;
  port: number;
  username: string;
  /** OpenSSH private key text. */
  privateKey: string;
  /** The connection fails unless the server's host key has this SHA256 fingerprint. */
  expectedFingerprint: string;
  readyTimeoutMs?: number;
}

/** Thrown when the server presented another host key than expected. */
export class HostKeyMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`host key mismatch: expected ${expected}, server presented ${actual}`);
    this.name = 'HostKeyMismatchError';
  }
}

/**
 * Opens an ssh2 connection that verifies the host key fingerprint and authenticates with a
 * key only (no agent, no password). Rejects with HostKeyMismatchError or ssh2's auth error.
 */
export function connectSsh(options: SshConnectOptions): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let presented: string | undefined;
    client.once('ready', () => resolve(client));
    client.once('error', (error) => {
      client.end();
      if (presented !== undefined && presented !== options.expectedFingerprint) {
        reject(new HostKeyMismatchError(options.expectedFingerprint, presented));
      } else {
        reject(error);
      }
    });
    client.connect({
      host: options.host,
      port: options.port,
      username: options.username,
      privateKey: options.privateKey,
      readyTimeout: options.readyTimeoutMs ?? 10_000,
      hostVerifier: (key: Buffer) => {
        presented = sshFingerprint(key);
        return presented === options.expectedFingerprint;
      },
    });
  });
}

/** Output of a remote command. */
export interface SshExecResult {
  code: number | null;
  signal: string | undefined;
  stdout: string;
  stderr: string;
}

/** Runs one command over an open connection and collects its output. */
export function sshExec(client: Client, command: string): Promise<SshExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let code: number | null = null;
      let signal: string | undefined;
      channel.on('data', (chunk: Buffer) => stdout.push(chunk));
      channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
        code = exitCode;
        signal = exitSignal;
      });
      channel.on('close', () =>
        resolve({
          code,
          signal,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
        }),
      );
    });
  });
}
