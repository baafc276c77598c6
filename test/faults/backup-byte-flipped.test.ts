import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import type {
  Catalog,
  CatalogBackup,
  Job,
  ProductionRestorePlan,
  RestorePlan,
  ScratchEnvironment,
  ServerHealth,
} from '../../shared/contract';
import { formatCatalog } from '../../electron/cli/catalog-commands';
import { runCommand, startInstalledAgent, type InstalledAgent } from '../harness';
import { startSmtpReceiver, type SmtpReceiver } from '../harness/smtp-receiver';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/webhook-receiver';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Fault 5 of the fault suite (issue 20): one byte flipped in a stored backup file. The drill
// fails and names the file; tile, alert and catalog mark say so; once healed, a restore to the
// last archived second holds every marker row (nothing lost).
//
// A failed drill is loud everywhere (issue 14 §2), end to end with real components: PostgreSQL
// with Chinook behind a private sshd, the agent installed over SSH by the app core (its daemon
// running, heartbeats every 5 s), the bucket on the TLS S3 server, a webhook receiver and an SMTP
// server. A passed drill proves its recovery point; a byte flipped in a stored backup file fails
// the next drill, and then, without the app doing anything, the agent sends exactly one alert per
// channel; the app shows a critical drill tile, the catalog marks the point "failed drill" and
// every restore plan from it warns. Once the byte is back, a passing drill sends exactly one
// recovery notice and proves the point again.
//
// The write load of production runs through all of it (test/harness/write-load.ts: a marker row
// every 100 ms in chinook, pgbench in postgres), also while the recovery point under test is
// taken: its manifest names the exact WAL position its checksums describe, so the drills of it
// pass under load. The installer's first recovery point is never drilled (drills restore the
// newest) and is marked so.

const CHANNELS = { json: '/hook/json', slack: '/hook/slack' } as const;
/** Heartbeats every 5 s: waiting this long sees three more of them. */
const THREE_HEARTBEATS_MS = 16_000;

let f: InstalledAgent;
let hooks: WebhookReceiver;
let smtp: SmtpReceiver;
let load: WriteLoad | undefined;
/** The recovery point taken under load, which the drills restore. */
let label = '';
/** The installer's first recovery point (taken before the load started). */
let firstLabel = '';

beforeAll(async () => {
  [hooks, smtp] = await Promise.all([startWebhookReceiver(), startSmtpReceiver()]);
  f = await startInstalledAgent({
    install: {
      schedule: {
        snapshotAt: '02:30',
        heartbeatIntervalSeconds: 5,
        retentionIntervalSeconds: 86_400,
      },
      alerts: {
        smtp: {
          host: smtp.host,
          port: smtp.port,
          secure: false,
          from: 'agent@example.com',
          to: ['ops@example.com'],
        },
        webhooks: [
          { url: `${hooks.url}${CHANNELS.json}`, format: 'json' },
          { url: `${hooks.url}${CHANNELS.slack}`, format: 'slack' },
        ],
        // Only the drill incidents are under test: a capture-lag alert must not join them.
        captureLagSeconds: 3600,
        recoveryPointMaxAgeHours: 26,
      },
    },
  });
  const catalog = await f.call<Catalog>('catalog.get', { serverId: f.serverId, refresh: true });
  expect(catalog.backups).toHaveLength(1);
  firstLabel = (catalog.backups[0] as CatalogBackup).label;
  load = await startWriteLoad(f.pg, { markerDb: 'chinook', pgbenchDb: 'postgres' });
  await new Promise((r) => setTimeout(r, 2_000));
  // Run asynchronously (f.agent would block this process, and with it the marker rows).
  const snapshot = await runCommand(
    f.agentNode,
    [
      path.join(f.remoteRoot, 'opt/kumiko-agent/kumiko-agent.cjs'),
      'snapshot',
      '--config',
      path.join(f.remoteRoot, 'etc/kumiko-agent/config.json'),
    ],
    { name: 'kumiko-agent snapshot', timeoutMs: 300_000, check: false },
  );
  expect(snapshot.code, snapshot.stderr).toBe(0);
  label = (JSON.parse(snapshot.stdout) as { label: string }).label;
  expect(label).not.toBe(firstLabel);
}, 420_000);

afterAll(async () => {
  await load?.stop();
  await f?.stop();
  await hooks?.stop();
  await smtp?.stop();
}, 180_000);

/** Drill alerts so far, per channel, as [state, message]. */
function drillAlerts(): { json: [string, string][]; slack: string[]; mail: string[] } {
  const json = hooks
    .to(CHANNELS.json)
    .map((r) => r.json as { kind: string; state: string; message: string })
    .filter((e) => e.kind.startsWith('drill-'))
    .map((e): [string, string] => [`${e.kind} ${e.state}`, e.message]);
  const slack = hooks
    .to(CHANNELS.slack)
    .map((r) => (r.json as { text: string }).text)
    .filter((t) => /restore drill/.test(t));
  const mail = smtp.mails.map((m) => m.subject).filter((s) => /restore drill/.test(s));
  return { json, slack, mail };
}

async function until<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function drill(): Promise<Job> {
  return f.runJob('drill.start', { serverId: f.serverId });
}

async function point(which = label): Promise<CatalogBackup> {
  const catalog = await f.call<Catalog>('catalog.get', { serverId: f.serverId, refresh: true });
  const backup = catalog.backups.find((b) => b.label === which);
  if (!backup) throw new Error(`no backup ${which} in the catalog`);
  return backup;
}

async function drillTile(): Promise<{ health: ServerHealth; tile: ServerHealth['tiles'][number] }> {
  const health = await f.call<ServerHealth>('status.get', { serverId: f.serverId });
  const tile = health.tiles.find((t) => t.id === 'drill');
  if (!tile) throw new Error(`no drill tile: ${JSON.stringify(health.tiles)}`);
  return { health, tile };
}

async function planWarnings(): Promise<{ point: string[]; time: string[]; production: string[] }> {
  // A moment restored from this backup: inside the range it covers (WAL archived already).
  const catalog = await f.call<Catalog>('catalog.get', { serverId: f.serverId, refresh: true });
  const range = catalog.coverage.find((r) => r.baseBackup === label);
  if (!range) throw new Error(`no coverage from ${label}: ${JSON.stringify(catalog.coverage)}`);
  const middle = (Date.parse(range.from) + Date.parse(range.to)) / 2;
  const at = new Date(Math.ceil(middle / 1000) * 1000).toISOString();
  const plan = (target: unknown) =>
    f.call<RestorePlan>('restore.plan', {
      serverId: f.serverId,
      target,
      destination: { kind: 'scratch' },
    });
  const [byPoint, byTime, production] = await Promise.all([
    plan({ kind: 'point', label }),
    plan({ kind: 'time', time: at }),
    f.call<ProductionRestorePlan>('restore.production.plan', {
      serverId: f.serverId,
      target: { kind: 'point', label },
    }),
  ]);
  return { point: byPoint.warnings, time: byTime.warnings, production: production.warnings };
}

/**
 * The biggest stored object of the backup (a bundle of Chinook's table files: the installer
 * sets repo1-bundle), as s3rver keeps it on disk.
 */
function biggestBackupFile(): string {
  const config = JSON.parse(
    fs.readFileSync(path.join(f.remoteRoot, 'etc/kumiko-agent/config.json'), 'utf8'),
  ) as { stanza: string };
  const prefix = `${bucketLayout.pgbackrestPrefix(f.serverId)}backup/${config.stanza}/${label}/`;
  const dir = path.join(f.s3.dataDir, f.bucket, prefix);
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('._S3rver_object') && !e.name.startsWith('backup.manifest'))
        files.push(full);
    }
  };
  walk(dir);
  const biggest = files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  if (!biggest) throw new Error(`no stored backup files under ${dir}`);
  return biggest;
}

let corrupted: { file: string; original: Buffer } | null = null;

describe('a failed drill is loud everywhere', () => {
  it('proves the recovery point with a passing drill, quietly', async () => {
    const job = await drill();
    expect(job.state, job.error?.message).toBe('succeeded');
    const mark = (await point()).drill;
    expect(mark).toMatchObject({ mark: 'proven', verified: true, failedChecks: [] });
    // Drills restore the newest recovery point: the installer's first one was never drilled.
    expect((await point(firstLabel)).drill?.mark).toBe('never-drilled');
    const first = await f.call<RestorePlan>('restore.plan', {
      serverId: f.serverId,
      target: { kind: 'point', label: firstLabel },
      destination: { kind: 'scratch' },
    });
    expect(first.warnings).toContain(
      `Recovery point ${firstLabel} was never drilled: no practised restore has shown that it restores.`,
    );
    const { tile } = await drillTile();
    expect(tile.level, tile.reason).toBe('ok');
    expect(tile.reason).toContain(`of recovery point ${label} passed`);
    const warnings = await planWarnings();
    for (const list of Object.values(warnings)) expect(list.join('\n')).not.toMatch(/drill/);
    await pause(THREE_HEARTBEATS_MS);
    expect(drillAlerts()).toEqual({ json: [], slack: [], mail: [] });
  }, 300_000);

  it('fails the next drill after a byte flipped in a stored backup file, and says so everywhere', async () => {
    const file = biggestBackupFile();
    const original = fs.readFileSync(file);
    const bytes = Buffer.from(original);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] as number) ^ 0xff;
    fs.writeFileSync(file, bytes);
    corrupted = { file, original };
    const flippedAt = Date.now();

    const job = await drill();
    expect(job.state).toBe('failed');

    // The agent notices on its own (its daemon's heartbeat): one alert per channel.
    const [kind, message] = await until(
      'the drill-failed alert',
      () => drillAlerts().json[0],
      60_000,
    );
    const alertAt = Date.now();
    expect(kind).toBe('drill-failed open');
    expect(message).toContain(`of recovery point ${label}`);
    expect(message).toMatch(/failed: .*cluster-starts/);

    const { health, tile } = await drillTile();
    expect(tile.level).toBe('critical');
    expect(tile.value).toBe('failed');
    expect(tile.reason).toContain(label);
    expect(health.level).toBe('critical');
    const fleet = await f.call<ServerHealth[]>('status.fleet', {});
    expect(fleet[0]).toMatchObject({ serverId: f.serverId, level: 'critical' });

    const backup = await point();
    expect(backup.drill?.mark).toBe('failed');
    expect(backup.drill?.verified).toBe(true);
    expect(backup.drill?.failedChecks.map((c) => c.id)).toEqual(
      expect.arrayContaining(['cluster-starts', 'pgbackrest-verify']),
    );
    const catalog = await f.call<Catalog>('catalog.get', { serverId: f.serverId });
    const text = formatCatalog(catalog);
    expect(text).toMatch(new RegExp(`${label} .*DRILL FAILED`));
    expect(text).toContain('(its base backup FAILED its last drill)');
    expect(catalog.events.filter((e) => e.kind === 'drill').map((e) => e.ok)).toEqual([
      true,
      false,
    ]);

    const warnings = await planWarnings();
    const failed = `The last drill of recovery point ${label} (${backup.drill?.drillId}`;
    for (const [kind, list] of Object.entries(warnings)) {
      expect(list.join('\n'), kind).toContain(failed);
    }
    expect(warnings.point.join('\n')).toMatch(/failed: .*pgbackrest-verify: .*invalid checksum/);
    // The drill names the damaged file: pgBackRest's verify names the PostgreSQL file of this
    // backup whose stored copy (inside the flipped bundle) no longer has its checksum.
    const verify = backup.drill?.failedChecks.find((c) => c.id === 'pgbackrest-verify');
    const named = new RegExp(`invalid checksum ${label}/pg_data/\\S+`).exec(verify?.detail ?? '');
    expect(named, verify?.detail).not.toBeNull();
    console.log(
      `fault 5: drill failed in ${(Date.now() - flippedAt) / 1000} s; alert ${(alertAt - flippedAt) / 1000} s after the flip; verify names ${named?.[0]}`,
    );

    // Heartbeats go on, the drill stays failed: nothing more is sent.
    await pause(THREE_HEARTBEATS_MS);
    const alerts = drillAlerts();
    expect(alerts.json.map(([kind]) => kind)).toEqual(['drill-failed open']);
    expect(alerts.slack).toHaveLength(1);
    expect(alerts.mail).toEqual([`[Kumiko Recovery] ${f.serverId}: restore drill failed`]);
  }, 300_000);

  it('sends exactly one recovery notice once a drill passes again, and proves the point again', async () => {
    if (!corrupted) throw new Error('the previous test did not corrupt the backup');
    fs.writeFileSync(corrupted.file, corrupted.original);
    const job = await drill();
    expect(job.state, job.error?.message).toBe('succeeded');

    await until('the recovery notice', () => drillAlerts().json[1], 60_000);
    await pause(THREE_HEARTBEATS_MS);
    const alerts = drillAlerts();
    expect(alerts.json.map(([kind]) => kind)).toEqual([
      'drill-failed open',
      'drill-failed resolved',
    ]);
    expect(alerts.slack).toHaveLength(2);
    expect(alerts.mail).toEqual([
      `[Kumiko Recovery] ${f.serverId}: restore drill failed`,
      `[Kumiko Recovery] ${f.serverId}: resolved: restore drill failed`,
    ]);

    expect((await drillTile()).tile.level).toBe('ok');
    expect((await point()).drill?.mark).toBe('proven');
    const warnings = await planWarnings();
    for (const list of Object.values(warnings)) expect(list.join('\n')).not.toMatch(/drill/);

    // The load kept committing through every drill, plan and heartbeat.
    expect(load?.markers).toBeGreaterThan(300);
  }, 300_000);

  it('lost nothing: the app restores the last archived second with every marker row', async () => {
    const [moment] = await f.pg.query<{ target: string }>(
      `SELECT to_char(date_trunc('second', clock_timestamp() - interval '1 second') AT TIME ZONE 'UTC',
                      'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS target`,
    );
    const target = moment?.target as string;
    // A commit after the moment, in the segment switched out next: recovery stops at the first
    // commit past its target, and a writer stalled by a loaded machine may not have made one yet.
    await f.pg.query('SELECT txid_current()');
    // The segment holding the moment goes to the bucket now, not at archive_timeout.
    const [switched] = await f.pg.query<{ wal: string }>(
      'SELECT pg_walfile_name(pg_switch_wal()) AS wal',
    );
    const wal = switched?.wal as string;
    await expect
      .poll(
        async () => {
          const [a] = await f.pg.query<{ last: string | null }>(
            'SELECT last_archived_wal AS last FROM pg_stat_archiver',
          );
          return (a?.last ?? '').slice(8) >= wal.slice(8);
        },
        { timeout: 120_000, interval: 500 },
      )
      .toBe(true);

    const job = await f.runJob('restore.start', {
      serverId: f.serverId,
      target: { kind: 'time', time: target },
      destination: { kind: 'scratch' },
      keepHours: 1,
    });
    expect(job.state, job.error?.message).toBe('succeeded');
    const env = job.result as ScratchEnvironment;
    // A marker's `at` is taken just before its commit: a second's margin keeps a row whose
    // commit fell just after the target out of the comparison.
    const sql = `SELECT count(*)::int AS n, coalesce(md5(string_agg(id::text, ',' ORDER BY id)), '') AS ids
                 FROM kumiko_marker WHERE at <= '${target}'::timestamptz - interval '1 second'`;
    const [production] = await f.pg.query<{ n: number; ids: string }>(sql, [], 'chinook');
    const client = new pg.Client({
      host: env.host,
      port: env.port,
      user: 'postgres',
      database: 'chinook',
    });
    await client.connect();
    try {
      const [restored] = (await client.query<{ n: number; ids: string }>(sql)).rows;
      expect(production?.n).toBeGreaterThan(0);
      expect(restored).toEqual(production);
    } finally {
      await client.end();
    }
    const dropped = await f.call<ScratchEnvironment>('scratch.drop', { id: env.id });
    expect(dropped.state).toBe('removed');
  }, 300_000);
});
