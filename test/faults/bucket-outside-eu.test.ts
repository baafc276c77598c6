import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageTarget } from '../../shared/contract';
import { startInstalledAgent, type InstalledAgent } from '../harness';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Fault 12: a protected server's storage is to be moved to a bucket outside the EU (an
// endpoint that is no EU provider's, a US region). The app refuses fail-closed before any byte
// leaves: the new endpoint is never even connected to (the fault proxy stands in for it and
// counts connections), the saved target stays as it was, and capture into it goes on.

let a: InstalledAgent;
let load: WriteLoad;
let elsewhere: FaultProxy;

beforeAll(async () => {
  a = await startInstalledAgent({ chinook: false, attachedFiles: false });
  elsewhere = await startFaultProxy(a.s3);
  load = await startWriteLoad(a.pg, { markerDb: 'postgres', pgbenchDb: 'postgres' });
}, 240_000);

afterAll(async () => {
  await load?.stop();
  await elsewhere?.stop();
  await a?.stop();
}, 120_000);

async function refused(name: string, input: unknown): Promise<{ code?: string; message: string }> {
  try {
    await a.call(name, input);
    return { message: `${name} was accepted` };
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
}

describe('fault 12: bucket outside the EU', () => {
  it('is refused before any byte leaves; the saved target and capture stay', async () => {
    const saved = await a.call<StorageTarget>('storage.get', { serverId: a.serverId });
    const archivedBefore = Number(await a.pg.psql('SELECT archived_count FROM pg_stat_archiver'));
    const base = {
      bucket: 'kumiko-new',
      accessKeyId: a.s3.accessKeyId,
      secretAccessKey: a.s3.secretAccessKey,
    };
    const targets = {
      // Another S3 server, not on the EU allowlist and not declared the admin's own.
      unknown: {
        ...base,
        endpoint: elsewhere.endpoint,
        region: 'eu-central-1',
        ownStorage: false,
        caCertificate: fs.readFileSync(a.s3.caFile, 'utf8'),
      },
      // A US region of an EU-capable provider.
      us: { ...base, endpoint: 'https://s3.us-east-1.amazonaws.com', region: 'us-east-1' },
    };
    for (const [name, target] of Object.entries(targets)) {
      for (const command of ['storage.check', 'storage.save']) {
        const input = command === 'storage.check' ? target : { serverId: a.serverId, target };
        const r = await refused(command, input);
        expect(r.code, `${name} ${command}: ${r.message}`).toBe('STORAGE_NOT_EU');
        // Says why and what was not done.
        expect(r.message, name).toMatch(/EU/);
      }
    }
    console.info(
      `[fault 12] refused ${Object.keys(targets).join(', ')}; connections to the other endpoint: ${elsewhere.connections}`,
    );
    expect(elsewhere.connections).toBe(0);
    expect(a.s3.listKeys('kumiko-new')).toEqual([]);
    expect(await a.call<StorageTarget>('storage.get', { serverId: a.serverId })).toEqual(saved);

    await a.pg.psql('SELECT pg_switch_wal()');
    await expect
      .poll(async () => Number(await a.pg.psql('SELECT archived_count FROM pg_stat_archiver')), {
        timeout: 90_000,
        interval: 2_000,
      })
      .toBeGreaterThan(archivedBefore);
  });
});
