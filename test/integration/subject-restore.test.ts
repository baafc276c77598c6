import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GdprEraseResult, Job, ScratchEnvironment } from '../../shared/contract';
import type {
  SubjectRestoreOutcome,
  SubjectRestorePreview,
  SubjectRestoreRefusal,
} from '../../shared/contract/rollback';
import { translate } from '../../renderer/app/i18n/translate';
import { subjectRefusalMessage } from '../../renderer/features/record-history/subject-refusal-message';
import { startInstalledAgent, type InstalledAgent } from '../harness/installed-agent';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

/**
 * Issue 18 §4 on Chinook, a writer committing beside it: customer 5 (customer → invoice →
 * invoice_line) is hit by a bad batch that also changes customers 6 and 7. Restoring customer 5
 * as of a second before the batch brings exactly its rows back (per-table checksums equal the
 * moment's) while every other row keeps its newer value; a row changed after the preview is
 * refused with nothing changed; an erased customer is refused before any restore starts.
 */
describe('one customer as of a moment, without touching anyone else', () => {
  let fx: InstalledAgent;
  let load: WriteLoad | undefined;
  let moment = '';
  let invoices: number[] = [];
  let lines: number[] = [];
  let atMoment: Record<string, string> = {};
  const timings: Record<string, number> = {};
  const SUBJECT = 5;

  /** Each table's subject rows and other rows, as md5 over the sorted row JSON. */
  async function checksums(): Promise<{
    subject: Record<string, string>;
    others: Record<string, string>;
  }> {
    const parts: Record<string, string> = {
      customer: `customer_id = ${SUBJECT}`,
      invoice: `invoice_id IN (${invoices.join(',')})`,
      invoice_line: `invoice_line_id IN (${lines.join(',')}) OR invoice_id IN (${invoices.join(',')})`,
    };
    const subject: Record<string, string> = {};
    const others: Record<string, string> = {};
    for (const [table, where] of Object.entries(parts)) {
      const sum = async (cond: string) =>
        (
          await fx.pg.query<{ md5: string }>(
            `SELECT md5(coalesce(string_agg(to_jsonb(t)::text, E'\\n' ORDER BY to_jsonb(t)::text), '')) AS md5 FROM ${table} t WHERE ${cond}`,
            [],
            'chinook',
          )
        )[0]!.md5;
      subject[table] = await sum(where);
      others[table] = await sum(`NOT (${where})`);
    }
    return { subject, others };
  }

  async function preview(value: string): Promise<{ job: Job; preview: SubjectRestorePreview }> {
    const t0 = Date.now();
    const job = await fx.runJob('rollback.subject.start', {
      serverId: fx.serverId,
      database: 'chinook',
      value,
      at: moment,
    });
    timings[`preview_${value}_s`] = (Date.now() - t0) / 1000;
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    return { job, preview: job.result as SubjectRestorePreview };
  }

  /** Switches WAL and waits until the segment is archived (the moment's WAL is in the bucket). */
  async function switchAndWaitArchived(): Promise<void> {
    const [{ wal }] = (await fx.pg.query<{ wal: string }>(
      'SELECT pg_walfile_name(pg_switch_wal()) AS wal',
    )) as [{ wal: string }];
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await fx.pg.query<{ last: string | null }>(
        'SELECT last_archived_wal AS last FROM pg_stat_archiver',
      );
      if ((row?.last ?? '') >= wal) return;
      if (Date.now() > deadline) throw new Error(`WAL ${wal} was not archived within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  beforeAll(async () => {
    let t0 = Date.now();
    fx = await startInstalledAgent({ attachedFiles: false });
    timings.install_s = (Date.now() - t0) / 1000;
    load = await startWriteLoad(fx.pg, { markerDb: 'chinook', pgbenchRate: 20 });
    await fx.call('gdpr.map', {
      serverId: fx.serverId,
      database: 'chinook',
      root: 'customer.customer_id',
      save: true,
    });
    // The audit trail, so the apply is seen in it with who and why.
    await fx.call('audit.install', { serverId: fx.serverId, db: 'chinook', dryRun: false });
    const ids = (sql: string) =>
      fx.pg.query<{ id: number }>(sql, [], 'chinook').then((rows) => rows.map((r) => r.id));
    invoices = await ids(`SELECT invoice_id AS id FROM invoice WHERE customer_id = ${SUBJECT}`);
    lines = await ids(
      `SELECT invoice_line_id AS id FROM invoice_line WHERE invoice_id IN (${invoices.join(',')})`,
    );
    expect(lines.length).toBeGreaterThan(2);
    atMoment = (await checksums()).subject;

    // The moment: a whole second after the state above, before the batch.
    t0 = Date.now();
    const second = Math.ceil((Date.now() + 1) / 1000) * 1000;
    moment = new Date(second).toISOString();
    await new Promise((resolve) => setTimeout(resolve, second - Date.now() + 1100));
    // The bad batch: customers 5, 6 and 7, one transaction; one of customer 5's lines deleted,
    // one added, customer 6's too.
    await fx.pg.query(
      `BEGIN;
       UPDATE customer SET company = 'Batch GmbH', fax = NULL WHERE customer_id IN (5, 6);
       UPDATE invoice SET total = total + 100, billing_city = 'Nowhere' WHERE customer_id IN (5, 6, 7);
       DELETE FROM invoice_line WHERE invoice_line_id IN (${lines[0]},
         (SELECT min(l.invoice_line_id) FROM invoice_line l JOIN invoice i USING (invoice_id) WHERE i.customer_id = 6));
       INSERT INTO invoice_line (invoice_line_id, invoice_id, track_id, unit_price, quantity)
         VALUES (900001, ${invoices[0]}, 1, 0.99, 7), (900002,
           (SELECT min(invoice_id) FROM invoice WHERE customer_id = 6), 1, 0.99, 7);
       COMMIT;`,
      [],
      'chinook',
    );
    // Later, legitimate work on another customer: it must survive the restore.
    await fx.pg.query(
      `UPDATE customer SET email = 'new@example.org' WHERE customer_id = 7`,
      [],
      'chinook',
    );
    await switchAndWaitArchived();
    timings.batch_s = (Date.now() - t0) / 1000;
  }, 300_000);

  afterAll(async () => {
    console.info(`[subject-restore] ${JSON.stringify(timings)}`);
    await load?.stop();
    await fx?.stop();
  }, 120_000);

  it('a row changed after the preview is refused and nothing changes', async () => {
    const { preview: first } = await preview(String(SUBJECT));
    expect(first.refusal).toBeUndefined();
    // Someone fixes customer 5's fax by hand after the preview.
    await fx.pg.query(
      `UPDATE customer SET fax = '+49 1' WHERE customer_id = ${SUBJECT}`,
      [],
      'chinook',
    );
    const before = await checksums();
    const outcome = await fx.call<SubjectRestoreOutcome>('rollback.subject.apply', {
      serverId: fx.serverId,
      previewId: first.previewId,
      reason: 'undo the bad batch',
    });
    expect(outcome).toEqual({ applied: false, refusal: { code: 'changed-after-preview' } });
    expect(await checksums()).toEqual(before);
    // The preview is spent: applying it again is refused too.
    const again = await fx.call<SubjectRestoreOutcome>('rollback.subject.apply', {
      serverId: fx.serverId,
      previewId: first.previewId,
      reason: 'undo the bad batch',
    });
    expect(again).toEqual({ applied: false, refusal: { code: 'preview-unknown' } });
  }, 240_000);

  /** Applies `previewId`; expects the refusal and the database as it was (checksums). */
  async function expectRefusedUnchanged(previewId: string) {
    const before = await checksums();
    const outcome = await fx.call<SubjectRestoreOutcome>('rollback.subject.apply', {
      serverId: fx.serverId,
      previewId,
      reason: 'undo the bad batch',
    });
    expect(await checksums()).toEqual(before);
    expect(outcome.applied).toBe(false);
    return (outcome as Extract<SubjectRestoreOutcome, { applied: false }>).refusal;
  }

  /** The refusal's sentence in German and English names the constraint and its table. */
  function expectWorded(refusal: SubjectRestoreRefusal, de: string, en: string) {
    const { key, params } = subjectRefusalMessage(refusal);
    for (const [lang, kind] of [
      ['de', de],
      ['en', en],
    ] as const) {
      const text = translate(lang, key, params);
      expect(text).toContain(kind);
      if (refusal.code === 'foreign-key' || refusal.code === 'unique') {
        expect(text).toContain(refusal.constraint);
        expect(text).toContain(refusal.table);
      }
    }
  }

  it('a foreign key the restore would break is refused, named, and nothing changes', async () => {
    const { preview: plan } = await preview(String(SUBJECT));
    expect(plan.refusal).toBeUndefined();
    // After the preview, a refund (a table the map does not know) points at the line the batch
    // added, which the restore deletes.
    await fx.pg.query(
      `CREATE TABLE refund (refund_id int PRIMARY KEY,
         invoice_line_id int NOT NULL CONSTRAINT refund_line_fkey REFERENCES invoice_line)`,
      [],
      'chinook',
    );
    try {
      await fx.pg.query('INSERT INTO refund VALUES (1, 900001)', [], 'chinook');
      const refusal = await expectRefusedUnchanged(plan.previewId);
      expect(refusal).toEqual({
        code: 'foreign-key',
        constraint: 'refund_line_fkey',
        table: expect.stringMatching(/^public\.(refund|invoice_line)$/),
      });
      expectWorded(refusal, 'Fremdschlüssel', 'foreign key');
    } finally {
      await fx.pg.query('DROP TABLE refund', [], 'chinook');
    }
  }, 240_000);

  it('a unique key the restore would break is refused, named, and nothing changes', async () => {
    const { preview: plan } = await preview(String(SUBJECT));
    expect(plan.refusal).toBeUndefined();
    const fax = plan.tables[0]!.changes[0]!.diff.find((d) => d.column === 'fax')!.target;
    expect(fax).toMatch(/^"\+420/);
    // After the preview, customer 5's old fax number goes to customer 8 under a unique key.
    await fx.pg.query('CREATE UNIQUE INDEX customer_fax_key ON customer (fax)', [], 'chinook');
    try {
      await fx.pg.query(
        'UPDATE customer SET fax = $1 WHERE customer_id = 8',
        [JSON.parse(fax!) as string],
        'chinook',
      );
      const refusal = await expectRefusedUnchanged(plan.previewId);
      expect(refusal).toEqual({
        code: 'unique',
        constraint: 'customer_fax_key',
        table: 'public.customer',
      });
      expectWorded(refusal, 'eindeutigen Schlüssel', 'unique key');
    } finally {
      await fx.pg.query(
        'DROP INDEX customer_fax_key; UPDATE customer SET fax = NULL WHERE customer_id = 8',
        [],
        'chinook',
      );
    }
  }, 240_000);

  it('restores customer 5 as of the moment; everyone else keeps their newer rows', async () => {
    const { preview: plan } = await preview(String(SUBJECT));
    expect(plan.refusal).toBeUndefined();
    expect(plan.scratchId).toBeNull();
    const byTable = Object.fromEntries(
      plan.tables.map((t) => [t.table, [t.inserts, t.updates, t.deletes]]),
    );
    expect(byTable).toEqual({
      'public.customer': [0, 1, 0],
      'public.invoice': [0, invoices.length, 0],
      'public.invoice_line': [1, 0, 1],
    });
    const customer = plan.tables[0]!.changes[0]!;
    expect(customer.diff.map((d) => d.column).sort()).toEqual(['company', 'fax']);

    const before = await checksums();
    const t0 = Date.now();
    const outcome = await fx.call<SubjectRestoreOutcome>('rollback.subject.apply', {
      serverId: fx.serverId,
      previewId: plan.previewId,
      reason: 'undo the bad batch',
    });
    timings.apply_s = (Date.now() - t0) / 1000;
    expect(outcome).toEqual({
      applied: true,
      inserted: 1,
      updated: 1 + invoices.length,
      deleted: 1,
    });
    const after = await checksums();
    expect(after.subject).toEqual(atMoment);
    expect(after.others).toEqual(before.others);
    const six = await fx.pg.query<{ company: string }>(
      'SELECT company FROM customer WHERE customer_id = 6',
      [],
      'chinook',
    );
    expect(six[0]?.company).toBe('Batch GmbH');
    // In the audit trail with who and why.
    const trail = await fx.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM kumiko_audit.row_history WHERE reason = 'undo the bad batch' AND actor IS NOT NULL`,
      [],
      'chinook',
    );
    expect(trail[0]?.n).toBe(3 + invoices.length);
    // No scratch environment is left behind.
    const scratch = await fx.call<ScratchEnvironment[]>('scratch.list', {});
    expect(scratch.filter((s) => s.state === 'running')).toEqual([]);
  }, 240_000);

  it('an erased customer is refused before any restore starts', async () => {
    const request = { serverId: fx.serverId, database: 'chinook', subject: '12' };
    const erased = await fx.call<GdprEraseResult>('gdpr.erase', { ...request, dryRun: false });
    expect(erased.erasureId).toBeTruthy();
    const scratchBefore = (await fx.call<ScratchEnvironment[]>('scratch.list', {})).length;
    const { preview: refused } = await preview('12');
    expect(refused.refusal).toEqual({
      code: 'erased',
      erasureId: erased.erasureId,
      erasedAt: erased.erasedAt,
    });
    expect(refused.tables).toEqual([]);
    // Refused before the point-in-time restore: no scratch environment was made for it.
    expect(await fx.call<ScratchEnvironment[]>('scratch.list', {})).toHaveLength(scratchBefore);
  }, 120_000);
});
