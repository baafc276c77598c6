import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteShell } from '../../electron/services/agent-install/remote-shell';
import { readSchemaGraph, type SubjectSource } from '../../electron/services/gdpr/subject-export';
import { erasureDryRun, eraseSubject } from '../../electron/services/gdpr/subject-erasure';
import { SshConnection } from '../../electron/services/ssh/connection';
import { newLedgerKey, openLedgerObject, signLedgerEntry } from '../../node/gdpr/ledger-object';
import { buildSubjectMap, type SubjectMap } from '../../node/gdpr/subject-map';
import { ed25519PublicKeyFromPrivate, generateEd25519KeyPair } from '../../node/signing';
import {
  eraseGroupSql,
  replayGroups,
  scrubHistorySql,
  type ErasureLedgerEntry,
} from '../../shared/agent/erasure-ledger';
import {
  AUDIT_INSTALL_STATEMENTS,
  attachTriggerStatements,
} from '../../shared/audit/audit-trail-sql';
import { AUDIT_STREAM_SETUP } from '../../shared/audit/audit-stream-sql';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import { startPostgres, startSshd, type PostgresCluster, type SshdServer } from '../harness';
import { SHOP_SQL, SHOP_SUBJECT, SHOP_TRUTH } from './gdpr-fixtures';

// Erasure over a real sshd on a real PostgreSQL 15: the dry run changes nothing (checksums of
// every table before and after), the erasure deletes exactly the ground truth's rows in one
// transaction, refuses when rows changed since the dry run, and its signed ledger entry, replayed
// on a copy of the database from before the erasure (what a restore of an older point hands
// over), leaves that copy identical to the erased live database.

describe('GDPR erasure over SSH', () => {
  let pg: PostgresCluster;
  let sshd: SshdServer;
  let ssh: SshConnection;
  let source: SubjectSource;
  let map: SubjectMap;
  const ledgerKey = newLedgerKey();
  const app = generateEd25519KeyPair();
  const appKey = openSshPublicKeyLine(ed25519PublicKeyFromPrivate(app.privateKeyPem));
  const ledger = new Map<string, string>();
  const writeLedger = async (entry: Omit<ErasureLedgerEntry, 'format'>) => {
    const key = `kumiko/srv-1/gdpr/${entry.erasureId}.json`;
    ledger.set(key, signLedgerEntry({ format: 'kumiko-erasure-2', ...entry }, app.privateKeyPem));
    return key;
  };

  /** md5 of every user table's rows, by table. */
  async function checksums(db: string): Promise<Record<string, string>> {
    const tables = await pg.query<{ t: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
      [],
      db,
    );
    const out: Record<string, string> = {};
    for (const { t } of tables) {
      const [row] = await pg.query<{ md5: string }>(
        `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS md5 FROM ${t} x`,
        [],
        db,
      );
      out[t] = row!.md5;
    }
    return out;
  }

  async function truthCounts(db: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [table, sql] of Object.entries(SHOP_TRUTH)) {
      const [row] = await pg.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (${sql}) x`,
        [SHOP_SUBJECT],
        db,
      );
      out[table] = row!.n;
    }
    return out;
  }

  beforeAll(async () => {
    // wal_level = logical: the audit trail's versions travel as WAL messages (audit-stream-sql.ts).
    [pg, sshd] = await Promise.all([
      startPostgres({ confSettings: { wal_level: 'logical' } }),
      startSshd(),
    ]);
    await pg.psql(SHOP_SQL);
    ssh = await SshConnection.connect(
      sshd,
      { privateKey: sshd.clientPrivateKey },
      sshd.hostFingerprint,
    );
    source = {
      shell: new RemoteShell(ssh, true),
      cluster: {
        binDirectory: pg.binDir,
        socketDirectory: pg.socketDir,
        port: pg.port,
        osUser: 'postgres',
      },
      database: 'shop',
    };
    map = buildSubjectMap(await readSchemaGraph(source), 'shop', {
      schema: 'sales',
      table: 'account',
      column: 'handle',
    });
  });

  afterAll(async () => {
    ssh?.close();
    await sshd?.stop();
    await pg?.stop();
  });

  it('the dry run changes nothing and names the reference from outside that blocks the erasure', async () => {
    const before = await checksums('shop');
    const graph = await readSchemaGraph(source);
    const plan = await erasureDryRun(source, map, graph, SHOP_SUBJECT);
    expect(await checksums('shop')).toEqual(before);
    const truth = await truthCounts('shop');
    expect(Object.fromEntries(plan.tables.map((t) => [t.table, t.rows]))).toEqual(truth);
    // The friend's account names the subject as who referred them: a delete would fail.
    expect(plan.references).toEqual([
      { id: 'sales.account.account_referred_by_fkey', rows: 1, effect: 'blocks' },
    ]);
    expect(plan.refusals.join(' ')).toMatch(
      /1 rows outside the subject reference it through sales\.account\.account_referred_by_fkey/,
    );
    await expect(
      eraseSubject(source, {
        serverId: 'srv-1',
        erasureId: 'e0',
        subject: SHOP_SUBJECT,
        map,
        graph,
        plan,
        ledgerKey,
        writeLedger,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(ledger.size).toBe(0);
    expect(await checksums('shop')).toEqual(before);
  });

  it('refuses and rolls back when the subject gained rows since the dry run', async () => {
    await pg.psql(`UPDATE sales.account SET referred_by = NULL WHERE handle = 'friend'`, 'shop');
    const graph = await readSchemaGraph(source);
    const plan = await erasureDryRun(source, map, graph, SHOP_SUBJECT);
    expect(plan.refusals).toEqual([]);
    await pg.psql(
      `INSERT INTO sales.orders VALUES ('late-order', 'o''neil "x"', NULL, NULL)`,
      'shop',
    );
    const before = await checksums('shop');
    await expect(
      eraseSubject(source, {
        serverId: 'srv-1',
        erasureId: 'e1',
        subject: SHOP_SUBJECT,
        map,
        graph,
        plan,
        ledgerKey,
        writeLedger,
      }),
    ).rejects.toThrow(/sales\.orders lost 5 rows, the dry run counted 4/);
    expect(await checksums('shop')).toEqual(before);
    await pg.psql(`DELETE FROM sales.orders WHERE order_no = 'late-order'`, 'shop');
  });

  it('erases exactly the subject, and the signed ledger erases them again from an older copy', async () => {
    // The state a recovery point from before the erasure holds.
    await pg.psql('CREATE DATABASE shop_before TEMPLATE shop');
    const graph = await readSchemaGraph(source);
    const plan = await erasureDryRun(source, map, graph, SHOP_SUBJECT);
    const othersBefore = await checksums('shop');
    const result = await eraseSubject(source, {
      serverId: 'srv-1',
      erasureId: 'e2',
      subject: SHOP_SUBJECT,
      map,
      graph,
      plan,
      ledgerKey,
      writeLedger,
    });
    expect(Object.values(await truthCounts('shop')).every((n) => n === 0)).toBe(true);
    expect(result.tables.map((t) => t.table)).toEqual([
      'sales.delivery_note',
      'sales.order_item',
      'sales.orders',
      'sales.address',
      'sales.account',
    ]);
    // Untouched: tables without subject rows.
    expect((await checksums('shop'))['sales.product']).toBe(othersBefore['sales.product']);
    // The ledger entry holds no subject value, verifies, and replays on the older copy.
    const body = ledger.get(result.ledgerObject)!;
    expect(body).not.toContain('neil');
    const opened = openLedgerObject(Buffer.from(body), appKey, 'srv-1');
    if (!opened.ok) throw new Error(opened.why);
    const statements = replayGroups([opened.entry]).map((g) => `${eraseGroupSql(g, ledgerKey)};`);
    await pg.psql(['BEGIN;', ...statements, 'COMMIT;'].join('\n'), 'shop_before');
    expect(await checksums('shop_before')).toEqual(await checksums('shop'));
  });

  it('anonymises where the map says so, and the audit trail keeps the fact but no value', async () => {
    // The audit trail (issue 18) on every table with a key: it records each change's values.
    // Its publication and slot first, each in a transaction of its own (as the agent's install).
    for (const statement of AUDIT_STREAM_SETUP) await pg.psql(statement, 'shop');
    await pg.psql(
      [
        ...AUDIT_INSTALL_STATEMENTS,
        ...attachTriggerStatements('sales', 'account', ['handle']),
        ...attachTriggerStatements('sales', 'address', ['account_handle', 'seq']),
        ...attachTriggerStatements('sales', 'orders', ['order_no']),
        ...attachTriggerStatements('sales', 'order_item', ['order_no', 'line']),
      ]
        .map((statement) => `${statement};`)
        .join('\n'),
      'shop',
    );
    const subject = 'u5';
    // Changes the audit trail records with the subject's values (what an erasure must not keep).
    await pg.psql(
      `UPDATE sales.account SET email = 'u5-new@example.org' WHERE handle = 'u5';
       UPDATE sales.address SET street = 'Secret Lane 5' WHERE account_handle = 'u5' AND seq = 1;
       INSERT INTO sales.orders VALUES ('ord-u5-late', 'u5', NULL, NULL);`,
      'shop',
    );
    // Drained: the subject's old values are in the history (so the test below can fail).
    await pg.psql('SELECT kumiko_audit.drain()', 'shop');
    expect(
      await pg.psql(
        "SELECT count(*) FROM kumiko_audit.row_history h WHERE h::text LIKE '%u5@example.org%'",
        'shop',
      ),
    ).not.toBe('0');
    const graph = await readSchemaGraph(source);
    const root = { schema: 'sales', table: 'account', column: 'handle' };
    // The account is kept (anonymised) but references its address: deleting that is refused.
    const half = buildSubjectMap(graph, 'shop', root, {
      tables: { 'sales.account': { action: 'anonymise' } },
    });
    const refused = await erasureDryRun(source, half, graph, subject);
    expect(refused.refusals.join(' ')).toMatch(
      /sales\.account is anonymised but references sales\.address, which is deleted \(sales\.account\.account_home_fk\)/,
    );
    const anonymise = buildSubjectMap(graph, 'shop', root, {
      tables: {
        'sales.account': { action: 'anonymise' },
        'sales.address': { action: 'anonymise' },
      },
    });
    expect(anonymise.tables.find((t) => t.table === 'account')?.personalColumns).toEqual([
      'email',
      'full_name',
    ]);
    await pg.psql('CREATE DATABASE shop_before_u5 TEMPLATE shop');
    const before = await checksums('shop');
    const plan = await erasureDryRun(source, anonymise, graph, subject);
    // The account u6 names u5 as who referred them: no obstacle, u5's account row stays.
    expect(plan.refusals).toEqual([]);
    expect(await checksums('shop')).toEqual(before);
    const result = await eraseSubject(source, {
      serverId: 'srv-1',
      erasureId: 'e-anon',
      subject,
      map: anonymise,
      graph,
      plan,
      ledgerKey,
      writeLedger,
    });
    expect(result.tables).toEqual([
      { table: 'sales.delivery_note', rows: 3 },
      { table: 'sales.order_item', rows: 12 },
      { table: 'sales.orders', rows: 4 },
      { table: 'sales.address', rows: 2 },
      { table: 'sales.account', rows: 1 },
    ]);
    const kept = await pg.query<{ handle: string; email: string | null; full_name: string | null }>(
      `SELECT handle, email, full_name FROM sales.account WHERE handle = 'u5'`,
      [],
      'shop',
    );
    expect(kept).toEqual([{ handle: 'u5', email: null, full_name: null }]);
    const streets = await pg.query<{ street: string | null }>(
      `SELECT street FROM sales.address WHERE account_handle = 'u5' ORDER BY seq`,
      [],
      'shop',
    );
    expect(streets).toEqual([{ street: null }, { street: null }]);
    const [orders] = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sales.orders WHERE account_handle = 'u5'`,
      [],
      'shop',
    );
    expect(orders!.n).toBe(0);
    // The audit trail: nothing of the subject's values, old or new; one entry per table says
    // the erasure happened, with its row count. Drained first, as the agent does every second:
    // the erasure's own changes (which carry the values) must never arrive.
    await pg.psql('SELECT kumiko_audit.drain()', 'shop');
    const history = await pg.query<{ text: string }>(
      `SELECT h::text AS text FROM kumiko_audit.row_history h`,
      [],
      'shop',
    );
    const all = history.map((h) => h.text).join('\n');
    // (An insert's entry holds only the row's key: ord-u5-late names the subject's order.)
    for (const value of [
      'u5@example.org',
      'u5-new@example.org',
      'User 5',
      'Secret Lane 5',
      'ord-u5-late',
    ])
      expect(all).not.toContain(value);
    const facts = await pg.query<{ t: string; key: { rows: number; action: string } }>(
      `SELECT table_name AS t, row_key AS key FROM kumiko_audit.row_history WHERE row_key ? 'gdpr_erasure' ORDER BY id`,
      [],
      'shop',
    );
    expect(facts.map((f) => [f.t, f.key])).toEqual([
      ['account', { gdpr_erasure: 'e-anon', rows: 1, action: 'anonymised' }],
      ['address', { gdpr_erasure: 'e-anon', rows: 2, action: 'anonymised' }],
      ['orders', { gdpr_erasure: 'e-anon', rows: 4, action: 'deleted' }],
      ['order_item', { gdpr_erasure: 'e-anon', rows: 12, action: 'deleted' }],
      ['delivery_note', { gdpr_erasure: 'e-anon', rows: 3, action: 'deleted' }],
    ]);
    // The signed entry replayed on the copy from before: the same data, and its audit history
    // of the subject gone too.
    const opened = openLedgerObject(Buffer.from(ledger.get(result.ledgerObject)!), appKey, 'srv-1');
    if (!opened.ok) throw new Error(opened.why);
    expect(opened.entry.targets.find((t) => t.table === 'account')?.anonymise).toEqual([
      'email',
      'full_name',
    ]);
    const groups = replayGroups([opened.entry]);
    const statements = [
      ...groups.map((g) => `${eraseGroupSql(g, ledgerKey)};`),
      ...groups.map((g) => `${scrubHistorySql(g, ledgerKey)};`),
    ];
    await pg.psql(['BEGIN;', ...statements, 'COMMIT;'].join('\n'), 'shop_before_u5');
    const replayed = await checksums('shop_before_u5');
    const live = await checksums('shop');
    for (const table of Object.keys(live).filter((t) => t.startsWith('sales.')))
      expect(replayed[table], table).toBe(live[table]);
    const [left] = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM kumiko_audit.row_history h WHERE h::text LIKE '%Secret Lane 5%' OR h::text LIKE '%u5-new@%'`,
      [],
      'shop_before_u5',
    );
    expect(left!.n).toBe(0);
  });

  it('removes the attached files the rows name, inside the attached-file folders only', async () => {
    const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-gdpr-files-')));
    fs.chmodSync(base, 0o755);
    const uploads = path.join(base, 'uploads');
    const elsewhere = path.join(base, 'elsewhere');
    fs.mkdirSync(uploads);
    fs.mkdirSync(elsewhere);
    const file = (dir: string, name: string) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, `%PDF ${name}\n`);
      return p;
    };
    const invoice = file(uploads, 'u9-invoice.pdf');
    const others = file(uploads, 'u8-invoice.pdf');
    const outside = file(elsewhere, 'outside.pdf');
    const target = file(elsewhere, 'link-target.pdf');
    const link = path.join(uploads, 'u9-link.pdf');
    fs.symlinkSync(target, link);
    // A folder inside the uploads that leads outside them: the path looks inside, is not.
    fs.symlinkSync(elsewhere, path.join(uploads, 'sub'));
    const viaFolder = path.join(uploads, 'sub', 'outside.pdf');
    // The uploads belong to another user: the removal runs as them, not as root.
    fs.chownSync(uploads, fs.statSync('/var/lib/postgresql').uid, 0);
    try {
      await pg.psql(
        `ALTER TABLE sales.orders ADD COLUMN attachment_path text;
         UPDATE sales.orders SET attachment_path = CASE order_no
           WHEN 'ord-u9-1' THEN '${invoice}' WHEN 'ord-u9-2' THEN '${outside}'
           WHEN 'ord-u9-3' THEN '${link}' END WHERE order_no LIKE 'ord-u9-%';
         INSERT INTO sales.orders VALUES ('ord-u9-4', 'u9', NULL, NULL, '${viaFolder}');
         UPDATE sales.orders SET attachment_path = '${others}' WHERE order_no = 'ord-u8-1';`,
        'shop',
      );
      const graph = await readSchemaGraph(source);
      const map = buildSubjectMap(
        graph,
        'shop',
        { schema: 'sales', table: 'account', column: 'handle' },
        {
          tables: {
            'sales.account': { action: 'anonymise' },
            'sales.address': { action: 'anonymise' },
          },
        },
      );
      expect(map.tables.find((t) => t.table === 'orders')?.fileColumns).toEqual([
        'attachment_path',
      ]);
      const plan = await erasureDryRun(source, map, graph, 'u9');
      expect(plan.refusals).toEqual([]);
      expect(plan.files).toEqual([invoice, outside, link, viaFolder].sort());
      // The dry run touched no file.
      for (const p of [invoice, outside, link, target, others]) expect(fs.existsSync(p)).toBe(true);
      const result = await eraseSubject(source, {
        serverId: 'srv-1',
        erasureId: 'e-files',
        subject: 'u9',
        map,
        graph,
        plan,
        ledgerKey,
        writeLedger,
        attachedRoots: [uploads],
      });
      expect(result.files.removed.sort()).toEqual([invoice, link].sort());
      expect(result.files.kept.sort((a, b) => a.path.localeCompare(b.path))).toEqual(
        [
          { path: outside, why: 'outside' },
          { path: viaFolder, why: 'outside' },
        ].sort((a, b) => a.path.localeCompare(b.path)),
      );
      expect(fs.existsSync(invoice)).toBe(false);
      expect(fs.lstatSync(link, { throwIfNoEntry: false })).toBeUndefined();
      // The link's target, the file outside, and someone else's file stay.
      for (const p of [target, outside, others]) expect(fs.existsSync(p), p).toBe(true);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
