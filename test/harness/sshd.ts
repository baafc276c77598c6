import fs from 'node:fs';
import path from 'node:path';
import { makeWorkDir } from './dirs';
import { freePort, waitForPort } from './ports';
import { registerCleanup, runCommand, spawnManaged, type ManagedProcess } from './processes';
import { connectSsh, sshExec, sshFingerprint } from './ssh-client';

/** Options for {@link startSshd}. */
export interface SshdOptions {
  /** Folder for keys, config and logs; default a fresh temp dir (deleted on stop). */
  baseDir?: string;
  /** Extra public key lines accepted for root (the generated client key always is). */
  authorizedKeys?: string[];
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
  /** Extra sshd_config lines, appended after the harness defaults. */
  extraConfig?: string[];
  /**
   * PATH of every session (sshd's `SetEnv`, which also applies to exec channels), e.g. to put
   * a stand-in `node` first. Root's shell startup files are not read (SHLVL below), so
   * nothing is prepended.
   */
  sessionPath?: string[];
}

/** A private OpenSSH server on 127.0.0.1 that lets root in by public key only. */
export interface SshdServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: 'root';
  readonly dir: string;
  /** Private host key file (changes content on regenerateHostKey). */
  readonly hostKeyPath: string;
  /** Current host public key line (`ssh-ed25519 AAAA... comment`). */
  readonly hostPublicKey: string;
  /** Current host key fingerprint, `SHA256:...` as `ssh-keygen -lf` prints it. */
  readonly hostFingerprint: string;
  /** OpenSSH private key text of a fresh ed25519 client key authorized for root. */
  readonly clientPrivateKey: string;
  readonly clientPrivateKeyPath: string;
  readonly clientPublicKey: string;
  /** known_hosts file for the OpenSSH CLI (`-o UserKnownHostsFile=`), kept current. */
  readonly knownHostsPath: string;
  /** PID of the running sshd, undefined while stopped. */
  readonly pid: number | undefined;
  /** Adds a public key line to the authorized keys file (sshd reads it per login). */
  addAuthorizedKey(publicKey: string): void;
  /** Creates a new host key and restarts sshd on the same port (a "changed host key"). */
  regenerateHostKey(): Promise<void>;
  /** Starts sshd again after stopServer(). */
  start(): Promise<void>;
  /** Stops sshd and its session processes by PID, keeping the files. */
  stopServer(): Promise<void>;
  /** Stops sshd and deletes the temp dir (not a given baseDir). Idempotent. */
  stop(): Promise<void>;
  logTail(): string;
}

const SSHD = '/usr/sbin/sshd';

const isSetEnv = (line: string): boolean => /^\s*SetEnv\s/i.test(line);

/** A fresh ed25519 key pair at `file` (and `file`.pub), replacing one that is there. */
export async function keygen(file: string, comment: string): Promise<void> {
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.pub`, { force: true });
  await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], {
    timeoutMs: 30_000,
  });
}

/**
 * The private sshd_config of the tests' servers (and the rebuild bench's fresh hosts): key-only
 * root login, no PAM or DNS, many sessions at once, `sessionEnv` set for every session.
 */
export function sshdConfigText(o: {
  port: number;
  hostKeyPath: string;
  pidFile: string;
  authorizedKeysPath: string;
  sessionEnv: string[];
  extra: string[];
}): string {
  return [
    `Port ${o.port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${o.hostKeyPath}`,
    `PidFile ${o.pidFile}`,
    `AuthorizedKeysFile ${o.authorizedKeysPath}`,
    'AuthenticationMethods publickey',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    // The temp dir and key files are not owned the way StrictModes demands.
    'StrictModes no',
    'UsePAM no',
    'UseDNS no',
    // The app tunnels PostgreSQL through SSH (forwardOut), so TCP forwarding stays on.
    'AllowTcpForwarding yes',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PrintMotd no',
    'Subsystem sftp internal-sftp',
    // Tests open many channels and connections in parallel.
    'MaxSessions 64',
    'MaxStartups 64:30:128',
    'LogLevel VERBOSE',
    // sshd takes only the first SetEnv line, so every session variable goes on one.
    `SetEnv ${o.sessionEnv.join(' ')}`,
    ...o.extra,
    '',
  ].join('\n');
}

/**
 * Starts `/usr/sbin/sshd -D -e -f <own config>` with a fresh ed25519 host key and a fresh
 * client key, and waits until a real login with that key works. Sessions run as root, so the
 * code under test can use `runuser -u postgres`.
 * @throws Error with sshd's output when it does not come up.
 */
export async function startSshd(options: SshdOptions = {}): Promise<SshdServer> {
  const work = makeWorkDir('sshd', options.baseDir);
  const port = options.port ?? (await freePort());
  const file = (name: string): string => path.join(work.path, name);
  const hostKeyPath = file('ssh_host_ed25519_key');
  const clientKeyPath = file('client_ed25519');
  const authorizedKeysPath = file('authorized_keys');
  const knownHostsPath = file('known_hosts');
  const configPath = file('sshd_config');
  const extraConfig = options.extraConfig ?? [];
  // sshd refuses to start without its privilege separation folder.
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  try {
    // A given baseDir keeps its keys across runs, so a pinned fingerprint stays valid (demo).
    if (!fs.existsSync(hostKeyPath)) await keygen(hostKeyPath, 'kumiko-harness-host');
    if (!fs.existsSync(clientKeyPath)) await keygen(clientKeyPath, 'kumiko-harness-client');
  } catch (error) {
    await work.remove();
    throw error;
  }
  const clientPublicKey = fs.readFileSync(`${clientKeyPath}.pub`, 'utf8').trim();
  fs.writeFileSync(
    authorizedKeysPath,
    [clientPublicKey, ...(options.authorizedKeys ?? [])].map((k) => `${k.trim()}\n`).join(''),
  );
  fs.writeFileSync(
    configPath,
    sshdConfigText({
      port,
      hostKeyPath,
      pidFile: file('sshd.pid'),
      authorizedKeysPath,
      sessionEnv: [
        // Sessions must not run the machine's own ~/.bashrc: Debian's bash reads it for a
        // command over ssh, but only at shell level 1. A root .bashrc that runs `pyenv init`
        // (this machine's and CI's) waits 60 s per session on a lock file a killed session left
        // behind, which made install plans and drills over ssh time out. At level 2 bash skips
        // the file; nothing under test reads SHLVL.
        'SHLVL=1',
        ...(options.sessionPath ? [`PATH=${options.sessionPath.join(':')}`] : []),
        ...extraConfig.filter(isSetEnv).flatMap((line) => line.trim().split(/\s+/).slice(1)),
      ],
      extra: extraConfig.filter((line) => !isSetEnv(line)),
    }),
  );

  let hostPublicKey = '';
  let hostFingerprint = '';
  const readHostKey = (): void => {
    hostPublicKey = fs.readFileSync(`${hostKeyPath}.pub`, 'utf8').trim();
    hostFingerprint = sshFingerprint(hostPublicKey);
    const [type, blob] = hostPublicKey.split(/\s+/);
    fs.writeFileSync(
      knownHostsPath,
      `[127.0.0.1]:${port} ${type} ${blob}\n[localhost]:${port} ${type} ${blob}\n`,
    );
  };
  readHostKey();

  let server: ManagedProcess | undefined;
  let stopped = false;
  const clientPrivateKey = fs.readFileSync(clientKeyPath, 'utf8');

  const sshd: SshdServer = {
    host: '127.0.0.1',
    port,
    user: 'root',
    dir: work.path,
    hostKeyPath,
    get hostPublicKey() {
      return hostPublicKey;
    },
    get hostFingerprint() {
      return hostFingerprint;
    },
    clientPrivateKey,
    clientPrivateKeyPath: clientKeyPath,
    clientPublicKey,
    knownHostsPath,
    get pid() {
      return server && !server.exitInfo ? server.pid : undefined;
    },
    addAuthorizedKey(publicKey) {
      fs.appendFileSync(authorizedKeysPath, `${publicKey.trim()}\n`);
    },
    async regenerateHostKey() {
      await sshd.stopServer();
      await keygen(hostKeyPath, 'kumiko-harness-host');
      readHostKey();
      await sshd.start();
    },
    async start() {
      if (sshd.pid !== undefined) return;
      const proc = spawnManaged('sshd', SSHD, ['-D', '-e', '-f', configPath], {
        logFile: file('sshd.log'),
      });
      server = proc;
      try {
        await waitForPort(port, '127.0.0.1', 15_000, () => proc.exitReason());
        const client = await connectSsh({
          host: '127.0.0.1',
          port,
          username: 'root',
          privateKey: clientPrivateKey,
          expectedFingerprint: hostFingerprint,
        });
        const result = await sshExec(client, 'true');
        client.end();
        if (result.code !== 0)
          throw new Error(`'true' over ssh exited with ${result.code}: ${result.stderr}`);
      } catch (error) {
        await proc.stop();
        throw new Error(
          `sshd did not start: ${(error as Error).message}\n${proc.output.text(4_000)}`,
        );
      }
    },
    async stopServer() {
      await server?.stop({ timeoutMs: 5_000 });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unregister();
      try {
        await sshd.stopServer();
      } finally {
        await work.remove();
      }
    },
    logTail() {
      return server?.output.text() ?? '';
    },
  };
  const unregister = registerCleanup({
    name: `sshd ${work.path}`,
    stop: () => sshd.stop(),
    killNow: () => work.removeSync(),
  });
  try {
    await sshd.start();
  } catch (error) {
    await sshd.stop();
    throw error;
  }
  return sshd;
}
