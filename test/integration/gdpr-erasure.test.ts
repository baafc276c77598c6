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
  type ErasureLedgerEntry,
} from '../../shared/agent/erasure-ledger';
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
    [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
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
});
