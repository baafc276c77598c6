import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { parseArchiveFileName, resolveRecoveryTarget } from '../../shared/catalog';
import type { Catalog } from '../../shared/contract';
import { AgentsRepo } from '../../electron/services/agent-install/agents-repo';
import { CatalogService } from '../../electron/services/catalog/catalog-service';
import { openVault } from '../../electron/services/secrets/vault';
import { StorageService } from '../../electron/services/storage/storage-service';
import { openDatabase } from '../../electron/services/store/database';
import type { Server } from '../../shared/contract';
import { startInstalledAgent, type InstalledAgent } from '../harness';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/webhook-receiver';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';
import path from 'node:path';
import fs from 'node:fs';

// Fault 6: one archived WAL segment disappears from the bucket (a lifecycle rule, a hand
// cleanup, someone with the key), after the agent had already seen it arrive. The chain from
// the last recovery point is broken: the catalog shows the gap and refuses a time inside it,
// the agent sends one "gap in the archived WAL" alert, and the next recovery point closes it:
// the alert resolves and the catalog says from when restores are possible again.

const HEARTBEAT_SECONDS = 5;
/** The agent re-reads every archived segment at most this long after it first saw it. */
const ALERT_WITHIN_MS = 60_000;

let a: InstalledAgent;
let hooks: WebhookReceiver;
let load: WriteLoad;

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  a = await startInstalledAgent({
    chinook: false,
    attachedFiles: false,
    install: {
      schedule: {
        snapshotAt: '02:30',
        heartbeatIntervalSeconds: HEARTBEAT_SECONDS,
        retentionIntervalSeconds: 86_400,
      },
      alerts: {
        webhooks: [{ url: `${hooks.url}/alerts`, format: 'json' }],
        captureLagSeconds: 300,
        recoveryPointMaxAgeHours: 26,
      },
    },
  });
  load = await startWriteLoad(a.pg, { markerDb: 'postgres', pgbenchDb: 'postgres' });
}, 240_000);

afterAll(async () => {
  await load?.stop();
  await a?.stop();
  await hooks?.stop();
}, 120_000);

const alerts = (): string[] =>
  hooks
    .to('/alerts')
    .map((r) => r.json as { kind: string; state: string })
    .map((e) => `${e.kind}:${e.state}`);

const catalog = (): Promise<Catalog> =>
  a.call<Catalog>('catalog.get', { serverId: a.serverId, refresh: true });

/** Switches to a new segment `count` times and waits until all are archived. */
async function makeWal(count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    names.push(await a.pg.psql('SELECT pg_walfile_name(pg_switch_wal())'));
    await new Promise((r) => setTimeout(r, 1_100));
  }
  const last = names.at(-1) as string;
  await expect
    .poll(() => a.pg.psql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver"), {
      timeout: 60_000,
      interval: 250,
    })
    .toSatisfy((archived: string) => archived >= last);
  return names;
}

describe('fault 6: one WAL segment deleted from the bucket', () => {
  it('shows the gap, refuses a time inside it, alerts once, and the next recovery point closes it', async () => {
    const made = await makeWal(6);
    // Let the agent see them arrive (several heartbeats) before one goes missing.
    await new Promise((r) => setTimeout(r, 3 * HEARTBEAT_SECONDS * 1_000));
    const victim = made[2] as string;
    const prefix = `${bucketLayout.pgbackrestPrefix(a.serverId)}archive/`;
    const key = a.s3
      .listKeys(a.bucket, prefix)
      .find(
        (k) =>
          parseArchiveFileName(k.slice(k.lastIndexOf('/') + 1))?.kind === 'segment' &&
          k.includes(`/${victim}-`),
      );
    if (!key) throw new Error(`segment ${victim} not in the bucket`);
    // s3rver keeps an object as files beside each other: remove them all, as a DELETE would.
    const objectDir = path.dirname(path.join(a.s3.dataDir, a.bucket, key));
    for (const file of fs.readdirSync(objectDir)) {
      if (file.startsWith(path.basename(key))) fs.rmSync(path.join(objectDir, file));
    }
    const deletedAt = Date.now();

    // The catalog shows the gap and refuses a time inside it.
    const broken = await catalog();
    expect(broken.gaps.map((g) => g.missingSegment)).toContain(victim);
    const gap = broken.gaps.find((g) => g.missingSegment === victim);
    // The model behind catalog.get, from a second service on the app's data folder.
    const db = openDatabase(path.join(a.dir, 'app'));
    const agents = new AgentsRepo(db);
    const model = await new CatalogService({
      dataDir: path.join(a.dir, 'app'),
      servers: { get: (id: string) => ({ id }) as Server },
      storage: new StorageService({
        db,
        secrets: await openVault(path.join(a.dir, 'app', 'secrets.vault'), 'fixture-passphrase'),
      }),
      agent: { installed: (id: string) => agents.get(id), retiredKeys: () => [] },
    })
      .model(a.serverId)
      .finally(() => db.close());
    const inside = new Date(Date.parse(gap?.from as string) + 1_000).toISOString();
    const refusal = resolveRecoveryTarget(model, { kind: 'time', time: inside });
    expect(refusal).toMatchObject({ ok: false, code: 'RESTORE_NOT_COVERED' });

    // How loud: one "gap in the archived WAL" alert from the agent's own heartbeat.
    await expect
      .poll(alerts, { timeout: ALERT_WITHIN_MS, interval: 1_000 })
      .toContain('wal-gap:open');
    const alertAfterMs = Date.now() - deletedAt;
    console.info(`[fault 6] wal-gap alert ${Math.round(alertAfterMs / 1000)} s after the delete`);

    // How it heals: the next recovery point; restores are possible again from its end.
    const run = a.agent(['snapshot']);
    expect(run.code, run.stderr).toBe(0);
    await expect.poll(alerts, { timeout: 60_000, interval: 1_000 }).toContain('wal-gap:resolved');
    await makeWal(1);
    const healed = await catalog();
    const newest = healed.coverage.at(-1);
    expect(newest && Date.parse(newest.from)).toBeGreaterThan(Date.parse(gap?.from as string));
    console.info(
      `[fault 6] after the next recovery point restores are possible again from ${newest?.from}`,
    );
    expect(alerts().filter((k) => k.startsWith('wal-gap'))).toEqual([
      'wal-gap:open',
      'wal-gap:resolved',
    ]);
  }, 600_000);
});
