import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { makeWorkDir } from './dirs';
import { freePort, waitForPort } from './ports';
import { registerCleanup, runCommand, spawnManaged, type ManagedProcess } from './processes';
import { createTlsMaterial } from './tls';

// Ceph's RADOS Gateway as a real S3 server with versioning, Object Lock and bucket policies
// (docs/notes/radosgw.md has the measured facts behind every setting below): one mon, one
// memstore OSD and radosgw, everything under one temporary folder, TLS from the harness CA.

/** A user created with fixed keys. */
export interface RadosgwUser {
  readonly uid: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Options for {@link startRadosgw}. */
export interface RadosgwOptions {
  /** Users to create (uid → keys derived from the uid); default ['admin']. */
  users?: string[];
}

/** A running one-mon/one-OSD/radosgw cluster with TLS, stopped by PID. */
export interface Radosgw {
  /** `https://localhost:<port>`: the certificate names localhost. */
  readonly endpoint: string;
  readonly port: number;
  /** CA certificate (PEM file) that signed the server certificate. */
  readonly caFile: string;
  /** radosgw accepts any region name; clients sign for this one. */
  readonly region: 'us-east-1';
  readonly dir: string;
  /** PIDs of the mon, the OSD and radosgw (while running). */
  readonly pids: readonly number[];
  /** The users created at start, by uid. */
  readonly users: Readonly<Record<string, RadosgwUser>>;
  /** Creates one more user with fixed keys. */
  addUser(uid: string): Promise<RadosgwUser>;
  /** Kills radosgw, the OSD and the mon by PID (SIGKILL) and deletes the folder. Idempotent. */
  stop(): Promise<void>;
}

const BIN = '/usr/bin';

/** Keys derived from the uid: fixed, so a failed run can be reproduced by hand. */
function keysFor(uid: string): RadosgwUser {
  const hash = crypto.createHash('sha256').update(`kumiko-radosgw:${uid}`).digest('hex');
  return {
    uid,
    accessKeyId: `RGW${hash.slice(0, 17).toUpperCase()}`,
    secretAccessKey: hash.slice(20, 60),
  };
}

function cephConf(
  dir: string,
  monPort: number,
  rgwPort: number,
  tls: { cert: string; key: string },
): string {
  const d = (sub: string): string => path.join(dir, sub);
  return `[global]
fsid = ${crypto.randomUUID()}
mon host = v2:127.0.0.1:${monPort}
auth cluster required = none
auth service required = none
auth client required = none
ms bind msgr1 = false
public addr = 127.0.0.1
cluster addr = 127.0.0.1
run dir = ${d('run')}
admin socket = ${d('run')}/$name.asok
pid file = ${d('run')}/$name.pid
log file = ${d('log')}/$name.log
mon cluster log file = ${d('log')}/cluster.log
mon data = ${d('mon')}/$cluster-$id
osd data = ${d('osd')}/$cluster-$id
keyring = ${d('keyring')}
osd objectstore = memstore
memstore device bytes = 1073741824
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
paxos propose interval = 0.01
paxos min wait = 0.001

[client.rgw.a]
rgw frontends = beast ssl_endpoint=127.0.0.1:${rgwPort} ssl_certificate=${tls.cert} ssl_private_key=${tls.key} tcp_nodelay=1
ms mon client mode = crc
rgw data = ${d('rgw')}
rgw thread pool size = 32
`;
}

/** Resolves when an HTTPS request verified against `caFile` gets any HTTP response. */
function httpsAnswers(port: number, ca: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get({ host: 'localhost', port, path: '/', ca, timeout: 2_000 }, (r) => {
      r.resume();
      resolve(true);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve(false));
  });
}

async function until(
  what: string,
  timeoutMs: number,
  test: () => Promise<boolean>,
  exited: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await test()) return;
    const reason = exited();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts a Ceph cluster (mon, memstore OSD, radosgw with TLS) on free ports under a fresh
 * temporary folder and creates the given users. About 1.2 s on this machine, 140 MB of memory.
 * Everything is registered with the harness cleanup (stopAll and the exit hooks).
 */
export async function startRadosgw(options: RadosgwOptions = {}): Promise<Radosgw> {
  const work = makeWorkDir('radosgw');
  const procs: ManagedProcess[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    unregister();
    // SIGKILL at once: with the mon gone a SIGTERMed OSD can hang, and memstore has nothing
    // to flush. Newest first (radosgw, OSD, mon); stop() reaps each.
    for (const proc of [...procs].reverse())
      await proc.stop({ signal: 'SIGKILL', timeoutMs: 5_000 });
    await work.remove();
  };
  const unregister = registerCleanup({
    name: `radosgw ${work.path}`,
    stop,
    killNow: () => work.removeSync(),
  });
  try {
    const dir = work.path;
    for (const sub of ['run', 'log', 'mon', 'osd', 'rgw']) fs.mkdirSync(path.join(dir, sub));
    const tls = await createTlsMaterial(path.join(dir, 'tls'));
    const [monPort, rgwPort] = [await freePort(), await freePort()];
    const conf = path.join(dir, 'ceph.conf');
    fs.writeFileSync(
      conf,
      cephConf(dir, monPort, rgwPort, { cert: tls.serverCert, key: tls.serverKey }),
    );
    const c = ['-c', conf];
    const run = (name: string, command: string, args: string[]) =>
      runCommand(path.join(BIN, command), [...c, ...args], { name, timeoutMs: 30_000 });
    const daemon = (name: string, command: string, args: string[]): ManagedProcess => {
      const proc = spawnManaged(name, path.join(BIN, command), [...c, ...args], {
        logFile: path.join(dir, 'log', `${name}.out`),
        defaultStop: { signal: 'SIGKILL', timeoutMs: 5_000 },
      });
      procs.push(proc);
      return proc;
    };
    const exitedAny = (): string | undefined => procs.map((p) => p.exitReason()).find(Boolean);

    const monmap = path.join(dir, 'monmap');
    await runCommand(
      path.join(BIN, 'monmaptool'),
      ['--create', '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, '--fsid', fsidOf(conf), monmap],
      { name: 'monmaptool', timeoutMs: 30_000 },
    );
    await run('ceph-mon mkfs', 'ceph-mon', ['--mkfs', '-i', 'a', '--monmap', monmap]);
    daemon('ceph-mon', 'ceph-mon', ['-i', 'a', '-f']);
    await waitForPort(monPort, '127.0.0.1', 15_000, exitedAny);

    const osdUuid = crypto.randomUUID();
    const id = (await run('ceph osd new', 'ceph', ['osd', 'new', osdUuid])).stdout.trim();
    fs.mkdirSync(path.join(dir, 'osd', `ceph-${id}`));
    await run('ceph-osd mkfs', 'ceph-osd', ['-i', id, '--mkfs', '--osd-uuid', osdUuid]);
    daemon('ceph-osd', 'ceph-osd', ['-i', id, '-f']);
    // radosgw started before the OSD is up may stall for 5 s.
    await until(
      'the OSD coming up',
      20_000,
      async () => {
        const dump = await run('ceph osd dump', 'ceph', ['osd', 'dump', '--format', 'json']);
        const osds = (JSON.parse(dump.stdout) as { osds?: { up: number }[] }).osds ?? [];
        return osds.some((o) => o.up === 1);
      },
      exitedAny,
    );

    daemon('radosgw', 'radosgw', ['-n', 'client.rgw.a', '-f']);
    const ca = fs.readFileSync(tls.caCert);
    await until('radosgw answering over HTTPS', 30_000, () => httpsAnswers(rgwPort, ca), exitedAny);

    const users: Record<string, RadosgwUser> = {};
    const addUser = async (uid: string): Promise<RadosgwUser> => {
      const user = keysFor(uid);
      await run(`radosgw-admin user create ${uid}`, 'radosgw-admin', [
        '-n',
        'client.rgw.a',
        'user',
        'create',
        `--uid=${uid}`,
        `--display-name=${uid}`,
        `--access-key=${user.accessKeyId}`,
        `--secret-key=${user.secretAccessKey}`,
      ]);
      users[uid] = user;
      return user;
    };
    for (const uid of options.users ?? ['admin']) await addUser(uid);

    return {
      endpoint: `https://localhost:${rgwPort}`,
      port: rgwPort,
      caFile: tls.caCert,
      region: 'us-east-1',
      dir,
      pids: procs.map((p) => p.pid),
      users,
      addUser,
      stop,
    };
  } catch (error) {
    const logs = procs.map((p) => `--- ${p.name}\n${p.output.text(2_000)}`).join('\n');
    await stop();
    throw new Error(`radosgw did not start: ${(error as Error).message}\n${logs}`);
  }
}

function fsidOf(conf: string): string {
  const match = /^fsid = (\S+)$/m.exec(fs.readFileSync(conf, 'utf8'));
  if (!match?.[1]) throw new Error('ceph.conf without fsid');
  return match[1];
}
