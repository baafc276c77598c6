import { PutObjectCommand } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erasureTargets, ledgerKeyOf } from '../../electron/services/gdpr/ledger-writer';
import { openVault } from '../../electron/services/secrets/vault';
import { addressingFor, createS3Client } from '../../electron/services/storage/s3-client';
import { signFinalMark } from '../../node/gdpr/final-mark';
import { signLedgerEntry } from '../../node/gdpr/ledger-object';
import { generateEd25519KeyPair } from '../../node/signing';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import type { ErasureLedgerEntry } from '../../shared/agent/erasure-ledger';
import type {
  DrillReportEntry,
  GdprEraseResult,
  GdprErasuresResult,
  Job,
  PointCreateResult,
  ProductionRestorePlan,
  ProductionRestoreResult,
  ReportDetail,
  RestoreCheck,
  ScratchEnvironment,
} from '../../shared/contract';
import { startInstalledAgent, type InstalledAgent } from '../harness/installed-agent';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

/**
 * Issue 17's "done when" for restores: a recovery point is taken, then Chinook's customer 5 is
 * erased through the app's own `gdpr.erase` (signed ledger entry in the TLS bucket). A scratch
 * restore, a drill and a restore over production of that older point each hand over data
 * without the subject, and each result says it replayed the one erasure. Two entries planted in
 * the bucket (unsigned, and signed by a key that is not the app's) would erase customer 2's
 * invoice lines: each is refused, named, and deletes nothing. A writer commits all along.
 */
describe('an erased subject does not come back through any restore', () => {
  let fx: InstalledAgent;
  let load: WriteLoad | undefined;
  let pointLabel = '';
  /** Customer 5's invoice ids and invoice line ids before the erasure. */
  let subjectInvoices: number[] = [];
  let subjectLines: number[] = [];
  let customersBefore = 0;
  let customer2Lines = 0;
  /** Attached files the subject's invoices name, and one of the victim's. */
  let subjectFiles: string[] = [];
  let victimFile = '';
  let erasure: GdprEraseResult;
  let putObject: (key: string, body: string) => Promise<void>;
  const timings: Record<string, number> = {};

  const SUBJECT = '5';
  const VICTIM = 2;

  /** What of the subject, and of the victim the planted entries name, a copy still holds. */
  async function subjectFacts(query: (sql: string) => Promise<{ n: number }[]>) {
    const one = async (sql: string) => (await query(sql))[0]?.n;
    return {
      customer: await one(`SELECT count(*)::int AS n FROM customer WHERE customer_id = ${SUBJECT}`),
      invoices: await one(
        `SELECT count(*)::int AS n FROM invoice WHERE invoice_id IN (${subjectInvoices.join(',')})`,
      ),
      lines: await one(
        `SELECT count(*)::int AS n FROM invoice_line WHERE invoice_line_id IN (${subjectLines.join(',')})`,
      ),
      otherCustomers: await one(`SELECT count(*)::int AS n FROM customer`),
      victimLines: await one(
        `SELECT count(*)::int AS n FROM invoice_line l JOIN invoice i USING (invoice_id) WHERE i.customer_id = ${VICTIM}`,
      ),
    };
  }
  const erasedFacts = () => ({
    customer: 0,
    invoices: 0,
    lines: 0,
    otherCustomers: customersBefore - 1,
    victimLines: customer2Lines,
  });

  function productionQuery(sql: string) {
    return fx.pg.query<{ n: number }>(sql, [], 'chinook');
  }

  async function scratchQuery(env: ScratchEnvironment, sql: string) {
    const client = new pg.Client({
      host: env.host,
      port: env.port,
      user: 'postgres',
      database: 'chinook',
    });
    await client.connect();
    try {
      return (await client.query<{ n: number }>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  /** The check a restore reports for the ledger: it names the replayed erasure and the two refusals. */
  function expectLedgerReported(detail: string) {
    expect(detail).toMatch(/replayed 1 erasure: \d+ rows erased in 3 tables/);
    expect(detail).toMatch(/planted-unsigned\.json was refused \(not a signed ledger entry\)/);
    expect(detail).toMatch(/planted-foreign-key\.json was refused \([^)]*signature[^)]*\)/);
  }

  beforeAll(async () => {
    let t0 = Date.now();
    fx = await startInstalledAgent();
    timings.install_s = (Date.now() - t0) / 1000;
    load = await startWriteLoad(fx.pg, { pgbenchRate: 20 });
    const ids = (sql: string) =>
      fx.pg.query<{ id: number }>(sql, [], 'chinook').then((rows) => rows.map((r) => r.id));
    subjectInvoices = await ids(
      `SELECT invoice_id AS id FROM invoice WHERE customer_id = ${SUBJECT}`,
    );
    subjectLines = await ids(
      `SELECT invoice_line_id AS id FROM invoice_line WHERE invoice_id IN (${subjectInvoices.join(',')})`,
    );
    const before = await subjectFacts(productionQuery);
    customersBefore = before.otherCustomers ?? 0;
    customer2Lines = before.victimLines ?? 0;
    expect(before).toMatchObject({ customer: 1, invoices: subjectInvoices.length });
    expect(subjectLines.length).toBeGreaterThan(0);
    expect(customer2Lines).toBeGreaterThan(0);
    // Attached files the rows name: two of the subject's invoices, one of the victim's. The
    // erasure removes the subject's from the server, and every restore of the attached files
    // must remove them again (the ledger names them by keyed path hashes).
    const uploads = fx.attachedDir as string;
    subjectFiles = [path.join(uploads, 'invoice-0.pdf'), path.join(uploads, 'invoice-1.pdf')];
    victimFile = path.join(uploads, 'invoice-2.pdf');
    await fx.pg.psql(
      `ALTER TABLE invoice ADD COLUMN attachment_path text;
       UPDATE invoice SET attachment_path = '${subjectFiles[0]}' WHERE invoice_id = ${subjectInvoices[0]};
       UPDATE invoice SET attachment_path = '${subjectFiles[1]}' WHERE invoice_id = ${subjectInvoices[1]};
       UPDATE invoice SET attachment_path = '${victimFile}'
         WHERE invoice_id = (SELECT min(invoice_id) FROM invoice WHERE customer_id = ${VICTIM});`,
      'chinook',
    );

    // The recovery point every restore below goes back to: it still holds customer 5.
    t0 = Date.now();
    const point = await fx.runJob('point.create', { serverId: fx.serverId });
    expect(point.state, JSON.stringify(point.error)).toBe('succeeded');
    pointLabel = (point.result as PointCreateResult).label;
    timings.point_s = (Date.now() - t0) / 1000;

    // The erasure, as the DPO runs it: saved map, dry run, erasure.
    await fx.call('gdpr.map', {
      serverId: fx.serverId,
      database: 'chinook',
      root: 'customer.customer_id',
      save: true,
    });
    const request = { serverId: fx.serverId, database: 'chinook', subject: SUBJECT };
    const dry = await fx.call<GdprEraseResult>('gdpr.erase', { ...request, dryRun: true });
    expect(dry.refusals).toEqual([]);
    const erased = await fx.call<GdprEraseResult>('gdpr.erase', { ...request, dryRun: false });
    erasure = erased;
    expect(erased.tables.map((t) => [t.table, t.rows])).toEqual([
      ['public.invoice_line', subjectLines.length],
      ['public.invoice', subjectInvoices.length],
      ['public.customer', 1],
    ]);
    expect(await subjectFacts(productionQuery)).toEqual(erasedFacts());
    expect(erased.files).toEqual(
      [...subjectFiles].sort().map((file) => ({ path: file, state: 'removed' })),
    );
    for (const file of subjectFiles) expect(fs.existsSync(file), file).toBe(false);

    // What someone holding the bucket key can do: put entries that would erase customer 2's
    // invoice lines (even hashed with the right ledger key) into the ledger, one unsigned, one
    // signed by a key of their own.
    const secrets = await openVault(
      path.join(fx.dir, 'app', 'secrets.vault'),
      'fixture-passphrase',
    );
    const ledgerKey = await ledgerKeyOf(secrets, fx.serverId);
    const victimLines = await ids(
      `SELECT l.invoice_line_id AS id FROM invoice_line l JOIN invoice i USING (invoice_id) WHERE i.customer_id = ${VICTIM}`,
    );
    const planted = (erasureId: string): ErasureLedgerEntry => ({
      format: 'kumiko-erasure-2',
      serverId: fx.serverId,
      erasureId,
      erasedAt: new Date().toISOString(),
      state: 'soft-deleted',
      database: 'chinook',
      targets: erasureTargets(ledgerKey, [
        {
          schema: 'public',
          table: 'invoice_line',
          column: 'invoice_line_id',
          values: victimLines.map(String),
        },
      ]),
    });
    const storage = {
      endpoint: fx.s3.endpoint,
      bucket: fx.bucket,
      region: fx.s3.region,
      accessKeyId: fx.s3.accessKeyId,
      secretAccessKey: fx.s3.secretAccessKey,
      caCertificate: fs.readFileSync(fx.s3.caFile, 'utf8'),
    };
    putObject = async (key, body) => {
      const s3 = createS3Client({ ...addressingFor(storage.endpoint), ...storage });
      try {
        await s3.client.send(new PutObjectCommand({ Bucket: fx.bucket, Key: key, Body: body }));
      } finally {
        s3.close();
      }
    };
    const prefix = bucketLayout.gdprPrefix(fx.serverId);
    await putObject(`${prefix}planted-unsigned.json`, JSON.stringify(planted('planted-unsigned')));
    await putObject(
      `${prefix}planted-foreign-key.json`,
      signLedgerEntry(planted('planted-foreign-key'), generateEd25519KeyPair().privateKeyPem),
    );
    expect(fx.s3.listKeys(fx.bucket, prefix)).toHaveLength(3);
  }, 300_000);

  afterAll(async () => {
    console.info(`[gdpr-restores] ${JSON.stringify(timings)}`);
    await load?.stop();
    await fx?.stop();
  }, 120_000);

  it('a scratch restore of the older point hands it over without the subject', async () => {
    const t0 = Date.now();
    const request = {
      serverId: fx.serverId,
      target: { kind: 'point', label: pointLabel },
      destination: { kind: 'scratch' },
    };
    const job = await fx.runJob('restore.start', { ...request, keepHours: 1 });
    timings.scratch_restore_s = (Date.now() - t0) / 1000;
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const env = job.result as ScratchEnvironment;
    try {
      const gdpr = env.checks.find((c) => c.name === 'gdpr-ledger') as RestoreCheck;
      expectLedgerReported(gdpr.detail);
      // Refused objects deleted nothing; every verified erasure is applied: handed over.
      expect(gdpr.ok, gdpr.detail).toBe(true);
      expect(await subjectFacts((sql) => scratchQuery(env, sql))).toEqual(erasedFacts());
      // The subject's files are gone from the restored files too; the victim's stay.
      expect(gdpr.detail).toMatch(/attached files: 2 file\(s\) of 1 erasure\(s\) removed/);
      const restored = (file: string) => path.join(env.filesDirectory as string, file);
      for (const file of subjectFiles) expect(fs.existsSync(restored(file)), file).toBe(false);
      expect(fs.readFileSync(restored(victimFile), 'utf8')).toBe('%PDF-1.4 invoice 2\n');
    } finally {
      await fx.call('scratch.drop', { id: env.id });
    }
  }, 240_000);

  it('a drill of the older point replays the erasure and reports the planted entries', async () => {
    const t0 = Date.now();
    const job = await fx.runJob('drill.start', { serverId: fx.serverId });
    timings.drill_s = (Date.now() - t0) / 1000;
    // The drill checks the newest point: the one taken before the erasure.
    const drillId =
      (job.result as DrillReportEntry | undefined)?.drillId ??
      /drill-[0-9TZ]+/.exec(job.error?.message ?? '')?.[0];
    expect(drillId, JSON.stringify(job.error)).toBeTruthy();
    const detail = await fx.call<ReportDetail>('reports.get', {
      serverId: fx.serverId,
      drillId,
    });
    expect(detail.drill.restored.backupLabel).toBe(pointLabel);
    const gdpr = detail.drill.checks.find((c) => c.id === 'gdpr-ledger-replay');
    expectLedgerReported(gdpr?.detail ?? '');
    expect(gdpr?.detail).toMatch(/no row of an erased subject remains/);
    // A planted entry is a finding: the check fails with it (and only it, besides the
    // advisory bucket protection s3rver cannot give), so the admin hears of it.
    expect(gdpr?.passed).toBe(false);
    const failed = detail.drill.checks.filter((c) => !c.passed).map((c) => c.id);
    expect(failed).toContain('gdpr-ledger-replay');
    expect(failed.filter((id) => id !== 'bucket-protection')).toEqual(['gdpr-ledger-replay']);
  }, 300_000);

  it('a restore over production to the older point opens without the subject', async () => {
    const t0 = Date.now();
    const request = { serverId: fx.serverId, target: { kind: 'point', label: pointLabel } };
    const plan = await fx.call<ProductionRestorePlan>('restore.production.plan', request);
    const job: Job = await fx.runJob('restore.production.start', {
      ...request,
      confirmName: plan.confirmName,
    });
    timings.production_restore_s = (Date.now() - t0) / 1000;
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const result = job.result as ProductionRestoreResult;
    const gdpr = result.checks.find((c) => c.name === 'gdpr-ledger') as RestoreCheck;
    expectLedgerReported(gdpr.detail);
    expect(gdpr.ok, gdpr.detail).toBe(true);
    expect(await subjectFacts(productionQuery)).toEqual(erasedFacts());
  }, 300_000);

  it('the erasure is due from the start, and final once retention keeps no older point', async () => {
    const erasureId = erasure.erasureId as string;
    // A mark "final" planted by someone with the bucket key, signed by a key of their own.
    const markKey = `${bucketLayout.gdprFinalPrefix(fx.serverId)}${erasureId}.json`;
    await putObject(
      markKey,
      signFinalMark(
        {
          format: 'kumiko-erasure-final-1',
          serverId: fx.serverId,
          erasureId,
          erasedAt: erasure.erasedAt as string,
          finalAt: new Date().toISOString(),
          oldestRetained: null,
        },
        generateEd25519KeyPair().privateKeyPem,
      ),
    );
    const before = await fx.call<GdprErasuresResult>('gdpr.erasures', { serverId: fx.serverId });
    expect(before.erasures).toEqual([
      {
        erasureId,
        erasedAt: erasure.erasedAt,
        database: 'chinook',
        tables: ['public.invoice_line', 'public.invoice', 'public.customer'],
        hardDeleteDue: erasure.hardDeleteDue,
        final: null,
      },
    ]);
    expect(before.refused.map((r) => r.key.slice(r.key.lastIndexOf('/') + 1)).sort()).toEqual([
      'planted-foreign-key.json',
      'planted-unsigned.json',
    ]);
    // Two days on, retention still keeps the points from before the erasure (the PITR window
    // of 30 days needs its base backup): nothing is final yet.
    const retentionRun = (days: number) => {
      const later = new Date(Date.now() + days * 86_400_000).toISOString();
      const run = fx.agent(['retention', '--now', later]);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as { kept: { label: string }[]; gdprFinal: string[] };
    };
    const first = retentionRun(2);
    expect(first.kept.length, JSON.stringify(first)).toBeGreaterThan(1);
    expect(first.gdprFinal).toEqual([]);
    // A full backup after the erasure; 40 days on, retention keeps only it (the newest, the
    // month's, the PITR base): no retained point predates the erasure, which is now final.
    const full = fx.agent(['snapshot', '--type', 'full']);
    expect(full.code, full.stderr).toBe(0);
    const fullLabel = (JSON.parse(full.stdout) as { label: string }).label;
    const second = retentionRun(40);
    expect(second.kept.map((k) => k.label)).toEqual([fullLabel]);
    expect(second.gdprFinal).toEqual([erasureId]);
    const after = await fx.call<GdprErasuresResult>('gdpr.erasures', { serverId: fx.serverId });
    expect(after.erasures[0]?.final).toEqual({ at: expect.any(String), oldestRetained: fullLabel });
    // A further run marks nothing again.
    expect(retentionRun(40).gdprFinal).toEqual([]);
  }, 180_000);
});
