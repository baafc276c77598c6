import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { parseArchiveFileName, resolveRecoveryTarget } from '../../shared/catalog';
import type { Catalog, Server } from '../../shared/contract';
import { AgentsRepo } from '../../electron/services/agent-install/agents-repo';
import { formatCatalog } from '../../electron/cli/catalog-commands';
import { CatalogService } from '../../electron/services/catalog/catalog-service';
import { openVault } from '../../electron/services/secrets/vault';
import { createS3Client } from '../../electron/services/storage/s3-client';
import { StorageService } from '../../electron/services/storage/storage-service';
import { openDatabase, type Db } from '../../electron/services/store/database';
import { stopAll } from '../harness';
import { startInstalledAgent, type InstalledAgent } from '../harness/installed-agent';
import { AGENT_BUNDLE } from '../harness/agent-env';
import { startWriteLoad } from '../harness/write-load';
import { startSmtpReceiver, type SmtpReceiver } from '../harness/smtp-receiver';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/webhook-receiver';
import type { AgentUpdateResult, AgentUpdateReview, AlertTestResult } from '../../shared/contract';
import { APP_VERSION } from '../../electron/services/app-version';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';

// The catalog from the bucket alone, against a real agent install: pgBackRest's WAL and
// backup, the agent's signed manifest. WAL is made by forcing segment switches after writes.

let fx: InstalledAgent;
let db: Db;
/** A second CatalogService on the fixture's data dir, for the model and the update stats. */
let service: CatalogService;
let agents: AgentsRepo;
const timings: Record<string, number> = {};

const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  try {
    return await run();
  } finally {
    timings[name] = Math.round((performance.now() - started) * 10) / 10;
  }
};

/** Writes, switches to a new segment `count` times (1.1 s apart) and waits until archived. */
async function makeWal(count: number): Promise<string[]> {
  const names: string[] = [];
  await fx.pg.psql(
    'CREATE TABLE IF NOT EXISTS marks (id serial primary key, at timestamptz default now());',
  );
  for (let i = 0; i < count; i++) {
    await fx.pg.psql('INSERT INTO marks DEFAULT VALUES;');
    names.push(await fx.pg.psql('SELECT pg_walfile_name(pg_switch_wal());'));
    await new Promise((r) => setTimeout(r, 1_100));
  }
  const last = names[names.length - 1] as string;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const archived = await fx.pg.psql(
      "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver;",
    );
    if (archived >= last) break;
    if (Date.now() > deadline) throw new Error(`WAL ${last} not archived (last ${archived})`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return names;
}

const get = (refresh = false) =>
  fx.call<Catalog>('catalog.get', { serverId: fx.serverId, ...(refresh ? { refresh: true } : {}) });

let smtp: SmtpReceiver;
let hooks: WebhookReceiver;

beforeAll(async () => {
  // Alert receivers for the test messages at the end (the install's alert settings name them).
  [smtp, hooks] = await Promise.all([startSmtpReceiver(), startWebhookReceiver()]);
  hooks.respondWith('/hook/broken', 500);
  fx = await startInstalledAgent({
    chinook: false,
    install: {
      alerts: {
        smtp: {
          host: smtp.host,
          port: smtp.port,
          secure: false,
          from: 'agent@example.com',
          to: ['ops@example.com'],
        },
        webhooks: [
          { url: `${hooks.url}/hook/json`, format: 'json' },
          { url: `${hooks.url}/hook/broken`, format: 'slack' },
        ],
        captureLagSeconds: 3600,
        recoveryPointMaxAgeHours: 26,
      },
    },
  });
  const appDir = path.join(fx.dir, 'app');
  db = openDatabase(appDir);
  const secrets = await openVault(path.join(appDir, 'secrets.vault'), 'fixture-passphrase');
  agents = new AgentsRepo(db);
  service = new CatalogService({
    dataDir: appDir,
    servers: { get: (id: string) => ({ id }) as Server },
    storage: new StorageService({ db, secrets }),
    agent: {
      installed: (id: string) => agents.get(id),
      retiredKeys: (id: string) => agents.retiredKeys(id),
    },
  });
});

afterAll(async () => {
  db?.close();
  await fx?.stop();
  await smtp?.stop();
  await hooks?.stop();
  await stopAll();
  console.info(`catalog timings (ms): ${JSON.stringify(timings)}`);
});

describe('catalog from the bucket', () => {
  let made: string[] = [];

  it('shows the first backup with a valid signature, its tier, coverage and no gaps', async () => {
    made = await makeWal(6);
    const catalog = await timed('cold_full', () => get());
    expect(catalog.source).toBe('bucket');
    expect(catalog.backups).toHaveLength(1);
    const [backup] = catalog.backups;
    expect(backup?.manifest?.signature).toBe('valid');
    expect(backup?.manifest?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(backup?.tier).toBe('monthly'); // the newest point is daily, weekly and monthly
    expect(backup?.walStart).toMatch(/^[0-9A-F]{24}$/);
    expect(catalog.gaps).toEqual([]);
    expect(catalog.coverage).toHaveLength(1);
    expect(catalog.coverage[0]?.baseBackup).toBe(backup?.label);
    expect(catalog.walSegments).toBeGreaterThanOrEqual(6);
    expect((catalog.coverage[0]?.lastSegment ?? '') >= (made[made.length - 1] as string)).toBe(
      true,
    );
    expect(Date.parse(catalog.lastRestorable ?? '')).toBeGreaterThan(
      Date.parse(backup?.timeStop ?? ''),
    );
    expect(catalog.captureLagSeconds).toBeLessThan(60);
    expect(fs.existsSync(path.join(fx.dir, 'app', 'catalog', `${fx.serverId}.json`))).toBe(true);
    const cacheText = fs.readFileSync(
      path.join(fx.dir, 'app', 'catalog', `${fx.serverId}.json`),
      'utf8',
    );
    expect(cacheText).not.toContain(fx.s3.secretAccessKey);
  });

  it('a warm call is fast and an incremental update picks up new segments', async () => {
    const before = await timed('warm_incremental', () => get());
    await timed('second_service_from_cache_file', () => service.model(fx.serverId));
    expect(service.lastUpdate(fx.serverId)?.mode).toBe('incremental');
    expect(service.lastUpdate(fx.serverId)?.s3Requests).toBeLessThanOrEqual(10);
    timings.incremental_s3_requests = service.lastUpdate(fx.serverId)?.s3Requests ?? -1;
    await timed('cache_only_build', () => service.cached(fx.serverId));
    const more = await makeWal(2);
    const after = await timed('incremental_after_new_wal', () => get());
    expect(after.walSegments).toBe(before.walSegments + 2);
    expect(after.coverage[0]?.lastSegment).toBe(more[1]);
    expect(Date.parse(after.lastRestorable ?? '')).toBeGreaterThan(
      Date.parse(before.lastRestorable ?? ''),
    );
    made = [...made, ...more];
  });

  it('builds with the server unreachable over SSH (bucket only)', async () => {
    // stopServer, not stop: the agent update below needs the same sshd back.
    await fx.sshd.stopServer();
    const catalog = await timed('sshd_stopped_refresh', () => get(true));
    expect(catalog.source).toBe('bucket');
    expect(catalog.backups[0]?.manifest?.signature).toBe('valid');
    expect(catalog.gaps).toEqual([]);
  });

  it('a deleted segment shows as a gap; a time inside it is refused, one before it restores', async () => {
    const victim = made[3] as string; // the middle of the run made above
    const prefix = `${bucketLayout.pgbackrestPrefix(fx.serverId)}archive/`;
    const key = fx.s3
      .listKeys(fx.bucket, prefix)
      .find(
        (k) =>
          parseArchiveFileName(k.slice(k.lastIndexOf('/') + 1))?.kind === 'segment' &&
          k.includes(`/${victim}-`),
      );
    expect(key).toBeDefined();
    const s3 = createS3Client({
      endpoint: fx.s3.endpoint,
      region: fx.s3.region,
      accessKeyId: fx.s3.accessKeyId,
      secretAccessKey: fx.s3.secretAccessKey,
      forcePathStyle: true,
      caCertificate: fs.readFileSync(fx.s3.caFile, 'utf8'),
    });
    try {
      await s3.client.send(new DeleteObjectCommand({ Bucket: fx.bucket, Key: key }));
    } finally {
      s3.close();
    }

    // Incremental: the segment is within the re-read tail, so the deletion is seen.
    const incremental = await timed('incremental_after_delete', () => get());
    const refreshed = await timed('refresh_after_delete', () => get(true));
    for (const catalog of [incremental, refreshed]) {
      expect(catalog.gaps).toHaveLength(1);
      expect(catalog.gaps[0]).toMatchObject({ missingSegment: victim, missingCount: 1, to: null });
      expect(catalog.gaps[0]?.cause).toBe(
        `WAL segment ${victim} missing from the bucket (1 segment)`,
      );
      expect(catalog.coverage).toHaveLength(1);
      expect(catalog.lastRestorable).toBe(catalog.gaps[0]?.from);
    }

    console.info(formatCatalog(refreshed));
    const model = await service.model(fx.serverId);
    const gap = model.catalog.gaps[0];
    const range = model.catalog.coverage[0];
    if (!gap || !range) throw new Error('expected a gap and a range');
    const inside = new Date(Date.parse(gap.from) + 1_000).toISOString();
    const refusal = resolveRecoveryTarget(model, { kind: 'time', time: inside });
    expect(refusal).toMatchObject({ ok: false, code: 'RESTORE_NOT_COVERED' });
    expect(refusal.ok ? '' : refusal.reason).toContain(victim);

    const beforeGap = new Date((Date.parse(range.from) + Date.parse(range.to)) / 2).toISOString();
    const accepted = resolveRecoveryTarget(model, { kind: 'time', time: beforeGap });
    if (!accepted.ok) throw new Error(accepted.reason);
    expect(accepted.value.backup.label).toBe(range.baseBackup);
    expect(accepted.value.pgbackrestType).toBe('time');
    expect(accepted.value.wal.lastSegment < victim).toBe(true);
    expect(accepted.value.attachedFiles?.resticSnapshotId).toMatch(/^[0-9a-f]{8,64}$/);
  });

  it('reports an unreachable bucket with STORAGE_UNREACHABLE', async () => {
    await fx.s3.stopServer();
    try {
      await expect(get()).rejects.toMatchObject({ code: 'STORAGE_UNREACHABLE' });
    } finally {
      await fx.s3.start();
    }
  });
});

// Issue 16 §1: the agent update, on the same installed server (its fixture is the costly part).
// An older agent is simulated honestly: the installed program is this build with its version
// literal set back, so it differs in bytes and says '0.0.9' as an older release would.
describe('agent update in place', () => {
  const installedBundle = () => path.join(fx.remoteRoot, 'opt/kumiko-agent/kumiko-agent.cjs');
  const etc = () => path.join(fx.remoteRoot, 'etc/kumiko-agent');
  const readSettings = () =>
    ['config.json', 'pgbackrest.conf', 'agent-signing.key'].map((f) =>
      fs.readFileSync(path.join(etc(), f), 'utf8'),
    );
  const heartbeat = () =>
    JSON.parse(
      fs.readFileSync(path.join(fx.remoteRoot, 'var/lib/kumiko-agent/heartbeat.json'), 'utf8'),
    ) as { agentVersion: string; at?: string };

  it('replaces an older agent program, keeps its settings, and capture goes on', async () => {
    await fx.sshd.start(); // stopped by the catalog's bucket-only test above
    const current = fs.readFileSync(AGENT_BUNDLE, 'utf8');
    const older = current.replace(`AGENT_VERSION = "${APP_VERSION}"`, 'AGENT_VERSION = "0.0.9"');
    expect(older).not.toBe(current);
    fs.writeFileSync(installedBundle(), older);
    expect(fx.agent(['version']).stdout.trim()).toBe('0.0.9');
    const settingsBefore = readSettings();

    const load = await startWriteLoad(fx.pg, { pgbenchDb: null });
    try {
      const review = await fx.call<AgentUpdateReview>('agent.updateReview', {
        serverId: fx.serverId,
      });
      expect(review).toMatchObject({
        installedVersion: '0.0.9',
        bundledVersion: APP_VERSION,
        current: false,
        replaces: [installedBundle()],
      });
      expect(review.keeps).toContain(path.join(etc(), 'config.json'));

      const phases: string[] = [];
      const job = await fx.runJob('agent.update', { serverId: fx.serverId }, (j) => {
        const phase = j.phase;
        if (phase && phases.at(-1) !== phase) phases.push(phase);
      });
      expect(job.error ?? null).toBeNull();
      expect(job.state).toBe('succeeded');
      // 'starting' is the job runner's own first phase.
      expect(phases.filter((p) => p !== 'starting')).toEqual([
        'check',
        'upload',
        'restart',
        'verify',
      ]);
      const result = job.result as AgentUpdateResult;
      expect(result).toMatchObject({ updated: true, fromVersion: '0.0.9', toVersion: APP_VERSION });
      expect(result.pausedSeconds).toBeLessThan(60);
      timings.update_paused_ms = Math.round(result.pausedSeconds * 1000);

      // The program is the app's; storage, schedule, alerts, paths and the key are untouched.
      expect(fs.readFileSync(installedBundle(), 'utf8')).toBe(current);
      expect(readSettings()).toEqual(settingsBefore);
      expect(fs.existsSync(`${installedBundle()}.previous`)).toBe(false);
      // The restarted scheduler runs the new program: its heartbeat says so.
      expect(heartbeat().agentVersion).toBe(APP_VERSION);

      // WAL capture never depended on the agent process: a switch after the update archives.
      const before = await fx.pg.psql('SELECT failed_count FROM pg_stat_archiver;');
      await makeWal(1);
      expect(await fx.pg.psql('SELECT failed_count FROM pg_stat_archiver;')).toBe(before);
      expect(load.markers).toBeGreaterThan(0);
    } finally {
      await load.stop();
    }

    const again = await fx.call<AgentUpdateReview>('agent.updateReview', {
      serverId: fx.serverId,
    });
    expect(again).toMatchObject({ installedVersion: APP_VERSION, current: true });
  });
});

// Issue 16 §5: "Send test e-mail / webhook" is sent by the server's agent, over the server's
// own network path, to the channels its install configured.
describe('alert test messages', () => {
  it('sends a test e-mail and test webhooks from the server, and says which failed', async () => {
    const mail = await fx.call<AlertTestResult>('alerts.test', {
      serverId: fx.serverId,
      channel: 'smtp',
    });
    expect(mail).toEqual({ channel: 'smtp', deliveries: [{ target: 'smtp', ok: true }] });
    const received = smtp.mails.filter((m) => m.subject.includes('test message'));
    expect(received).toHaveLength(1);
    expect(received[0]?.to).toEqual(['ops@example.com']);
    expect(received[0]?.text).toContain('Nothing is wrong');

    const web = await fx.call<AlertTestResult>('alerts.test', {
      serverId: fx.serverId,
      channel: 'webhook',
    });
    expect(web.deliveries).toEqual([
      { target: 'webhook 1 (json)', ok: true },
      { target: 'webhook 2 (slack)', ok: false, error: 'webhook answered HTTP 500' },
    ]);
    const json = hooks
      .to('/hook/json')
      .filter((r) => (r.json as { kind?: string }).kind === 'test');
    expect(json).toHaveLength(1);
    expect(json[0]?.json).toMatchObject({ state: 'test', serverId: fx.serverId });
    // The URL's path is a webhook's secret: it never comes back in a result.
    expect(JSON.stringify(web)).not.toContain('/hook/');
  });
});

// Day two: the agent is uninstalled (its key destroyed) and installed again with a new key. The
// recovery points the old key signed stay in the bucket for their retention and must still
// verify, or none of them could be restored; a point the old key signs afterwards must not.
describe('a new agent key after a reinstall', () => {
  it('keeps the earlier points verified and refuses what the retired key signs later', async () => {
    const first = agents.get(fx.serverId);
    if (!first) throw new Error('no agent pinned');
    const jwk = crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const newKey = openSshPublicKeyLine(
      Buffer.from(jwk.x as string, 'base64url'),
      'kumiko-agent@reinstalled',
    );
    try {
      agents.save({ ...first, publicKey: newKey });
      expect(agents.retiredKeys(fx.serverId).map((k) => k.publicKey)).toEqual([first.publicKey]);
      const after = await get(true);
      expect(after.backups.length).toBeGreaterThan(0);
      expect(after.backups.map((b) => b.manifest?.signature)).toEqual(
        after.backups.map(() => 'valid'),
      );
      // The server still holds the old key (the fixture's agent): what it signs now is refused.
      const point = await fx.runJob('point.create', { serverId: fx.serverId });
      expect(point.state, JSON.stringify(point.error)).toBe('succeeded');
      const newest = (await get(true)).backups.at(-1);
      expect(newest?.manifest?.signature).toBe('invalid');
    } finally {
      agents.save(first); // the tests below run with the fixture's agent key pinned again
    }
    expect((await get(true)).backups.every((b) => b.manifest?.signature === 'valid')).toBe(true);
  }, 180_000);
});
