import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteShell } from '../../electron/services/agent-install/remote-shell';
import type { ClusterAccess } from '../../electron/services/gdpr/remote-sql';
import {
  assertMapCurrent,
  estimateSubject,
  exportSubject,
  readSchemaGraph,
  type SubjectSource,
} from '../../electron/services/gdpr/subject-export';
import { SshConnection } from '../../electron/services/ssh/connection';
import { buildSubjectMap, type SubjectMap } from '../../node/gdpr/subject-map';
import { ed25519PublicKeyFromPrivate, generateEd25519KeyPair } from '../../node/signing';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import {
  loadChinook,
  runCommand,
  startPostgres,
  startSshd,
  type PostgresCluster,
  type SshdServer,
} from '../harness';
import { SHOP_SQL, SHOP_SUBJECT as SUBJECT, SHOP_TRUTH } from './gdpr-fixtures';

// Access export over a real sshd from a real PostgreSQL 15: the rows of one subject must be
// exactly what hand-written SQL finds, per table (count and checksum), and the zip's manifest
// must verify with sha256sum -c and ssh-keygen -Y verify against a key the test pins itself.

const CHINOOK_TRUTH: Record<string, string> = {
  'public.customer': `SELECT * FROM customer WHERE customer_id = $1::int`,
  'public.invoice': `SELECT * FROM invoice WHERE customer_id = $1::int`,
  'public.invoice_line': `SELECT l.* FROM invoice_line l JOIN invoice i USING (invoice_id) WHERE i.customer_id = $1::int`,
};

/** Rows as canonical JSON (keys sorted), sorted: comparable whatever order they came in. */
function canonical(rows: readonly unknown[]): string[] {
  const sortKeys = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, x]) => [k, sortKeys(x)]),
        )
      : v;
  return rows.map((r) => JSON.stringify(sortKeys(r))).sort();
}
const checksum = (rows: readonly unknown[]) =>
  createHash('sha256').update(canonical(rows).join('\n')).digest('hex');

describe('GDPR access export over SSH', () => {
  let pg: PostgresCluster;
  let sshd: SshdServer;
  let ssh: SshConnection;
  let cluster: ClusterAccess;
  let work: string;
  const key = generateEd25519KeyPair();
  const principal = 'kumiko-app@gdpr-test';
  const signer = {
    privateKeyPem: key.privateKeyPem,
    principal,
    publicKey: openSshPublicKeyLine(ed25519PublicKeyFromPrivate(key.privateKeyPem)),
  };

  beforeAll(async () => {
    [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
    await loadChinook(pg);
    await pg.psql(SHOP_SQL);
    ssh = await SshConnection.connect(
      sshd,
      { privateKey: sshd.clientPrivateKey },
      sshd.hostFingerprint,
    );
    cluster = {
      binDirectory: pg.binDir,
      socketDirectory: pg.socketDir,
      port: pg.port,
      osUser: 'postgres',
    };
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-gdpr-'));
  });

  afterAll(async () => {
    ssh?.close();
    await sshd?.stop();
    await pg?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const source = (database: string): SubjectSource => ({
    shell: new RemoteShell(ssh, true),
    cluster,
    database,
  });

  /** Exports `subject`, unzips it, checks it against the truth, verifies manifest and signature. */
  async function exportAndCheck(map: SubjectMap, subject: string, truth: Record<string, string>) {
    const src = source(map.database);
    const graph = await readSchemaGraph(src);
    assertMapCurrent(map, graph, {});
    const estimate = await estimateSubject(src, map, subject);
    const { zip, folder } = await exportSubject(src, {
      exportId: `t${Date.now()}`,
      serverName: 'harness',
      subject,
      map,
      graph,
      backupsExpire: '2027-03-06',
      signer,
    });
    const dir = fs.mkdtempSync(path.join(work, 'x-'));
    fs.writeFileSync(path.join(dir, 'export.zip'), zip);
    await runCommand('unzip', ['-q', 'export.zip'], { cwd: dir, name: 'unzip' });
    const root = path.join(dir, folder);
    const sums = await runCommand('sha256sum', ['-c', 'MANIFEST.sha256'], {
      cwd: root,
      name: 'sha256sum',
    });
    expect(sums.stdout).not.toMatch(/FAILED/);
    const allowed = path.join(dir, 'allowed_signers');
    fs.writeFileSync(allowed, `${principal} ${signer.publicKey}\n`);
    const verified = await runCommand(
      'ssh-keygen',
      [
        '-Y',
        'verify',
        '-f',
        allowed,
        '-I',
        principal,
        '-n',
        'kumiko-report',
        '-s',
        'MANIFEST.sha256.sig',
      ],
      {
        cwd: root,
        name: 'ssh-keygen',
        input: fs.createReadStream(path.join(root, 'MANIFEST.sha256')),
      },
    );
    expect(verified.stdout).toMatch(/Good "kumiko-report" signature/);

    expect(map.tables.map((t) => `${t.schema}.${t.table}`).sort()).toEqual(
      Object.keys(truth).sort(),
    );
    for (const [table, sql] of Object.entries(truth)) {
      const expected = await pg.query<{ j: unknown }>(
        `SELECT to_jsonb(x) AS j FROM (${sql}) x`,
        [subject],
        map.database,
      );
      const file = path.join(root, 'data', `${table}.json`);
      const exported = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown[];
      const rows = expected.map((r) => r.j);
      expect({ table, n: exported.length }).toEqual({ table, n: rows.length });
      expect(rows.length).toBeGreaterThan(0);
      expect(checksum(exported)).toBe(checksum(rows));
      expect(estimate.find((e) => e.table === table)?.rows).toBe(rows.length);
      expect(
        fs.readFileSync(path.join(root, 'data', `${table}.csv`), 'utf8').split('\r\n').length,
      ).toBe(rows.length + 2);
    }
    return root;
  }

  it('chinook: customer 5 is exactly their customer row, invoices and invoice lines', async () => {
    const graph = await readSchemaGraph(source('chinook'));
    const map = buildSubjectMap(graph, 'chinook', {
      schema: 'public',
      table: 'customer',
      column: 'customer_id',
    });
    // The employee self-reference is not on the map (employees are no customer's data).
    expect(
      map.links
        .filter((l) => l.followed)
        .map((l) => `${l.childTable}->${l.parentTable}`)
        .sort(),
    ).toEqual(['invoice->customer', 'invoice_line->invoice']);
    const root = await exportAndCheck(map, '5', CHINOOK_TRUTH);
    expect(fs.readFileSync(path.join(root, 'ZUSAMMENFASSUNG.txt'), 'utf8')).toMatch(/2027-03-06/);
    expect(fs.readFileSync(path.join(root, 'SUMMARY.txt'), 'utf8')).toMatch(
      /public\.invoice_line: \d+/,
    );
  });

  it('generated schema: text and composite keys, a cycle, two paths, a quoted value', async () => {
    const graph = await readSchemaGraph(source('shop'));
    const map = buildSubjectMap(graph, 'shop', {
      schema: 'sales',
      table: 'account',
      column: 'handle',
    });
    const self = map.links.find((l) => l.childTable === 'account' && l.parentTable === 'account');
    expect(self).toMatchObject({ followed: false, why: 'self-reference' });
    expect(map.tables.find((t) => t.table === 'account')?.personalColumns).toEqual([
      'email',
      'full_name',
    ]);
    const root = await exportAndCheck(map, SUBJECT, SHOP_TRUTH);
    // The subject's friend (referred by them) is not theirs; the gift shipped to them is.
    const accounts = fs.readFileSync(path.join(root, 'data', 'sales.account.json'), 'utf8');
    expect(accounts).not.toMatch(/friend/);
    expect(fs.readFileSync(path.join(root, 'data', 'sales.orders.json'), 'utf8')).toMatch(
      /gift-for-oneil/,
    );
    // A formula in a text value stays text in the CSV.
    expect(fs.readFileSync(path.join(root, 'data', 'sales.delivery_note.csv'), 'utf8')).toMatch(
      /,"'=HYPERLINK/,
    );
  });

  it('exports attached files inside the backed-up folders only, whatever the rows name', async () => {
    const files = fs.mkdtempSync(path.join(work, 'files-'));
    fs.mkdirSync(path.join(files, 'photos'));
    const photo = Buffer.from([0, 1, 2, 255, 10, 13, 0x2d, 0x2d]);
    fs.writeFileSync(path.join(files, 'photos', 'ann.jpg'), photo);
    // A folder inside the root that leads outside it: the file's own name is no link.
    fs.symlinkSync('/etc', path.join(files, 'linkdir'));
    const q = (p: string) => `'${p.replace(/'/g, "''")}'`;
    await pg.psql(
      [
        'CREATE DATABASE people;',
        '\\c people',
        'CREATE TABLE person (id text PRIMARY KEY, photo_path text);',
        'CREATE TABLE doc (id serial PRIMARY KEY, person_id text REFERENCES person, file_path text);',
        `INSERT INTO person VALUES ('ann', ${q(`${files}/photos/ann.jpg`)}), ('bob', ${q(`${files}/photos/bob.jpg`)});`,
        `INSERT INTO doc (person_id, file_path) VALUES ('ann', ${q(`${files}/linkdir/hostname`)}), ('ann', '/etc/passwd'),`,
        `  ('ann', ${q(`${files}/photos/../../../etc/passwd`)}), ('ann', ${q(`${files}/photos/missing.jpg`)});`,
      ].join('\n'),
    );
    const src = source('people');
    const graph = await readSchemaGraph(src);
    const map = buildSubjectMap(graph, 'people', {
      schema: 'public',
      table: 'person',
      column: 'id',
    });
    expect(map.tables.map((t) => t.fileColumns)).toEqual([['photo_path'], ['file_path']]);
    const { files: exported } = await exportSubject(src, {
      exportId: 'files',
      serverName: 'harness',
      subject: 'ann',
      map,
      graph,
      backupsExpire: null,
      signer,
      attachedRoots: [files],
    });
    const attached = [...exported].filter(([name]) => name.startsWith('files/'));
    expect(attached.map(([name]) => name)).toEqual(['files/1-ann.jpg']);
    expect(Buffer.from(attached[0]![1]).equals(photo)).toBe(true);
    const summary = JSON.parse(Buffer.from(exported.get('summary.json')!).toString()) as {
      skippedFiles: { path: string; why: string }[];
    };
    expect(summary.skippedFiles).toEqual([
      { path: `${files}/linkdir/hostname`, why: 'outside' },
      { path: '/etc/passwd', why: 'outside' },
      { path: `${files}/photos/../../../etc/passwd`, why: 'outside' },
      { path: `${files}/photos/missing.jpg`, why: 'missing' },
    ]);
  });

  it('names a changed schema instead of using a stale map', async () => {
    const src = source('shop');
    const map = buildSubjectMap(await readSchemaGraph(src), 'shop', {
      schema: 'sales',
      table: 'account',
      column: 'handle',
    });
    await pg.psql(
      'CREATE TABLE sales.login (id serial PRIMARY KEY, account_handle text REFERENCES sales.account (handle), ip_address text)',
      'shop',
    );
    try {
      const live = await readSchemaGraph(src);
      expect(() => assertMapCurrent(map, live, {})).toThrow(
        /table sales\.login now belongs to the map/,
      );
    } finally {
      await pg.psql('DROP TABLE sales.login', 'shop');
    }
    assertMapCurrent(map, await readSchemaGraph(src), {});
  });
});
