import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import type { Catalog, Job, RestorePlan, ScratchEnvironment } from '../../shared/contract';
import { createS3Client } from '../../electron/services/storage/s3-client';
import { startInstalledAgent, type InstalledAgent } from '../harness/installed-agent';
import { isAlive, pidsWithArgument } from '../harness/proc-table';

// A minute of markers, one a second, under pgbench: enough seconds to pick one between two
// markers and to find one before a WAL gap (120 cost CI another minute and showed nothing more).
const MARKER_SECONDS = Number(process.env.KUMIKO_PITR_MARKER_SECONDS ?? 60);

interface Marker {
  n: number;
  /** Client clock just before COMMIT was sent and just after it returned (epoch ms). */
  before: number;
  after: number;
}

/**
 * Point-in-time restore into a scratch cluster on the same server, end to end through the app
 * core: pgbench load plus one marker row per second, restore to a second between two markers,
 * exactly the markers committed up to it come back; production and the repository stay
 * untouched; a recovery point matches its manifest; a time before a WAL gap still restores.
 */
describe('point-in-time restore into a scratch database', () => {
  let fx: InstalledAgent;
  const markers: Marker[] = [];
  /** The second the first test restored to. */
  let firstTarget = 0;
  const timings: Record<string, number> = {};

  const archivePrefix = () => `${bucketLayout.pgbackrestPrefix(fx.serverId)}archive/`;
  const archiveKeys = () => fx.s3.listKeys(fx.bucket, archivePrefix());
  /** No timeline history and no WAL of any timeline but production's first one. */
  const expectNoScratchWal = () => {
    const names = archiveKeys().map((k) => k.slice(k.lastIndexOf('/') + 1));
    expect(names.filter((n) => /^0000000[2-9A-F]\.history/.test(n))).toEqual([]);
    expect(names.filter((n) => /^0000000[2-9A-F][0-9A-F]{16}/.test(n))).toEqual([]);
  };

  async function productionFacts() {
    const [row] = await fx.pg.query<{
      sysid: string;
      port: string;
      data: string;
      recovery: boolean;
      markers: string;
    }>(
      `SELECT (SELECT system_identifier::text FROM pg_control_system()) AS sysid,
              current_setting('port') AS port, current_setting('data_directory') AS data,
              pg_is_in_recovery() AS recovery, (SELECT count(*) FROM markers)::text AS markers`,
    );
    return row;
  }

  async function scratchQuery<R extends object>(
    env: ScratchEnvironment,
    sql: string,
  ): Promise<R[]> {
    const client = new pg.Client({
      host: env.host,
      port: env.port,
      user: 'postgres',
      database: 'postgres',
    });
    await client.connect();
    try {
      return (await client.query<R>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  async function restore(
    target: unknown,
    progress?: (job: Job) => void,
  ): Promise<{ plan: RestorePlan; job: Job }> {
    const request = { serverId: fx.serverId, target, destination: { kind: 'scratch' } };
    const plan = await fx.call<RestorePlan>('restore.plan', request);
    const job = await fx.runJob('restore.start', { ...request, keepHours: 1 }, progress);
    return { plan, job };
  }

  async function drop(env: ScratchEnvironment): Promise<void> {
    const pidFile = path.join(env.dataDirectory, 'postmaster.pid');
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    const dropped = await fx.call<ScratchEnvironment>('scratch.drop', { id: env.id });
    expect(dropped.state).toBe('removed');
    expect(fs.existsSync(path.dirname(env.dataDirectory))).toBe(false);
    // Gone, or a zombie its new parent has not reaped yet: either way it runs no more.
    await expect
      .poll(
        () => {
          try {
            return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? 'gone';
          } catch {
            return 'gone';
          }
        },
        { timeout: 10_000, interval: 200 },
      )
      .toMatch(/^(gone|Z|X)$/);
  }

  async function switchAndWaitArchived(): Promise<void> {
    const [{ wal }] = (await fx.pg.query<{ wal: string }>(
      'SELECT pg_walfile_name(pg_switch_wal()) AS wal',
    )) as [{ wal: string }];
    await expect
      .poll(
        async () =>
          (
            await fx.pg.query<{ last: string | null }>(
              'SELECT last_archived_wal AS last FROM pg_stat_archiver',
            )
          )[0]?.last ?? '',
        { timeout: 60_000, interval: 500 },
      )
      .toSatisfy((last: string) => last >= wal);
  }

  beforeAll(async () => {
    fx = await startInstalledAgent();
    await fx.pg.query('CREATE TABLE markers (n int PRIMARY KEY, note text)');
    await new Promise<void>((resolve, reject) => {
      const init = spawn(
        'runuser',
        [
          '-u',
          'postgres',
          '--',
          path.join(fx.pg.binDir, 'pgbench'),
          '-i',
          '-q',
          '-s',
          '1',
          '-h',
          fx.pg.socketDir,
          '-p',
          String(fx.pg.port),
          'postgres',
        ],
        { stdio: 'ignore' },
      );
      init.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`pgbench -i: ${code}`)),
      );
    });
  }, 240_000);

  afterAll(async () => {
    console.info(`[restore-pitr] ${JSON.stringify(timings)}`);
    await fx?.stop();
  });

  it('restores exactly the markers committed up to a chosen second, without touching production', async () => {
    const load: ChildProcess = spawn(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        path.join(fx.pg.binDir, 'pgbench'),
        '-h',
        fx.pg.socketDir,
        '-p',
        String(fx.pg.port),
        '-c',
        '2',
        '-R',
        '20',
        '-T',
        String(MARKER_SECONDS + 5),
        'postgres',
      ],
      { stdio: 'ignore' },
    );
    const loadDone = new Promise((resolve) => load.once('close', resolve));
    const client = new pg.Client({ connectionString: fx.pg.connectionString() });
    await client.connect();
    try {
      const start = Date.now();
      for (let n = 1; n <= MARKER_SECONDS; n++) {
        // Half a second into each second: targets on whole seconds are never ambiguous.
        const due = start - (start % 1000) + n * 1000 + 500;
        await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
        await client.query('BEGIN');
        await client.query('INSERT INTO markers VALUES ($1, $2)', [n, `marker ${n}`]);
        const before = Date.now();
        await client.query('COMMIT');
        markers.push({ n, before, after: Date.now() });
      }
    } finally {
      await client.end();
    }
    await loadDone;
    await switchAndWaitArchived();

    // A whole second between two markers, in the middle of the run.
    let target = 0;
    for (let k = Math.floor(markers.length / 2); k < markers.length - 1; k++) {
      const second = Math.ceil((markers[k] as Marker).after / 1000) * 1000;
      if (second < (markers[k + 1] as Marker).before) {
        target = second;
        break;
      }
    }
    expect(target).toBeGreaterThan(0);
    firstTarget = target;
    const expected = markers.filter((m) => m.after <= target).map((m) => m.n);
    expect(markers.filter((m) => m.before <= target && m.after > target)).toEqual([]);

    const before = await productionFacts();
    const keysBefore = archiveKeys();
    const phases = new Set<string>();
    const t0 = Date.now();
    const { plan, job } = await restore(
      { kind: 'time', time: new Date(target).toISOString() },
      (j) => {
        if (j.phase) phases.add(j.phase);
      },
    );
    timings.time_restore_s = (Date.now() - t0) / 1000;
    expect(plan.pgbackrestType).toBe('time');
    expect(plan.targetTime).toBe(new Date(target).toISOString());
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect([...phases]).toEqual(
      expect.arrayContaining(['plan', 'download', 'replay', 'verify', 'files']),
    );
    const env = job.result as ScratchEnvironment;
    expect(env.checks.map((c) => [c.name, c.ok])).toEqual([
      ['consistent', true],
      ['promoted', true],
      ['stopped-at-target', true],
      // The GDPR erasure ledger (empty here) is replayed before the environment is handed over.
      ['gdpr-ledger', true],
      ['files', true],
    ]);
    expect(env.port).not.toBe(fx.pg.port);
    expect(env.dataDirectory.startsWith(fx.pg.dataDir)).toBe(false);

    const restored = await scratchQuery<{ n: number }>(env, 'SELECT n FROM markers ORDER BY n');
    expect(restored.map((r) => r.n)).toEqual(expected);
    const [inRecovery] = await scratchQuery<{ r: boolean }>(env, 'SELECT pg_is_in_recovery() AS r');
    expect(inRecovery?.r).toBe(false);

    // Production untouched: same cluster, port, directory, data, still the primary.
    expect(await productionFacts()).toEqual(before);
    expect(before?.recovery).toBe(false);
    expect(Number(before?.markers)).toBe(MARKER_SECONDS);
    // The repository got nothing from the promoted scratch cluster, even after a while.
    await switchAndWaitArchived();
    expect(archiveKeys().length).toBeGreaterThanOrEqual(keysBefore.length);
    expectNoScratchWal();

    const listed = await fx.call<ScratchEnvironment[]>('scratch.list', {});
    expect(listed.find((e) => e.id === env.id)?.sizeBytes).toBeGreaterThan(1e6);
    await drop(env);
  }, 420_000);

  it('restores a recovery point that matches its manifest', async () => {
    const snap = fx.agent(['snapshot']);
    expect(snap.code, snap.stderr).toBe(0);
    const label = (JSON.parse(snap.stdout) as { label: string }).label;
    const t0 = Date.now();
    const { plan, job } = await restore({ kind: 'point', label });
    timings.point_restore_s = (Date.now() - t0) / 1000;
    expect(plan.pgbackrestType).toBe('immediate');
    expect(plan.baseBackup.label).toBe(label);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const env = job.result as ScratchEnvironment;
    const byName = Object.fromEntries(env.checks.map((c) => [c.name, c]));
    expect(byName['manifest-match']?.ok, byName['manifest-match']?.detail).toBe(true);
    expect(env.checks.every((c) => c.ok)).toBe(true);
    const [count] = await scratchQuery<{ c: string }>(env, 'SELECT count(*) AS c FROM markers');
    expect(Number(count?.c)).toBe(MARKER_SECONDS);
    expectNoScratchWal();
    await drop(env);
  }, 240_000);

  it('restores onto another server with temporary repository access', async () => {
    // The same machine added a second time stands in for another host: its own server entry,
    // SSH session and detection, so the restore takes the other-host path.
    const host = await fx.call<{ id: string }>('servers.add', {
      name: 'restore-host',
      host: fx.sshd.host,
      port: fx.sshd.port,
      user: fx.sshd.user,
      auth: { kind: 'privateKey', privateKey: fx.sshd.clientPrivateKey },
    });
    await fx.call('servers.trustHostKey', { id: host.id, fingerprint: fx.sshd.hostFingerprint });
    const connected = await fx.runJob('servers.connect', { id: host.id });
    expect(connected.state).toBe('succeeded');
    const request = {
      serverId: fx.serverId,
      target: { kind: 'time', time: new Date(firstTarget).toISOString() },
      destination: { kind: 'host', serverId: host.id },
    };
    const plan = await fx.call<RestorePlan>('restore.plan', request);
    expect(plan.warnings.join(' ')).toMatch(/restore-host/);
    const t0 = Date.now();
    const job = await fx.runJob('restore.start', request);
    timings.host_restore_s = (Date.now() - t0) / 1000;
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const env = job.result as ScratchEnvironment;
    expect(env.hostServerId).toBe(host.id);
    expect(env.checks.every((c) => c.ok)).toBe(true);
    // The same agent ran there, from its own folder beside (never inside) an installed agent,
    // and the repository keys were on the host for the restore only.
    const restoreState = path.join(fx.remoteRoot, 'var/lib/kumiko-restore');
    expect(env.dataDirectory).toBe(path.join(restoreState, 'scratch', env.id, 'data'));
    const configDir = path.join(restoreState, 'restores', env.id);
    expect(fs.readdirSync(configDir).sort()).toEqual(['config.json', 'storage-ca.pem']);
    const config = JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8')) as {
      s3: { accessKeyId: string; secretAccessKey: string };
      verifyKey: string;
    };
    expect(config.s3).toMatchObject({ accessKeyId: '', secretAccessKey: '' });
    expect(config.verifyKey).toMatch(/^ssh-ed25519 /);
    const restored = await scratchQuery<{ n: number }>(env, 'SELECT n FROM markers ORDER BY n');
    expect(restored.map((r) => r.n)).toEqual(
      markers.filter((m) => m.after <= firstTarget).map((m) => m.n),
    );
    expectNoScratchWal();
    await drop(env);
    expect(fs.existsSync(configDir)).toBe(false);
  }, 240_000);

  it('a cancelled restore leaves nothing behind', async () => {
    const scratchRoot = path.join(fx.remoteRoot, 'var/lib/kumiko-agent/scratch');
    const before = fs.existsSync(scratchRoot) ? fs.readdirSync(scratchRoot) : [];
    const request = {
      serverId: fx.serverId,
      target: { kind: 'time', time: new Date(firstTarget).toISOString() },
      destination: { kind: 'scratch' },
    };
    const { jobId } = await fx.call<{ jobId: string }>('restore.start', request);
    // Cancel once pgBackRest is writing into the scratch folder.
    await expect
      .poll(() => fx.core.jobs.get(jobId)?.phase, { timeout: 30_000, interval: 50 })
      .toBe('download');
    const cancelled = await fx.call<Job>('jobs.cancel', { id: jobId });
    expect(cancelled.state).toBe('cancelled');
    expect(fs.readdirSync(scratchRoot)).toEqual(before);
    // No pgBackRest (restore or archive-get) or restic left working for the cancelled folder.
    expect(pidsWithArgument(`${scratchRoot}/`).filter(isAlive)).toEqual([]);
    const listed = await fx.call<ScratchEnvironment[]>('scratch.list', {});
    expect(listed.filter((e) => e.state !== 'removed')).toEqual([]);
  }, 120_000);

  it('refuses a time inside a WAL gap and still restores a time before it', async () => {
    // Timeline-1 segments by upload time (s3rver's file times). The victim's predecessor was
    // archived well into the marker run, so markers before the gap exist; a later segment
    // exists too, so it is a hole, not the end.
    const firstMarker = (markers[3] as Marker).after;
    const segments = archiveKeys()
      .filter((k) => /\/0000000100000000[0-9A-F]{8}-[0-9a-f]{40}/.test(k))
      .map((key) => ({
        key,
        name: key.slice(key.lastIndexOf('/') + 1, key.lastIndexOf('/') + 25),
        at: fs.statSync(path.join(fx.s3.dataDir, fx.bucket, `${key}._S3rver_object`)).mtimeMs,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const victimAt = segments.findIndex(
      (seg, i) =>
        i > 0 && i < segments.length - 1 && (segments[i - 1]?.at ?? 0) > firstMarker + 5_000,
    );
    expect(victimAt).toBeGreaterThan(0);
    const victim = segments[victimAt];
    const s3 = createS3Client({
      endpoint: fx.s3.endpoint,
      region: fx.s3.region,
      accessKeyId: fx.s3.accessKeyId,
      secretAccessKey: fx.s3.secretAccessKey,
      forcePathStyle: true,
      caCertificate: fs.readFileSync(fx.s3.caFile, 'utf8'),
    });
    try {
      await s3.client.send(new DeleteObjectCommand({ Bucket: fx.bucket, Key: victim?.key }));
    } finally {
      s3.close();
    }
    const withGap = await fx.call<Catalog>('catalog.get', { serverId: fx.serverId, refresh: true });
    const gap = withGap.gaps[0];
    expect(gap?.missingSegment).toBe(victim?.name);

    const inside = new Date(Date.parse(gap?.from as string) + 2_000).toISOString();
    const request = {
      serverId: fx.serverId,
      target: { kind: 'time', time: inside },
      destination: { kind: 'scratch' },
    };
    await expect(fx.call('restore.plan', request)).rejects.toMatchObject({
      code: 'RESTORE_NOT_COVERED',
    });
    await expect(fx.call('restore.plan', request)).rejects.toThrow(victim?.name as string);

    // A whole second between two markers, well before the gap.
    const gapFrom = Date.parse(gap?.from as string);
    const early = markers.find((m, i) => {
      const next = markers[i + 1];
      const second = Math.ceil(m.after / 1000) * 1000;
      return i >= 2 && next !== undefined && second < next.before && second < gapFrom - 2_000;
    }) as Marker;
    expect(early).toBeDefined();
    const target = Math.ceil(early.after / 1000) * 1000;
    expect(target).toBeLessThan(Date.parse(gap?.from as string));
    const t0 = Date.now();
    const { job } = await restore({ kind: 'time', time: new Date(target).toISOString() });
    timings.before_gap_restore_s = (Date.now() - t0) / 1000;
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const env = job.result as ScratchEnvironment;
    expect(env.checks.every((c) => c.ok)).toBe(true);
    const restored = await scratchQuery<{ n: number }>(env, 'SELECT n FROM markers ORDER BY n');
    expect(restored.map((r) => r.n)).toEqual(
      markers.filter((m) => m.after <= target).map((m) => m.n),
    );
    expectNoScratchWal();
    await drop(env);
  }, 240_000);
});
