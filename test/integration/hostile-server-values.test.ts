import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Result, Server } from '../../shared/contract';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { runPreflight } from '../../electron/services/agent-install/preflight';
import { remoteLayout } from '../../electron/services/agent-install/layout';
import { RemoteShell } from '../../electron/services/agent-install/remote-shell';
import { openVault } from '../../electron/services/secrets/vault';
import { SshConnection } from '../../electron/services/ssh/connection';
import {
  makeOwnedDir,
  makeWorkDir,
  osUser,
  spawnManaged,
  startPostgres,
  startSshd,
  type ManagedProcess,
  type PostgresCluster,
  type SshdServer,
  type WorkDir,
} from '../harness';

/**
 * Issue 15: values a local user plants on the server never choose what root runs.
 *
 * Detection finds clusters through every process whose name (/proc/<pid>/comm) is `postgres`
 * or `postmaster`, taking its working directory (/proc/<pid>/cwd) as the data directory, and
 * then reads PG_VERSION there. Any local user can start a process named `postgres` (a copy of
 * /bin/sleep) in a folder of their own whose PG_VERSION climbs out of /usr/lib/postgresql.
 * The install preflight read the binary folder from /proc/<pid>/exe of the pid that
 * postmaster.pid (writable by the postgres OS user) names. Both run as root over SSH.
 */
describe('hostile values on the server: a planted postgres process, PG_VERSION and postmaster.pid', () => {
  let pg: PostgresCluster;
  let sshd: SshdServer;
  let work: WorkDir;
  let appDir: WorkDir;
  let core: AppCore;
  const planted: ManagedProcess[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    sshd = await startSshd();
    work = makeWorkDir('hostile');
    appDir = makeWorkDir('hostile-app');
    const secrets = await openVault(path.join(appDir.path, 'secrets.vault'), 'hostile-test-pass');
    core = await createAppCore({ dataDir: appDir.path, secrets, transport: 'cli' });
  });

  afterAll(async () => {
    for (const p of planted) await p.stop();
    await core?.close();
    await sshd?.stop();
    await pg?.stop();
    await appDir?.remove();
    await work?.remove();
  });

  async function call<T>(name: string, input: unknown): Promise<T> {
    const result = (await core.dispatch(name, input)) as Result<T>;
    if (!result.ok)
      throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value;
  }

  /** A copy of /bin/sleep named `postgres`, so /proc/<pid>/comm says postgres. */
  function plantPostgresProcess(binDir: string, cwd: string, runAs: string): ManagedProcess {
    const user = osUser(runAs);
    makeOwnedDir(binDir, runAs, 0o755);
    const exe = path.join(binDir, 'postgres');
    fs.copyFileSync('/bin/sleep', exe);
    fs.chownSync(exe, user.uid, user.gid);
    fs.chmodSync(exe, 0o755);
    const proc = spawnManaged(`planted postgres (${runAs})`, exe, ['600'], { cwd, runAs });
    planted.push(proc);
    return proc;
  }

  /** A `pg_controldata` (and `pg_ctl`, `pg_isready`) that leaves a marker naming its uid. */
  function plantBinaries(binDir: string, owner: string, markers: string): void {
    const user = osUser(owner);
    makeOwnedDir(binDir, owner, 0o755);
    for (const tool of ['pg_controldata', 'pg_ctl', 'pg_isready', 'psql']) {
      const file = path.join(binDir, tool);
      fs.writeFileSync(file, `#!/bin/sh\nid -u > '${markers}/${tool}.ran-as'\n`);
      fs.chownSync(file, user.uid, user.gid);
      fs.chmodSync(file, 0o755);
    }
  }

  function markersDir(name: string): string {
    const dir = path.join(work.path, name);
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o1777); // anyone may leave a marker: a run as any user shows
    return dir;
  }

  it('a local user planting a "postgres" process with PG_VERSION ../../../../<tmp>/x gets nothing run by root; detection still succeeds', async () => {
    // The attacker (nobody) owns everything under attacker/.
    const attacker = makeOwnedDir(path.join(work.path, 'attacker'), 'nobody', 0o755);
    const markers = markersDir('markers-detect');
    plantBinaries(path.join(attacker, 'x', 'bin'), 'nobody', markers);
    const fakeData = makeOwnedDir(path.join(attacker, 'data'), 'nobody', 0o755);
    // /usr/lib/postgresql/../../../..  is /, so this names <attacker>/x/bin/pg_controldata.
    fs.writeFileSync(path.join(fakeData, 'PG_VERSION'), `../../../..${attacker}/x\n`);
    const proc = plantPostgresProcess(path.join(attacker, 'fakebin'), fakeData, 'nobody');
    // The process is what detection looks for: comm "postgres", cwd the fake data folder.
    await expect.poll(() => fs.readlinkSync(`/proc/${proc.pid}/cwd`)).toBe(fakeData);
    expect(fs.readFileSync(`/proc/${proc.pid}/comm`, 'utf8').trim()).toBe('postgres');

    const server = await call<Server>('servers.add', {
      name: 'hostile',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'privateKey', privateKey: sshd.clientPrivateKey },
    });
    await call('servers.trustHostKey', { id: server.id, fingerprint: sshd.hostFingerprint });
    const { jobId } = await call<{ jobId: string }>('servers.connect', { id: server.id });
    const job: Job = await core.jobs.wait(jobId);

    const ran = fs.readdirSync(markers);
    expect(
      ran,
      `the planted binaries ran: ${ran.map((f) => `${f} as uid ${fs.readFileSync(path.join(markers, f), 'utf8').trim()}`).join(', ')}`,
    ).toEqual([]);
    expect(proc.exitInfo).toBeUndefined(); // it really was there during detection
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');

    const detection = (await call<Server>('servers.get', { id: server.id })).detection;
    // The real cluster is still found, with its version and checksums.
    expect(detection?.clusters.find((c) => c.dataDirectory === pg.dataDir)).toEqual({
      version: '15',
      dataDirectory: pg.dataDir,
      port: pg.port,
      dataChecksums: true,
      running: true,
      databases: expect.arrayContaining([expect.objectContaining({ name: 'postgres' })]) as unknown,
    });
    // The fake one is not offered as a cluster, and the app says why.
    expect(detection?.clusters.find((c) => c.dataDirectory === fakeData)).toBeUndefined();
    expect(detection?.clusters.every((c) => /^[0-9]{1,3}$/.test(c.version))).toBe(true);
    expect(detection?.skippedClusters).toContainEqual({
      dataDirectory: fakeData,
      reason: expect.stringMatching(/PG_VERSION/),
    });
  });

  it('install preflight takes PostgreSQL binaries only from the package folder, never from the pid in postmaster.pid', async () => {
    // The postgres OS user (any database superuser, through COPY ... TO PROGRAM) owns its data
    // directory and so postmaster.pid: it names a process of its own running <evil>/postgres.
    const markers = markersDir('markers-preflight');
    const evil = path.join(work.path, 'evil');
    plantBinaries(evil, 'postgres', markers);
    const data = makeOwnedDir(path.join(work.path, 'pgdata'), 'postgres', 0o700);
    const proc = plantPostgresProcess(path.join(work.path, 'evilbin'), data, 'postgres');
    fs.renameSync(path.join(work.path, 'evilbin', 'postgres'), path.join(evil, 'postgres'));
    // (the running process keeps its exe: /proc/<pid>/exe now names <evil>/postgres)
    await expect.poll(() => fs.readlinkSync(`/proc/${proc.pid}/exe`)).toBe(`${evil}/postgres`);
    const pgUser = osUser('postgres');
    const own = (file: string, text: string) => {
      fs.writeFileSync(file, text);
      fs.chownSync(file, pgUser.uid, pgUser.gid);
    };
    own(path.join(data, 'PG_VERSION'), '15\n');
    // Port and socket of the real cluster, so preflight's psql step answers.
    own(
      path.join(data, 'postmaster.pid'),
      `${proc.pid}\n${data}\n1700000000\n${pg.port}\n${pg.socketDir}\n127.0.0.1\n  1234  5678\nready\n`,
    );

    const ssh = await SshConnection.connect(
      { host: sshd.host, port: sshd.port, user: sshd.user },
      { privateKey: sshd.clientPrivateKey },
      sshd.hostFingerprint,
    );
    try {
      const shell = new RemoteShell(ssh, true);
      const layout = remoteLayout(path.join(work.path, 'root'));
      const pre = await runPreflight(shell, data, layout);
      expect(pre.cluster.binDirectory).toBe('/usr/lib/postgresql/15/bin');
      expect(pre.cluster).toMatchObject({
        version: '15',
        port: pg.port,
        socketDirectory: pg.socketDir,
        osUser: 'postgres',
      });

      // A PG_VERSION that is no major version number is refused, naming the file.
      own(path.join(data, 'PG_VERSION'), `../../../..${evil}/..\n`);
      await expect(runPreflight(shell, data, layout)).rejects.toMatchObject({
        code: 'NO_POSTGRES',
        message: expect.stringMatching(/PG_VERSION/),
      });
      // A postmaster.pid whose first line is no pid does not count as running.
      own(path.join(data, 'PG_VERSION'), '15\n');
      own(path.join(data, 'postmaster.pid'), `-1\n${data}\n1\n${pg.port}\n${pg.socketDir}\n`);
      await expect(runPreflight(shell, data, layout)).rejects.toMatchObject({
        code: 'NO_POSTGRES',
      });
    } finally {
      ssh.close();
    }
    expect(fs.readdirSync(markers)).toEqual([]);
  });
});
