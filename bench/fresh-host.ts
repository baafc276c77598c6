import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  freePort,
  keygen,
  sshdConfigText,
  sshFingerprint,
  spawnManaged,
  waitForPort,
} from '../test/harness';
import { registerCleanup } from '../test/harness/registry';

const run = promisify(execFile);

/**
 * A fresh Debian 12 server for the rebuild benchmark (issue 19: "package install + pgbackrest
 * restore + replay + start"): a minimal root made once with debootstrap (openssh-server,
 * iproute2, procps and ca-certificates beside the base, as a server image has them), unpacked
 * anew for each side and entered with chroot. Its sshd listens on a free port of this machine;
 * PostgreSQL, pgBackRest and restic are not there until apt installs them from Debian's mirror,
 * as on a new server. The image is cached under node_modules/.cache (made in about a minute).
 * Root only (chroot, mounts); debootstrap from Debian's apt repositories.
 */
export interface FreshHost {
  readonly root: string;
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: 'root';
  readonly clientPrivateKey: string;
  readonly hostFingerprint: string;
  /** Runs a script with sh -e inside the host as root (or `as` another user); its stdout. */
  sh(script: string, as?: string): Promise<string>;
  /** Stops every process running inside the root, unmounts it and deletes it. */
  stop(): Promise<void>;
}

const CACHE = path.join(process.cwd(), 'node_modules/.cache/kumiko-fresh-host');
const MIRROR = process.env.KUMIKO_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
const IMAGE = path.join(CACHE, 'debian-bookworm-server.tar');
/** What a Debian server image has beside minbase: sshd, ip, ps, the CA bundle. */
const SERVER_PACKAGES = ['openssh-server', 'iproute2', 'procps', 'ca-certificates'];

/**
 * Whether this machine can make fresh hosts: root, and debootstrap (installed here with apt
 * when it is missing, as scripts/ensure-deps.sh installs the tests' packages).
 */
export function canMakeFreshHosts(): boolean {
  if (process.getuid?.() !== 0) return false;
  if (!fs.existsSync('/usr/sbin/debootstrap') && fs.existsSync('/usr/bin/apt-get')) {
    try {
      execFileSync('apt-get', ['install', '-y', '-qq', 'debootstrap'], {
        stdio: 'ignore',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch {
      // No package lists or no mirror: the bench compares on this machine instead.
    }
  }
  return fs.existsSync('/usr/sbin/debootstrap');
}

/** The image's tar file, made with debootstrap when the cache has none. */
export async function freshHostImage(log: (line: string) => void): Promise<string> {
  if (fs.existsSync(IMAGE)) return IMAGE;
  fs.mkdirSync(CACHE, { recursive: true });
  const staging = fs.mkdtempSync(path.join(CACHE, 'debootstrap-'));
  try {
    log(`making a fresh Debian 12 server image with debootstrap (${MIRROR}, once)…`);
    await run(
      '/usr/sbin/debootstrap',
      ['--variant=minbase', `--include=${SERVER_PACKAGES.join(',')}`, 'bookworm', staging, MIRROR],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    // Each host makes its own host keys; no downloaded package stays in the image.
    for (const f of fs.readdirSync(path.join(staging, 'etc/ssh'))) {
      if (f.startsWith('ssh_host_')) fs.rmSync(path.join(staging, 'etc/ssh', f));
    }
    await run('chroot', [staging, 'apt-get', 'clean']);
    fs.chmodSync(staging, 0o755);
    const partial = `${IMAGE}.partial`;
    await run('tar', ['-C', staging, '-cf', partial, '.']);
    fs.renameSync(partial, IMAGE);
    return IMAGE;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Unpacks the image into a new root and starts its sshd with fresh host and client keys. */
export async function startFreshHost(image: string): Promise<FreshHost> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-fresh-host-'));
  fs.chmodSync(root, 0o755);
  const inRoot = (p: string): string => path.join(root, p);
  let sshd: ReturnType<typeof spawnManaged> | undefined;
  const removeNow = (): void => {
    killInside(root);
    unmountInside(root);
    // Never a recursive delete while /dev is still mounted inside.
    if (mountsInside(root).length === 0) fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(`${root}.sshd.log`, { force: true });
  };
  // Also when the bench is stopped with a signal: the harness's exit hooks run this.
  const unregister = registerCleanup({
    name: `fresh host ${root}`,
    stop: async () => removeNow(),
    killNow: removeNow,
  });
  const stop = async (): Promise<void> => {
    unregister();
    await sshd?.stop({ timeoutMs: 5_000 }).catch(() => undefined);
    removeNow();
  };
  try {
    await run('tar', ['-C', root, '-xf', image]);
    // '/' as on a server (the image's own '.' may carry a temp folder's 0700).
    fs.chmodSync(root, 0o755);
    // Names resolve as on this machine: the bucket's endpoint is this machine's S3 server.
    fs.copyFileSync('/etc/resolv.conf', inRoot('etc/resolv.conf'));
    fs.copyFileSync('/etc/hosts', inRoot('etc/hosts'));
    execFileSync('mount', ['-t', 'proc', 'proc', inRoot('proc')]);
    // /dev with its submounts (/dev/shm for PostgreSQL, /dev/pts), never propagating back.
    execFileSync('mount', ['--rbind', '/dev', inRoot('dev')]);
    execFileSync('mount', ['--make-rslave', inRoot('dev')]);
    fs.mkdirSync(inRoot('run/sshd'), { recursive: true, mode: 0o755 });
    // Paths as sshd sees them inside the root.
    const hostKey = '/etc/ssh/ssh_host_ed25519_key';
    const authorizedKeys = '/etc/ssh/kumiko-bench-authorized_keys';
    await keygen(inRoot(hostKey), 'kumiko-fresh-host');
    const clientKey = inRoot('root/client_ed25519');
    await keygen(clientKey, 'kumiko-fresh-host-client');
    fs.copyFileSync(`${clientKey}.pub`, inRoot(authorizedKeys));
    const clientPrivateKey = fs.readFileSync(clientKey, 'utf8');
    fs.rmSync(clientKey);
    const port = await freePort();
    const config = '/etc/ssh/kumiko-bench.conf';
    // The tests' own sshd settings (SHLVL=1: bash skips ~/.bashrc, as there).
    fs.writeFileSync(
      inRoot(config),
      sshdConfigText({
        port,
        hostKeyPath: hostKey,
        pidFile: '/run/sshd-bench.pid',
        authorizedKeysPath: authorizedKeys,
        sessionEnv: ['SHLVL=1'],
        extra: [],
      }),
    );
    sshd = spawnManaged(
      'fresh-host sshd',
      'chroot',
      [root, '/usr/sbin/sshd', '-D', '-e', '-f', config],
      {
        logFile: path.join(`${root}.sshd.log`),
      },
    );
    const started = sshd;
    await waitForPort(port, '127.0.0.1', 15_000, () => started.exitReason());
    const hostFingerprint = sshFingerprint(fs.readFileSync(inRoot(`${hostKey}.pub`), 'utf8'));
    return {
      root,
      host: '127.0.0.1',
      port,
      user: 'root',
      clientPrivateKey,
      hostFingerprint,
      async sh(script, as) {
        const args = as
          ? [root, 'runuser', '-u', as, '--', 'sh', '-ec', script]
          : [root, 'sh', '-ec', script];
        const { stdout } = await run('chroot', args, { maxBuffer: 64 * 1024 * 1024 });
        return stdout;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** PIDs whose root directory is `root` (every process started inside it). */
function pidsInside(root: string): number[] {
  const real = fs.realpathSync(root);
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return fs.readlinkSync(`/proc/${d}/root`) === real;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function killInside(root: string): void {
  for (let round = 0; round < 50; round++) {
    const pids = pidsInside(root);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    execFileSync('sleep', ['0.1']);
  }
}

/** Mount points at or below `root`, deepest first. */
function mountsInside(root: string): string[] {
  const real = fs.realpathSync(root);
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point.startsWith(`${real}/`))
    .sort((a, b) => b.length - a.length);
}

/** Unmounts /proc and /dev inside the root; the root is deleted only when none is left. */
function unmountInside(root: string): void {
  for (const point of mountsInside(root)) {
    try {
      execFileSync('umount', ['-l', point]);
    } catch {
      // Gone with its parent (a lazy unmount of /dev takes its submounts).
    }
  }
}

/**
 * Downloads `packages` once on a throwaway host and forgets them: a caching mirror or proxy
 * between this machine and Debian (this workplace has one) then serves both sides of the
 * bench alike, instead of the first side filling it for the second.
 */
export async function warmMirror(image: string, packages: readonly string[]): Promise<void> {
  const host = await startFreshHost(image);
  try {
    await host.sh(
      `DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --download-only ${packages.join(' ')} >/dev/null`,
    );
  } finally {
    await host.stop();
  }
}
