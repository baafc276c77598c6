import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostKeyProbe, Job, Result, Server } from '../../shared/contract';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { openVault } from '../../electron/services/secrets/vault';
import { startPostgres, startSshd, type PostgresCluster, type SshdServer } from '../harness';

const HOSTILE_DB = 'shop\n15\t/etc\t5432\t1\tyes\ndb\t6576696c\t1\ndbok';

/** Servers against a real sshd and a real PostgreSQL 15 cluster on this machine. */
describe('servers: trust on first use, pinned host keys, detection', () => {
  let pg: PostgresCluster;
  let sshd: SshdServer;
  let dataDir: string;
  let core: AppCore;

  beforeAll(async () => {
    pg = await startPostgres();
    // Anyone allowed CREATE DATABASE picks the name: this one tries to add a fake cluster line
    // (and a fake database line) to detection's output.
    await pg.psql(`CREATE DATABASE "${HOSTILE_DB.replace(/"/g, '""')}"`);
    sshd = await startSshd();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-servers-'));
    const secrets = await openVault(path.join(dataDir, 'secrets.vault'), 'servers-test-passphrase');
    core = await createAppCore({ dataDir, secrets, transport: 'cli' });
  });

  afterAll(async () => {
    await core?.close();
    await sshd?.stop();
    await pg?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function call<T>(name: string, input: unknown): Promise<T> {
    const result = (await core.dispatch(name, input)) as Result<T>;
    if (!result.ok)
      throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value;
  }

  async function connectAndWait(id: string): Promise<Job> {
    const { jobId } = await call<{ jobId: string }>('servers.connect', { id });
    return core.jobs.wait(jobId);
  }

  async function addServer(privateKey: string, name = 'harness'): Promise<Server> {
    return call<Server>('servers.add', {
      name,
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'privateKey', privateKey },
    });
  }

  it('shows the fingerprint, refuses to connect before it is confirmed, then detects the cluster', async () => {
    const server = await addServer(sshd.clientPrivateKey);
    expect(server.hostKey).toBeNull();

    const probe = await call<HostKeyProbe>('servers.probeHostKey', { id: server.id });
    expect(probe).toMatchObject({
      status: 'unpinned',
      fingerprint: sshd.hostFingerprint,
      algorithm: 'ssh-ed25519',
    });

    await expect(call('servers.connect', { id: server.id })).rejects.toMatchObject({
      code: 'HOST_KEY_UNCONFIRMED',
    });
    await expect(
      call('servers.trustHostKey', {
        id: server.id,
        fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      }),
    ).rejects.toMatchObject({ code: 'HOST_KEY_MISMATCH' });

    const trusted = await call<Server>('servers.trustHostKey', {
      id: server.id,
      fingerprint: probe.fingerprint,
    });
    expect(trusted.hostKey?.fingerprint).toBe(sshd.hostFingerprint);

    const job = await connectAndWait(server.id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const detected = await call<Server>('servers.get', { id: server.id });
    expect(detected.status).toBe('connected');
    const d = detected.detection;
    expect(d?.sudo).toBe('root');
    expect(d?.os.id).toBe('debian');
    expect(d?.cpuCount).toBeGreaterThan(0);
    expect(d?.disks.length).toBeGreaterThan(0);
    expect(d?.disks[0]?.freeBytes).toBeGreaterThan(0);
    const cluster = d?.clusters.find((c) => c.dataDirectory === pg.dataDir);
    expect(cluster).toEqual({
      version: '15',
      dataDirectory: pg.dataDir,
      port: pg.port,
      dataChecksums: true,
      running: true,
      databases: expect.arrayContaining([
        { name: 'postgres', bytes: expect.any(Number) as number },
      ]) as unknown,
    });
    // Sizes from pg_database_size, asked as the cluster's owner over its socket.
    const postgresDb = cluster?.databases?.find((db) => db.name === 'postgres');
    expect(postgresDb?.bytes).toBeGreaterThan(1_000_000);
    // The hostile name is no cluster and no database of its own; with control characters in it,
    // it is left out of the list rather than shown half.
    expect(d?.clusters.map((c) => c.dataDirectory)).not.toContain('/etc');
    expect(cluster?.databases?.map((db) => db.name)).not.toContain('evil');
    expect(cluster?.databases?.map((db) => db.name)).not.toContain(HOSTILE_DB);
  });

  it('edits port and user keeping the pin, and a new host needs its fingerprint confirmed again', async () => {
    const server = await addServer(sshd.clientPrivateKey, 'moved');
    await call('servers.trustHostKey', { id: server.id, fingerprint: sshd.hostFingerprint });
    // A wrong port (an unreachable server), then the right one: the pin stays, connect works.
    const wrong = await call<Server>('servers.update', {
      id: server.id,
      host: sshd.host,
      port: 1,
      user: sshd.user,
    });
    expect(wrong).toMatchObject({ port: 1, hostKey: { fingerprint: sshd.hostFingerprint } });
    await call('servers.update', {
      id: server.id,
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
    });
    expect((await connectAndWait(server.id)).state).toBe('succeeded');

    // Another host name (here the same machine under another name): the pin is gone, nothing
    // authenticates until the admin confirms the fingerprint the new host presents.
    const moved = await call<Server>('servers.update', {
      id: server.id,
      host: 'localhost',
      port: sshd.port,
      user: sshd.user,
    });
    expect(moved).toMatchObject({ host: 'localhost', hostKey: null, status: 'new' });
    await expect(call('servers.connect', { id: server.id })).rejects.toMatchObject({
      code: 'HOST_KEY_UNCONFIRMED',
    });
    const probe = await call<HostKeyProbe>('servers.probeHostKey', { id: server.id });
    expect(probe).toMatchObject({ status: 'unpinned', fingerprint: sshd.hostFingerprint });
    await call('servers.trustHostKey', { id: server.id, fingerprint: probe.fingerprint });
    expect((await connectAndWait(server.id)).state).toBe('succeeded');
    await expect(
      call('servers.update', { id: server.id, host: 'x', port: 22, user: 'root; rm' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('authenticates with a generated Ed25519 pair once its public key is installed', async () => {
    const server = await call<Server>('servers.add', {
      name: 'generated',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'generate' },
    });
    expect(server.publicKey).toMatch(/^ssh-ed25519 AAAA/);
    await call('servers.trustHostKey', { id: server.id, fingerprint: sshd.hostFingerprint });

    const before = await connectAndWait(server.id);
    expect(before.state).toBe('failed');
    expect(before.error?.code).toBe('SSH_AUTH_FAILED');

    sshd.addAuthorizedKey(server.publicKey as string);
    const after = await connectAndWait(server.id);
    expect(after.state, JSON.stringify(after.error)).toBe('succeeded');
  });

  it('refuses a key the server does not accept with SSH_AUTH_FAILED', async () => {
    const stranger = ssh2.utils.generateKeyPairSync('ed25519').private;
    const server = await addServer(stranger, 'stranger');
    await call('servers.trustHostKey', { id: server.id, fingerprint: sshd.hostFingerprint });
    const job = await connectAndWait(server.id);
    expect(job.error?.code).toBe('SSH_AUTH_FAILED');
    expect((await call<Server>('servers.get', { id: server.id })).status).toBe('unreachable');
  });

  it('refuses a changed host key as a hard failure and never re-pins it in one step', async () => {
    const [server] = (await call<Server[]>('servers.list', {})).filter((s) => s.name === 'harness');
    const pinned = server?.hostKey?.fingerprint as string;
    await sshd.regenerateHostKey();
    expect(sshd.hostFingerprint).not.toBe(pinned);

    const job = await connectAndWait(server!.id);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('HOST_KEY_CHANGED');
    expect(job.error?.message).toContain(pinned);
    expect(job.error?.message).toContain(sshd.hostFingerprint);
    const after = await call<Server>('servers.get', { id: server!.id });
    expect(after.status).toBe('host-key-changed');
    expect(after.hostKey?.fingerprint).toBe(pinned);

    const probe = await call<HostKeyProbe>('servers.probeHostKey', { id: server!.id });
    expect(probe).toMatchObject({
      status: 'changed',
      pinnedFingerprint: pinned,
      fingerprint: sshd.hostFingerprint,
    });
    await expect(
      call('servers.trustHostKey', { id: server!.id, fingerprint: sshd.hostFingerprint }),
    ).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' });
  });
});
