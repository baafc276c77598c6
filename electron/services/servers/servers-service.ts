import crypto from 'node:crypto';
import ssh2 from 'ssh2';
import type { HostKeyProbe, Job, Server, ServerDraft } from '../../../shared/contract';
import { ServerDraft as ServerDraftSchema } from '../../../shared/contract';
import type { JobRunner } from '../../jobs/runner';
import { AppError } from '../app-error';
import type { EventBus } from '../events/event-bus';
import type { SecretStore } from '../secrets/secret-store';
import { probeHostKey, SshConnection } from '../ssh/connection';
import type { ServersRepo } from '../store/servers-repo';
import { DETECT_SCRIPT } from './detect-script';
import { parseDetection } from './parse-detection';

/** Runs the script on stdin as root when the login allows it, else as the login user. */
const RUN_SCRIPT_PRIVILEGED =
  'if [ "$(id -u)" = 0 ]; then sh -s; elif sudo -n true 2>/dev/null; then sudo -n sh -s; else sh -s; fi';

const privateKeyName = (id: string) => `server:${id}:ssh-private-key`;
const passphraseName = (id: string) => `server:${id}:ssh-key-passphrase`;

export interface ServersServiceDeps {
  repo: ServersRepo;
  secrets: SecretStore;
  jobs: JobRunner;
  events: EventBus;
}

/**
 * Servers the admin manages: adding them (key material to the secret store), trust on first
 * use of their SSH host key, and connecting to detect what runs there.
 */
export class ServersService {
  private readonly connectedListeners = new Set<(serverId: string) => void>();

  constructor(private readonly deps: ServersServiceDeps) {}

  /**
   * Calls `listener` after each successful connect (e.g. to collect drill reports the agent
   * made meanwhile). Listeners run after the connect job's work and must not throw or block:
   * whatever they start runs in the background, and a failure there never fails the connect.
   */
  onConnected(listener: (serverId: string) => void): () => void {
    this.connectedListeners.add(listener);
    return () => this.connectedListeners.delete(listener);
  }

  list(): Server[] {
    return this.deps.repo.list();
  }

  get(id: string): Server {
    const server = this.deps.repo.get(id);
    if (!server) throw new AppError('NOT_FOUND', `No server ${id}.`);
    return server;
  }

  async add(input: ServerDraft): Promise<Server> {
    const draft = ServerDraftSchema.parse(input);
    const id = crypto.randomUUID();
    let privateKey: string;
    let publicKey: string | null = null;
    if (draft.auth.kind === 'privateKey') {
      const parsed = ssh2.utils.parseKey(draft.auth.privateKey, draft.auth.passphrase);
      if (parsed instanceof Error) {
        throw new AppError('INVALID_INPUT', `The private key cannot be read: ${parsed.message}`, [
          { path: ['auth', 'privateKey'], message: parsed.message },
        ]);
      }
      privateKey = draft.auth.privateKey;
    } else {
      const pair = ssh2.utils.generateKeyPairSync('ed25519', {
        comment: `kumiko-recovery@${draft.name}`,
      });
      privateKey = pair.private;
      publicKey = pair.public.trim();
    }
    await this.deps.secrets.set(privateKeyName(id), privateKey);
    if (draft.auth.kind === 'privateKey' && draft.auth.passphrase) {
      await this.deps.secrets.set(passphraseName(id), draft.auth.passphrase);
    }
    const server = this.deps.repo.insert({
      id,
      name: draft.name,
      host: draft.host,
      port: draft.port,
      user: draft.user,
      authKind: draft.auth.kind,
      publicKey,
    });
    this.deps.events.emit('servers.changed', { serverId: id });
    return server;
  }

  async remove(id: string): Promise<void> {
    this.get(id);
    await this.deps.secrets.delete(privateKeyName(id));
    await this.deps.secrets.delete(passphraseName(id));
    this.deps.repo.remove(id);
    this.deps.events.emit('servers.changed', { serverId: id });
  }

  /**
   * New host, port and user for a server. A new host is another machine until proven
   * otherwise: its pinned host key is dropped and the admin confirms the new fingerprint
   * (probeHostKey, trustHostKey) before anything authenticates there. A new port or user keeps
   * the pin, which the next contact checks as always.
   */
  update(input: { id: string; host: string; port: number; user: string }): Server {
    const server = this.get(input.id);
    const hostChanged = server.host.toLowerCase() !== input.host.toLowerCase();
    this.deps.repo.updateAddress(
      server.id,
      { host: input.host, port: input.port, user: input.user },
      hostChanged,
    );
    this.deps.events.emit('servers.changed', { serverId: server.id });
    return this.get(server.id);
  }

  async probeHostKey(id: string): Promise<HostKeyProbe> {
    const server = this.get(id);
    const seen = await probeHostKey(server);
    const pinned = server.hostKey?.fingerprint ?? null;
    const status = pinned === null ? 'unpinned' : pinned === seen.fingerprint ? 'match' : 'changed';
    if (status === 'changed') this.markHostKeyChanged(server, seen.fingerprint);
    return { ...seen, status, pinnedFingerprint: pinned };
  }

  /**
   * Pins the fingerprint the admin confirmed, after checking the server still presents it.
   * A pinned key is never replaced here: a legitimately rotated key means removing and
   * re-adding the server, a deliberate act rather than one click under pressure.
   */
  async trustHostKey(id: string, fingerprint: string): Promise<Server> {
    const server = this.get(id);
    if (server.hostKey && server.hostKey.fingerprint !== fingerprint) {
      throw new AppError(
        'HOST_KEY_CHANGED',
        `A different host key is already pinned for ${server.name} (${server.hostKey.fingerprint}). ` +
          'If the server was reinstalled, verify the new key out of band, remove the server and add it again.',
        { pinned: server.hostKey.fingerprint, presented: fingerprint },
      );
    }
    const seen = await probeHostKey(server);
    if (seen.fingerprint !== fingerprint) {
      throw new AppError(
        'HOST_KEY_MISMATCH',
        `The server now presents ${seen.fingerprint}, not the confirmed ${fingerprint}. Nothing was pinned.`,
        { confirmed: fingerprint, presented: seen.fingerprint },
      );
    }
    this.deps.repo.pinHostKey(id, seen);
    this.deps.events.emit('servers.changed', { serverId: id });
    return this.get(id);
  }

  /** Starts the connect-and-detect job. */
  connect(id: string): Job {
    const server = this.get(id);
    if (!server.hostKey) {
      throw new AppError(
        'HOST_KEY_UNCONFIRMED',
        `Confirm the host key of ${server.name} before connecting.`,
      );
    }
    return this.deps.jobs.start({
      kind: 'server.detect',
      title: `Connect to ${server.name}`,
      subjectId: id,
      run: async (ctx) => {
        ctx.progress('connect', 0, 3);
        const connection = await this.open(id, ctx.signal).catch((err: unknown) => {
          this.recordFailure(id, err);
          throw err;
        });
        try {
          ctx.progress('detect', 1, 3);
          const result = await connection.exec(RUN_SCRIPT_PRIVILEGED, {
            stdin: DETECT_SCRIPT,
            signal: ctx.signal,
          });
          ctx.progress('save', 2, 3);
          const detection = parseDetection(result.stdout);
          this.deps.repo.saveDetection(id, detection);
          this.deps.events.emit('servers.changed', { serverId: id });
          ctx.progress('save', 3, 3);
          this.notifyConnected(id);
          return detection;
        } finally {
          connection.close();
        }
      },
    });
  }

  /** An authenticated connection with the pinned host key, for other services. */
  async open(id: string, signal?: AbortSignal): Promise<SshConnection> {
    const server = this.get(id);
    if (!server.hostKey) {
      throw new AppError('HOST_KEY_UNCONFIRMED', `Confirm the host key of ${server.name} first.`);
    }
    const privateKey = await this.deps.secrets.get(privateKeyName(id));
    if (!privateKey) {
      throw new AppError(
        'SECRET_STORE_UNAVAILABLE',
        `The SSH key of ${server.name} is missing from the secret store.`,
      );
    }
    const passphrase = (await this.deps.secrets.get(passphraseName(id))) ?? undefined;
    return SshConnection.connect(
      server,
      { privateKey, passphrase },
      server.hostKey.fingerprint,
      signal,
    );
  }

  private notifyConnected(id: string): void {
    for (const listener of this.connectedListeners) {
      try {
        listener(id);
      } catch {
        // A listener's failure is its own business; the connect itself succeeded.
      }
    }
  }

  private markHostKeyChanged(server: Server, presented: string): void {
    this.deps.repo.setStatus(
      server.id,
      'host-key-changed',
      `Host key changed: pinned ${server.hostKey?.fingerprint}, presented ${presented}. Connection refused.`,
      { code: 'HOST_KEY_CHANGED', message: 'Host key changed. Connection refused.' },
    );
    this.deps.events.emit('servers.changed', { serverId: server.id });
  }

  private recordFailure(id: string, err: unknown): void {
    if (err instanceof AppError && err.code === 'CANCELLED') return;
    const message = err instanceof Error ? err.message : String(err);
    const status =
      err instanceof AppError && err.code === 'HOST_KEY_CHANGED'
        ? 'host-key-changed'
        : 'unreachable';
    const error =
      err instanceof AppError
        ? { code: err.code, message, ...(err.reason ? { reason: err.reason } : {}) }
        : { code: 'INTERNAL', message };
    this.deps.repo.setStatus(id, status, message, error);
    this.deps.events.emit('servers.changed', { serverId: id });
  }
}
