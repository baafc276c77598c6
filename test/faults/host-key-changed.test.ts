import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Server, ServerHealth } from '../../shared/contract';
import { startInstalledAgent, type InstalledAgent } from '../harness';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Fault 13: the protected server's SSH host key changes (a reinstall, or someone in the middle).
// The app refuses every command that would talk to the server before any credential is sent,
// keeps the pinned key, and shows the admin both fingerprints; the server itself is untouched,
// so capture goes on and nothing is lost. It heals the deliberate way: the admin checks the
// new key out of band, removes the server and adds it again, and connects.

let a: InstalledAgent;
let load: WriteLoad;

beforeAll(async () => {
  a = await startInstalledAgent({ chinook: false, attachedFiles: false });
  load = await startWriteLoad(a.pg, { markerDb: 'postgres', pgbenchDb: 'postgres' });
}, 240_000);

afterAll(async () => {
  await load?.stop();
  await a?.stop();
}, 120_000);

/** The job's error, or the command's, as one code and message. */
async function refusal(
  name: string,
  input: unknown,
): Promise<{ code: string | undefined; message: string }> {
  try {
    const started = await a.call<unknown>(name, input);
    if (started && typeof started === 'object' && 'jobId' in started) {
      const job: Job = await a.core.jobs.wait((started as { jobId: string }).jobId);
      return { code: job.error?.code, message: job.error?.message ?? `job ${job.state}` };
    }
    return { code: undefined, message: JSON.stringify(started).slice(0, 300) };
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
}

describe('fault 13: host key changed', () => {
  it('is refused everywhere with both fingerprints, the pin stays, capture goes on', async () => {
    const pinned = (await a.call<Server>('servers.get', { id: a.serverId })).hostKey
      ?.fingerprint as string;
    expect(pinned).toMatch(/^SHA256:/);
    const archivedBefore = Number(await a.pg.psql('SELECT archived_count FROM pg_stat_archiver'));

    await a.sshd.regenerateHostKey();
    const presented = a.sshd.hostFingerprint;
    expect(presented).not.toBe(pinned);

    const attempts: Record<string, { code: string | undefined; message: string }> = {
      'servers.connect': await refusal('servers.connect', { id: a.serverId }),
      'drill.start': await refusal('drill.start', { serverId: a.serverId }),
      'agent.uninstall': await refusal('agent.uninstall', { serverId: a.serverId }),
      'servers.trustHostKey': await refusal('servers.trustHostKey', {
        id: a.serverId,
        fingerprint: presented,
      }),
    };
    for (const [name, r] of Object.entries(attempts)) {
      expect(r.code, `${name}: ${r.message}`).toBe('HOST_KEY_CHANGED');
    }
    // The admin sees both keys where it fails first.
    expect(attempts['servers.connect']?.message).toContain(pinned);
    expect(attempts['servers.connect']?.message).toContain(presented);
    const server = await a.call<Server>('servers.get', { id: a.serverId });
    expect(server.status).toBe('host-key-changed');
    expect(server.hostKey?.fingerprint).toBe(pinned);

    // The dashboard does not pretend: it does not show the server's live state as fresh.
    const health = await a.call<ServerHealth>('status.get', { serverId: a.serverId });
    expect(health.source).not.toBe('server');
    console.info(
      `[fault 13] refused: ${Object.keys(attempts).join(', ')}; dashboard source ${health.source}, level ${health.level}`,
    );

    // Nothing lost: the agent on the server never depended on the app's SSH session.
    await a.pg.psql('SELECT pg_switch_wal()');
    await expect
      .poll(async () => Number(await a.pg.psql('SELECT archived_count FROM pg_stat_archiver')), {
        timeout: 90_000,
        interval: 2_000,
      })
      .toBeGreaterThan(archivedBefore);
    expect(load.markers).toBeGreaterThan(0);
  });

  it('heals by removing and re-adding the server with the key checked out of band', async () => {
    await a.call('servers.remove', { id: a.serverId });
    const again = await a.call<Server>('servers.add', {
      name: 'db1',
      host: a.sshd.host,
      port: a.sshd.port,
      user: a.sshd.user,
      auth: { kind: 'privateKey', privateKey: a.sshd.clientPrivateKey },
    });
    await a.call('servers.trustHostKey', { id: again.id, fingerprint: a.sshd.hostFingerprint });
    const connected = await a.runJob('servers.connect', { id: again.id });
    expect(connected.state, JSON.stringify(connected.error)).toBe('succeeded');
    expect((await a.call<Server>('servers.get', { id: again.id })).hostKey?.fingerprint).toBe(
      a.sshd.hostFingerprint,
    );
  });
});
