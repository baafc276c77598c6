import ssh2, { type Client, type ConnectConfig } from 'ssh2';
import { AppError } from '../app-error';
import { keyAlgorithm, sha256Fingerprint } from './fingerprint';

export interface SshTarget {
  host: string;
  port: number;
  user: string;
}

export interface SshCredentials {
  privateKey: string;
  passphrase?: string;
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  stdin?: string | Buffer;
  signal?: AbortSignal;
  /** Told once all of `stdin` went to the link (the command may still be reading it). */
  onStdinSent?: () => void;
}

const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Reads the server's host key without authenticating: the verifier records the key and
 * refuses it, so no credentials are ever offered to a host the admin has not confirmed.
 */
export function probeHostKey(
  target: Pick<SshTarget, 'host' | 'port'>,
): Promise<{ algorithm: string; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let seen: { algorithm: string; fingerprint: string } | null = null;
    const done = (err: Error | null) => {
      client.end();
      if (seen) resolve(seen);
      else reject(toSshError(err ?? new Error('no host key received'), target));
    };
    client.on('error', (err) => done(err));
    client.on('ready', () => done(null));
    client.connect({
      host: target.host,
      port: target.port,
      username: 'kumiko-probe',
      readyTimeout: CONNECT_TIMEOUT_MS,
      hostVerifier: (key: Buffer) => {
        seen = { algorithm: keyAlgorithm(key), fingerprint: sha256Fingerprint(key) };
        return false;
      },
    });
  });
}

/**
 * An authenticated SSH session to a server whose host key matches the pinned fingerprint.
 * A different key is a hard failure (HOST_KEY_CHANGED) before any credential is sent.
 */
export class SshConnection {
  private constructor(private readonly client: Client) {}

  static connect(
    target: SshTarget,
    credentials: SshCredentials,
    pinnedFingerprint: string,
    signal?: AbortSignal,
  ): Promise<SshConnection> {
    return new Promise((resolve, reject) => {
      const client = new ssh2.Client();
      let presented: string | null = null;
      const onAbort = () => {
        client.end();
        reject(new AppError('CANCELLED', 'Cancelled while connecting.'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      client.on('ready', () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(new SshConnection(client));
      });
      client.on('error', (err) => {
        signal?.removeEventListener('abort', onAbort);
        client.end();
        if (presented && presented !== pinnedFingerprint) {
          reject(
            new AppError(
              'HOST_KEY_CHANGED',
              `The host key of ${target.host}:${target.port} has changed (pinned ${pinnedFingerprint}, ` +
                `presented ${presented}). This can mean a man-in-the-middle attack. Connection refused.`,
              { pinned: pinnedFingerprint, presented },
              { key: 'changed', params: { where: `${target.host}:${target.port}` } },
            ),
          );
        } else {
          reject(toSshError(err, target));
        }
      });
      const config: ConnectConfig = {
        host: target.host,
        port: target.port,
        username: target.user,
        privateKey: credentials.privateKey,
        readyTimeout: CONNECT_TIMEOUT_MS,
        keepaliveInterval: 15_000,
        agentForward: false,
        hostVerifier: (key: Buffer) => {
          presented = sha256Fingerprint(key);
          return presented === pinnedFingerprint;
        },
      };
      if (credentials.passphrase) config.passphrase = credentials.passphrase;
      client.connect(config);
    });
  }

  /** Runs one command; a non-zero exit is returned, not thrown, so callers decide. */
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return this.execOnLink(command, options).catch((err: unknown) => {
      if (err instanceof AppError) throw err;
      // ssh2 throws 'Not connected' at once when the link is gone (a dropped network, a
      // killed session): the connection failed, not the app, and the error says so.
      throw new AppError(
        'SSH_UNREACHABLE',
        `The SSH connection was lost: ${err instanceof Error ? err.message : String(err)}`,
        undefined,
        { key: 'connectionLost' },
      );
    });
  }

  private execOnLink(command: string, options: ExecOptions): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) return reject(new AppError('CANCELLED', 'Cancelled.'));
      this.client.exec(command, (err, channel) => {
        if (err)
          return reject(
            new AppError(
              'SSH_COMMAND_FAILED',
              `Could not run a command: ${err.message}`,
              undefined,
              { key: 'cannotRun' },
            ),
          );
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let code: number | null = null;
        const onAbort = () => {
          channel.signal('TERM');
          channel.close();
          reject(new AppError('CANCELLED', 'Cancelled.'));
        };
        options.signal?.addEventListener('abort', onAbort, { once: true });
        channel.on('data', (chunk: Buffer) => stdout.push(chunk));
        channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        channel.on('exit', (exitCode: number | null) => {
          code = exitCode;
        });
        channel.on('close', () => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve({
            code,
            stdout: Buffer.concat(stdout).toString('utf8'),
            stderr: Buffer.concat(stderr).toString('utf8'),
          });
        });
        if (options.stdin !== undefined) channel.end(options.stdin, () => options.onStdinSent?.());
        else channel.end();
      });
    });
  }

  close(): void {
    this.client.end();
  }
}

function toSshError(err: Error, target: Pick<SshTarget, 'host' | 'port'>): AppError {
  const where = `${target.host}:${target.port}`;
  const level = (err as Error & { level?: string }).level;
  if (level === 'client-authentication') {
    return new AppError('SSH_AUTH_FAILED', `The server ${where} refused the SSH key.`, undefined, {
      key: 'keyRefused',
      params: { where },
    });
  }
  if (/timed out/i.test(err.message)) {
    return new AppError('SSH_UNREACHABLE', `No SSH answer from ${where} in time.`, undefined, {
      key: 'noAnswer',
      params: { where },
    });
  }
  return new AppError(
    'SSH_UNREACHABLE',
    `Cannot reach SSH on ${where}: ${err.message}`,
    undefined,
    { key: 'cannotConnect', params: { where } },
  );
}
