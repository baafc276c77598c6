import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Result, Server } from '../../shared/contract';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { openVault } from '../../electron/services/secrets/vault';
import {
  repoRoot,
  startPostgres,
  startSshd,
  type PostgresCluster,
  type SshdServer,
} from '../harness';

const NO_SUDO_USER = 'kumiko-nosudo';
const PASSPHRASE = 'refusals-test-passphrase';

/**
 * The refusals an admin meets first, each with a clear code and message, in the service
 * (what the UI shows) and on the CLI: no sudo, no PostgreSQL, a changed host key.
 */
describe('install refusals', () => {
  let pg: PostgresCluster;
  let sshd: SshdServer;
  let core: AppCore;
  let dataDir: string;
  let serverId: string;

  async function call<T>(name: string, input: unknown): Promise<T> {
    const result = (await core.dispatch(name, input)) as Result<T>;
    if (!result.ok)
      throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value;
  }

  const cli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [path.join(repoRoot, 'bin/kumiko.mjs'), ...args, '--data-dir', dataDir],
      {
        env: { ...process.env, KUMIKO_VAULT_PASSPHRASE: PASSPHRASE, KUMIKO_FROM_SOURCE: '1' },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );

  beforeAll(async () => {
    // A login without root and without sudo rights (sudo itself may be installed: ceph-osd,
    // which the harness's radosgw needs, depends on it; the user is in no sudoers rule).
    if (spawnSync('id', [NO_SUDO_USER]).status !== 0) {
      execFileSync('useradd', ['--create-home', '--shell', '/bin/sh', NO_SUDO_USER]);
    }
    // '!' (locked, useradd's default) makes sshd refuse even key logins; '*' only means
    // "no password".
    execFileSync('usermod', ['-p', '*', NO_SUDO_USER]);
    [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
    // sshd reads authorized_keys as the logging-in user: let that user reach the file.
    for (let dir = path.dirname(sshd.hostKeyPath); dir !== '/'; dir = path.dirname(dir)) {
      fs.chmodSync(dir, fs.statSync(dir).mode | 0o011);
    }
    fs.chmodSync(path.join(path.dirname(sshd.hostKeyPath), 'authorized_keys'), 0o644);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-refusals-'));
    core = await createAppCore({
      dataDir,
      secrets: await openVault(path.join(dataDir, 'secrets.vault'), PASSPHRASE),
      transport: 'cli',
    });
    const server = await call<Server>('servers.add', {
      name: 'limited',
      host: sshd.host,
      port: sshd.port,
      user: NO_SUDO_USER,
      auth: { kind: 'privateKey', privateKey: sshd.clientPrivateKey },
    });
    serverId = server.id;
    await call('servers.trustHostKey', { id: serverId, fingerprint: sshd.hostFingerprint });
    const { jobId } = await call<{ jobId: string }>('servers.connect', { id: serverId });
    const job: Job = await core.jobs.wait(jobId);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  });

  afterAll(async () => {
    await core?.close();
    await sshd?.stop();
    await pg?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to install without root or sudo, saying what to do', async () => {
    const server = await call<Server>('servers.get', { id: serverId });
    // Without sudo installed detection says 'unavailable'; with sudo but no rule for this user,
    // `sudo -n` can only say that it would ask for a password.
    expect(['unavailable', 'password-required']).toContain(server.detection?.sudo);
    await expect(
      call('agent.install', { serverId, dataDirectory: pg.dataDir, confirmRestart: true }),
    ).rejects.toMatchObject({
      code: 'NO_SUDO',
      message: expect.stringMatching(/passwordless sudo/),
    });
  });

  it('gives the same refusals on the CLI, with exit codes', async () => {
    await core.close();
    const noSudo = cli(
      'agent',
      'install',
      '--server',
      serverId,
      '--cluster',
      pg.dataDir,
      '--confirm-restart',
      '--json',
    );
    expect(noSudo.status).toBe(6); // refused: nothing was changed (electron/cli/exit-codes.ts)
    expect(JSON.parse(noSudo.stdout)).toMatchObject({ ok: false, error: { code: 'NO_SUDO' } });

    // A root login added, pinned and connected entirely through the CLI.
    const keyFile = path.join(dataDir, 'client.key');
    fs.writeFileSync(keyFile, sshd.clientPrivateKey, { mode: 0o600 });
    const added = cli(
      'servers',
      'add',
      '--name',
      'root',
      '--host',
      sshd.host,
      '--port',
      String(sshd.port),
      '--user',
      'root',
      '--key-file',
      keyFile,
      '--json',
    );
    expect(added.status, added.stderr).toBe(0);
    const rootId = (JSON.parse(added.stdout) as { value: Server }).value.id;
    const wrongPin = cli('servers', 'trust', rootId, '--fingerprint', 'SHA256:not-the-key');
    expect(wrongPin.status).toBe(3);
    expect(cli('servers', 'trust', rootId, '--fingerprint', sshd.hostFingerprint).status).toBe(0);
    expect(cli('servers', 'connect', rootId).status).toBe(0);
    const noPg = cli('agent', 'plan', '--server', rootId, '--cluster', '/nonexistent/data');
    expect(noPg.status).toBe(6);
    expect(noPg.stderr).toMatch(/NO_POSTGRES: No PostgreSQL data directory at \/nonexistent\/data/);

    await sshd.regenerateHostKey();
    const changed = cli('servers', 'trust', rootId);
    expect(changed.status).toBe(3);
    expect(changed.stderr).toMatch(/host key has CHANGED/);
    const connect = cli('servers', 'connect', rootId);
    expect(connect.status).toBe(3);
    expect(connect.stderr).toMatch(/HOST_KEY_CHANGED/);
  });
});
