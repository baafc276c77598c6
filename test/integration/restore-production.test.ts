import { PutObjectCommand } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseArgs } from '../../electron/cli/args';
import { restoreCommand } from '../../electron/cli/restore-commands';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { PRODUCTION_RESTORE_PHASES } from '../../shared/contract/restore-phases';
import type { Job, ProductionRestorePlan, ProductionRestoreResult } from '../../shared/contract';
import { startInstalledAgent, type InstalledAgent } from '../harness/installed-agent';
import { openVault } from '../../electron/services/secrets/vault';
import { addressingFor, createS3Client } from '../../electron/services/storage/s3-client';
import {
  erasureTargets,
  ledgerKeyOf,
  writeErasureEntry,
} from '../../electron/services/gdpr/ledger-writer';
import { isAlive } from '../harness/proc-table';

/**
 * Restore over production, end to end through the app core against the installed agent (real
 * PostgreSQL 15, sshd, TLS S3): marker rows, a moment T, more markers, then the explicit path
 * with the typed database name. Production ends with exactly the markers up to T, is the same
 * cluster on its own port, archives its new timeline, and the safety snapshot taken first is in
 * the bucket. A wrong name is refused before anything happens.
 */
describe('restore over production', () => {
  let fx: InstalledAgent;
  let target = 0;
  const timings: Record<string, number> = {};

  const markers = async () =>
    (await fx.pg.query<{ n: number }>('SELECT n FROM markers ORDER BY n')).map((r) => r.n);
  const productionFacts = async () =>
    (
      await fx.pg.query<{ sysid: string; port: string; recovery: boolean }>(
        `SELECT (SELECT system_identifier::text FROM pg_control_system()) AS sysid,
                current_setting('port') AS port, pg_is_in_recovery() AS recovery`,
      )
    )[0];
  const manifestKeys = () => fx.s3.listKeys(fx.bucket, bucketLayout.manifestsPrefix(fx.serverId));
  const archiveNames = () =>
    fx.s3
      .listKeys(fx.bucket, `${bucketLayout.pgbackrestPrefix(fx.serverId)}archive/`)
      .map((k) => k.slice(k.lastIndexOf('/') + 1));
  const agentPid = () => {
    const file = path.join(fx.remoteRoot, 'var/lib/kumiko-agent/agent.pid');
    return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').trim()) : null;
  };

  /** Commits marker n and returns the client clock just before and after its COMMIT. */
  async function mark(client: pg.Client, n: number): Promise<{ before: number; after: number }> {
    await client.query('BEGIN');
    await client.query('INSERT INTO markers VALUES ($1)', [n]);
    const before = Date.now();
    await client.query('COMMIT');
    return { before, after: Date.now() };
  }

  /** Switches to a new WAL segment and waits until the archiver has pushed it (or later). */
  async function switchAndWaitArchived(): Promise<string> {
    const [row] = await fx.pg.query<{ wal: string }>(
      'SELECT pg_walfile_name(pg_switch_wal()) AS wal',
    );
    const wal = row?.wal ?? '';
    // A plain loop, not expect.poll: this also runs in beforeAll.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [stat] = await fx.pg.query<{ last: string | null }>(
        'SELECT last_archived_wal AS last FROM pg_stat_archiver',
      );
      if ((stat?.last ?? '') >= wal) return wal;
      if (Date.now() > deadline) throw new Error(`${wal} not archived (last: ${stat?.last})`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  beforeAll(async () => {
    const t0 = Date.now();
    fx = await startInstalledAgent({ attachedFiles: false });
    timings.install_s = (Date.now() - t0) / 1000;
    await fx.pg.query('CREATE TABLE markers (n int PRIMARY KEY)');
    const client = new pg.Client({ connectionString: fx.pg.connectionString() });
    await client.connect();
    try {
      let last = { before: 0, after: 0 };
      for (let n = 1; n <= 3; n++) last = await mark(client, n);
      // T: the next whole second after marker 3's commit; marker 4 commits well after it.
      target = Math.ceil((last.after + 1) / 1000) * 1000;
      await new Promise((r) => setTimeout(r, target + 400 - Date.now()));
      for (let n = 4; n <= 6; n++) {
        const m = await mark(client, n);
        expect(m.before).toBeGreaterThan(target);
      }
    } finally {
      await client.end();
    }
    await switchAndWaitArchived();
  }, 240_000);

  afterAll(async () => {
    console.info(`[restore-production] ${JSON.stringify(timings)}`);
    await fx?.stop();
  });

  it('refuses a wrong database name before anything happens', async () => {
    const request = {
      serverId: fx.serverId,
      target: { kind: 'time', time: new Date(target).toISOString() },
    };
    const plan = await fx.call<ProductionRestorePlan>('restore.production.plan', request);
    // Chinook has far more rows than the markers: it is the production database to type.
    expect(plan.confirmName).toBe('chinook');
    expect(plan.confirmSource).toBe('manifest');
    expect(plan.databases.map((d) => d.name)).toEqual(['chinook', 'postgres']);
    expect(plan.pgbackrestType).toBe('time');
    expect(plan.port).toBe(fx.pg.port);
    const manifestsBefore = manifestKeys();
    const jobsBefore = await fx.call<Job[]>('jobs.list', {});
    await expect(
      fx.call('restore.production.start', { ...request, confirmName: 'Chinook' }),
    ).rejects.toMatchObject({ code: 'CONFIRMATION_MISMATCH' });
    await expect(
      fx.call('restore.production.start', { ...request, confirmName: 'db1' }),
    ).rejects.toMatchObject({ code: 'CONFIRMATION_MISMATCH' });
    // The CLI takes the same path: --confirm with the wrong name is refused, exit code 1.
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    let code: number;
    try {
      code = await restoreCommand(
        fx.core,
        parseArgs([
          'restore',
          '--server',
          fx.serverId,
          '--time',
          new Date(target).toISOString(),
          '--over-production',
          '--confirm',
          'postgres',
          '--yes',
        ]),
        true,
      );
    } finally {
      write.mockRestore();
    }
    expect(code).toBe(6); // refused, nothing changed (electron/cli/exit-codes.ts)
    expect(JSON.parse(out.join(''))).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_MISMATCH' },
    });
    // No job, no safety snapshot, production as it was.
    expect((await fx.call<Job[]>('jobs.list', {})).length).toBe(jobsBefore.length);
    expect(manifestKeys()).toEqual(manifestsBefore);
    expect(await markers()).toEqual([1, 2, 3, 4, 5, 6]);
  }, 60_000);

  it('restores production to T after a safety snapshot, and capture continues on timeline 2', async () => {
    // GDPR (issue 17): marker 2's subject was erased after T. The app's signed ledger entry
    // erases it again before production opens; an unsigned entry planted in the bucket for
    // marker 3 is refused, named, and deletes nothing.
    const secrets = await openVault(
      path.join(fx.dir, 'app', 'secrets.vault'),
      'fixture-passphrase',
    );
    const ledgerKey = await ledgerKeyOf(secrets, fx.serverId);
    const storage = {
      endpoint: fx.s3.endpoint,
      bucket: fx.bucket,
      region: fx.s3.region,
      accessKeyId: fx.s3.accessKeyId,
      secretAccessKey: fx.s3.secretAccessKey,
      ownStorage: true,
      caCertificate: fs.readFileSync(fx.s3.caFile, 'utf8'),
    };
    const erasure = (erasureId: string, marker: string) => ({
      serverId: fx.serverId,
      erasureId,
      erasedAt: new Date().toISOString(),
      state: 'soft-deleted' as const,
      database: 'postgres',
      targets: erasureTargets(ledgerKey, [
        { schema: 'public', table: 'markers', column: 'n', values: [marker] },
      ]),
    });
    await writeErasureEntry(secrets, storage, erasure('e-marker-2', '2'));
    const planted = `${bucketLayout.gdprPrefix(fx.serverId)}e-planted.json`;
    // What an attacker holding the bucket key can do: put plain JSON into the ledger.
    const s3 = createS3Client({ ...addressingFor(storage.endpoint), ...storage });
    await s3.client.send(
      new PutObjectCommand({
        Bucket: fx.bucket,
        Key: planted,
        Body: JSON.stringify({ format: 'kumiko-erasure-2', ...erasure('e-planted', '3') }),
      }),
    );
    s3.close();
    const before = await productionFacts();
    const request = {
      serverId: fx.serverId,
      target: { kind: 'time', time: new Date(target).toISOString() },
    };
    const plan = await fx.call<ProductionRestorePlan>('restore.production.plan', request);
    const phases: string[] = [];
    const phaseStarts: number[] = [];
    let cancelTry: Promise<unknown> | null = null;
    const t0 = Date.now();
    const job = await fx.runJob(
      'restore.production.start',
      { ...request, confirmName: plan.confirmName },
      (j) => {
        if (j.phase && phases[phases.length - 1] !== j.phase) {
          phases.push(j.phase);
          phaseStarts.push(Date.now());
        }
        // Once production is being overwritten, cancel is refused with the reason.
        if (!cancelTry && (j.phase === 'restore' || j.phase === 'replay')) {
          cancelTry = fx.call('jobs.cancel', { id: j.id }).then(
            () => 'accepted',
            (err: { code?: string }) => err.code,
          );
        }
      },
    );
    timings.production_restore_s = (Date.now() - t0) / 1000;
    phaseStarts.push(Date.now());
    phases.forEach((phase, i) => {
      timings[`phase_${phase}_s`] =
        ((phaseStarts[i + 1] as number) - (phaseStarts[i] as number)) / 1000;
    });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(await cancelTry).toBe('CONFLICT');
    expect(phases).toEqual(['starting', ...PRODUCTION_RESTORE_PHASES]);
    const result = job.result as ProductionRestoreResult;
    expect(result.checks.map((c) => [c.name, c.ok, c.detail])).toEqual([
      ['consistent', true, expect.any(String)],
      ['promoted', true, expect.any(String)],
      ['stopped-at-target', true, expect.any(String)],
      ['system-identifier', true, expect.any(String)],
      ['gdpr-ledger', true, expect.any(String)],
      ['archiving', true, expect.any(String)],
    ]);
    const gdpr = result.checks.find((c) => c.name === 'gdpr-ledger')?.detail ?? '';
    expect(gdpr).toMatch(
      /e-planted\.json was refused \(not a signed ledger entry\) and deleted nothing/,
    );
    expect(gdpr).toMatch(/replayed 1 erasure: 1 row erased in 1 table/);
    expect(gdpr).not.toContain(ledgerKey);
    expect(result.timeline).toBe(2);
    timings.downtime_s = (Date.parse(result.startedAt) - Date.parse(result.stoppedAt)) / 1000;

    // Production: the markers up to T without the erased one, the same cluster, on its own
    // port, a primary.
    expect(await markers()).toEqual([1, 3]);
    expect(await productionFacts()).toEqual(before);

    // The safety snapshot is a recovery point in the bucket, holding every marker.
    const safety = result.safetySnapshot;
    const manifestKey = bucketLayout.manifest(fx.serverId, safety.label);
    expect(safety.manifestKey).toBe(manifestKey);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(fx.s3.dataDir, fx.bucket, `${manifestKey}._S3rver_object`), 'utf8'),
    ) as { databases: { name: string; tables: { table: string; rowCount: number }[] }[] };
    const saved = manifest.databases
      .find((d) => d.name === 'postgres')
      ?.tables.find((t) => t.table === 'markers');
    expect(saved?.rowCount).toBe(6);

    // pgBackRest's recovery target settings do not outlive the restore.
    const [settings] = await fx.pg.query<{ time: string; timeline: string }>(
      `SELECT current_setting('recovery_target_time') AS time,
              current_setting('recovery_target_timeline') AS timeline`,
    );
    expect(settings).toEqual({ time: '', timeline: 'latest' });

    // Capture continues: the agent runs again and timeline 2 reaches the repository.
    const pid = agentPid();
    expect(pid !== null && isAlive(pid)).toBe(true);
    expect(archiveNames()).toContain('00000002.history');
    await fx.pg.query('INSERT INTO markers VALUES (100)');
    const wal = await switchAndWaitArchived();
    expect(wal.startsWith('00000002')).toBe(true);
    expect(archiveNames().some((n) => n.startsWith(wal))).toBe(true);
  }, 240_000);

  it('a cancel before PostgreSQL is stopped leaves production running as it was', async () => {
    const before = await productionFacts();
    const rows = await markers();
    const request = { serverId: fx.serverId, target: { kind: 'latest' } };
    const plan = await fx.call<ProductionRestorePlan>('restore.production.plan', request);
    const { jobId } = await fx.call<{ jobId: string }>('restore.production.start', {
      ...request,
      confirmName: plan.confirmName,
    });
    const deadline = Date.now() + 60_000;
    while (fx.core.jobs.get(jobId)?.phase !== 'safety-snapshot') {
      if (Date.now() > deadline) throw new Error('the safety snapshot did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    const cancelled = await fx.call<Job>('jobs.cancel', { id: jobId });
    expect(cancelled.state).toBe('cancelled');
    expect(await productionFacts()).toEqual(before);
    expect(await markers()).toEqual(rows);
    const pid = agentPid();
    expect(pid !== null && isAlive(pid)).toBe(true);
  }, 120_000);
});
