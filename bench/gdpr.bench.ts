import { RemoteShell } from '../electron/services/agent-install/remote-shell';
import { runSql } from '../electron/services/gdpr/remote-sql';
import { eraseSubject, erasureDryRun } from '../electron/services/gdpr/subject-erasure';
import {
  exportSubject,
  readSchemaGraph,
  type SubjectSource,
} from '../electron/services/gdpr/subject-export';
import { SshConnection } from '../electron/services/ssh/connection';
import { newLedgerKey, signLedgerEntry } from '../node/gdpr/ledger-object';
import { buildSubjectMap } from '../node/gdpr/subject-map';
import { ed25519PublicKeyFromPrivate, generateEd25519KeyPair } from '../node/signing';
import { openSshPublicKeyLine } from '../shared/sshsig/sshsig';
import { startPostgres, startSshd } from '../test/harness';
import { median, round, timeRuns } from './measure';
import type { BenchSuite } from './suites';

/**
 * GDPR export and erasure of one subject on a generated schema of 2.2 million rows over ten
 * tables (issue 17: export <= 10 s and <= 2x hand-written join queries for the same rows).
 * Both sides read over the same SSH path with psql as the cluster user in one REPEATABLE READ
 * transaction; ours also walks the map, writes JSON, CSV and the zip, and signs it.
 */
const SCHEMA = `
CREATE TABLE category (id int PRIMARY KEY, name text);
CREATE TABLE product (id int PRIMARY KEY, category_id int REFERENCES category, title text);
CREATE TABLE customer (id int PRIMARY KEY, email text, full_name text);
CREATE TABLE address (id int PRIMARY KEY, customer_id int REFERENCES customer, street text, city text);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customer, ship_address_id int REFERENCES address, placed date);
CREATE TABLE order_item (order_id int REFERENCES orders, line int, product_id int REFERENCES product, qty int, PRIMARY KEY (order_id, line));
CREATE TABLE payment (id int PRIMARY KEY, order_id int REFERENCES orders, amount numeric(10,2));
CREATE TABLE ticket (id int PRIMARY KEY, customer_id int REFERENCES customer, subject text);
CREATE TABLE ticket_message (id int PRIMARY KEY, ticket_id int REFERENCES ticket, body text);
CREATE TABLE login (id int PRIMARY KEY, customer_id int REFERENCES customer, ip_address text, at timestamptz);
INSERT INTO category SELECT i, 'c' || i FROM generate_series(1, 100) i;
INSERT INTO product SELECT i, 1 + i % 100, 'p' || i FROM generate_series(1, 10000) i;
INSERT INTO customer SELECT i, 'u' || i || '@example.org', 'User ' || i FROM generate_series(1, 100000) i;
INSERT INTO address SELECT i, 1 + (i - 1) % 100000, 'Street ' || i, 'City' FROM generate_series(1, 200000) i;
INSERT INTO orders SELECT i, 1 + (i - 1) % 100000, 1 + (i - 1) % 200000, date '2026-01-01' + i % 300 FROM generate_series(1, 300000) i;
INSERT INTO order_item SELECT 1 + (i - 1) % 300000, 1 + (i - 1) / 300000, 1 + i % 10000, 1 FROM generate_series(1, 900000) i;
INSERT INTO payment SELECT i, 1 + (i - 1) % 300000, 9.99 FROM generate_series(1, 300000) i;
INSERT INTO ticket SELECT i, 1 + (i - 1) % 100000, 'help ' || i FROM generate_series(1, 50000) i;
INSERT INTO ticket_message SELECT i, 1 + (i - 1) % 50000, 'message ' || i FROM generate_series(1, 150000) i;
INSERT INTO login SELECT i, 1 + (i - 1) % 100000, '10.0.0.1', now() FROM generate_series(1, 200000) i;
CREATE INDEX ON address (customer_id); CREATE INDEX ON orders (customer_id); CREATE INDEX ON orders (ship_address_id);
CREATE INDEX ON payment (order_id); CREATE INDEX ON ticket (customer_id); CREATE INDEX ON ticket_message (ticket_id);
CREATE INDEX ON login (customer_id);
VACUUM ANALYZE;
`;

/** The same rows written by hand: one join query per table. */
function handwritten(id: number): string {
  // Two indexed paths joined with UNION, as a person tuning it would write it (an OR over
  // both paths makes PostgreSQL scan all orders).
  const orders =
    `SELECT o.* FROM orders o WHERE o.customer_id = ${id} UNION ` +
    `SELECT o.* FROM orders o JOIN address a ON a.id = o.ship_address_id WHERE a.customer_id = ${id}`;
  return [
    'BEGIN ISOLATION LEVEL REPEATABLE READ;',
    `SELECT to_jsonb(x)::text FROM customer x WHERE id = ${id};`,
    `SELECT to_jsonb(x)::text FROM address x WHERE customer_id = ${id};`,
    `SELECT to_jsonb(x)::text FROM (${orders}) x;`,
    `SELECT to_jsonb(i)::text FROM order_item i JOIN (${orders}) o ON o.id = i.order_id;`,
    `SELECT to_jsonb(p)::text FROM payment p JOIN (${orders}) o ON o.id = p.order_id;`,
    `SELECT to_jsonb(t)::text FROM ticket t WHERE customer_id = ${id};`,
    `SELECT to_jsonb(m)::text FROM ticket_message m JOIN ticket t ON t.id = m.ticket_id WHERE t.customer_id = ${id};`,
    `SELECT to_jsonb(l)::text FROM login l WHERE customer_id = ${id};`,
    'ROLLBACK;',
  ].join('\n');
}

export const gdprSuite: BenchSuite = {
  name: 'gdpr',
  description:
    'access export and erasure of one subject on 2.2 M rows / 10 tables: ours vs hand-written joins',
  async run(log) {
    const [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
    try {
      await pg.psql('CREATE DATABASE bench');
      const started = Date.now();
      await pg.psql(SCHEMA, 'bench');
      log(`generated 2,210,100 rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const ssh = await SshConnection.connect(
        sshd,
        { privateKey: sshd.clientPrivateKey },
        sshd.hostFingerprint,
      );
      const source: SubjectSource = {
        shell: new RemoteShell(ssh, true),
        cluster: {
          binDirectory: pg.binDir,
          socketDirectory: pg.socketDir,
          port: pg.port,
          osUser: 'postgres',
        },
        database: 'bench',
      };
      const graph = await readSchemaGraph(source);
      const map = buildSubjectMap(graph, 'bench', {
        schema: 'public',
        table: 'customer',
        column: 'id',
      });
      log(`map: ${map.tables.map((t) => t.table).join(', ')}`);
      const key = generateEd25519KeyPair();
      const signer = {
        privateKeyPem: key.privateKeyPem,
        principal: 'kumiko-app@bench',
        publicKey: openSshPublicKeyLine(ed25519PublicKeyFromPrivate(key.privateKeyPem)),
      };
      let subject = 4242;
      let rows = 0;
      const ours = await timeRuns(async () => {
        const { files } = await exportSubject(source, {
          exportId: `b${subject}`,
          serverName: 'bench',
          subject: String(subject++),
          map,
          graph,
          backupsExpire: null,
          signer,
        });
        rows = files.size;
      }, 5);
      log(`export (ours): ${ours.map((v) => (v / 1000).toFixed(2)).join(' ')} s (${rows} files)`);
      subject = 4242;
      const hand = await timeRuns(
        () => runSql(source.shell, source.cluster, 'bench', handwritten(subject++), 'hand-written'),
        5,
      );
      log(`hand-written joins: ${hand.map((v) => (v / 1000).toFixed(2)).join(' ')} s`);
      const ledgerKey = newLedgerKey();
      let erased = 50_000;
      const erase = await timeRuns(
        async () => {
          const id = String(erased++);
          const plan = await erasureDryRun(source, map, graph, id);
          await eraseSubject(source, {
            serverId: 'bench',
            erasureId: `e${id}`,
            subject: id,
            map,
            graph,
            plan,
            ledgerKey,
            writeLedger: async (entry) => {
              signLedgerEntry({ format: 'kumiko-erasure-2', ...entry }, key.privateKeyPem);
              return 'memory';
            },
          });
        },
        3,
        0,
      );
      log(`erase (dry run + erasure): ${erase.map((v) => (v / 1000).toFixed(2)).join(' ')} s`);
      ssh.close();
      return {
        'gdpr.export_s': round(median(ours) / 1000),
        'gdpr.handwritten_s': round(median(hand) / 1000),
        'gdpr.export_vs_handwritten': round(median(ours) / median(hand)),
        'gdpr.erase_s': round(median(erase) / 1000),
      };
    } finally {
      await sshd.stop();
      await pg.stop();
    }
  },
};
