import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectKeyHash, type ErasureLedgerEntry } from '../../shared/agent/erasure-ledger';
import type { LoadedLedger } from '../../shared/agent/erasure-replay';
import { erasureLedgerCheck } from '../../electron/services/restore/erasure-replay';
import type { RestoreShell } from '../../electron/services/restore/restore-shell';
import type { RestoreSite } from '../../electron/services/restore/restore-site';
import { startPostgres, stopAll, type PostgresCluster } from '../harness';

// The app's GDPR ledger replay after a restore (scratch or over production), against a real
// PostgreSQL 15 with the real psql: the scripts run through `sh -s` as the cluster's OS user,
// as the restore's SSH shell runs them on a server (restore-pitr and restore-production test
// the same over SSH, within whole restores). The cases a restore rarely meets are here: a
// foreign key that refuses, an unreadable ledger object, a database or table the backup lacks.

let pg: PostgresCluster;
let site: RestoreSite;
const salt = crypto.randomBytes(16).toString('hex');
const sha256 = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');
const hashes = (...values: string[]) => values.map((v) => subjectKeyHash(salt, v, sha256));

/** Runs a script as the restore's shell does: `sh -s` as `asUser`, the script on stdin. */
const localShell = {
  run: (
    _step: string,
    script: string,
    options: { asUser?: string } = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn('runuser', ['-u', options.asUser ?? 'root', '--', 'sh', '-s'], {
        cwd: '/',
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(script);
    }),
} as unknown as RestoreShell;

function entry(id: string, targets: ErasureLedgerEntry['targets']): ErasureLedgerEntry {
  return {
    format: 'kumiko-erasure-1',
    erasureId: id,
    erasedAt: '2026-11-20T09:00:00Z',
    state: 'soft-deleted',
    database: 'shop',
    salt,
    targets,
  };
}

const check = (ledger: LoadedLedger) =>
  erasureLedgerCheck(site, { socket: pg.socketDir }, pg.port, Promise.resolve(ledger));

const rows = async (sql: string) => pg.psql(sql, 'shop');

beforeAll(async () => {
  pg = await startPostgres();
  site = {
    shell: localShell,
    osUser: 'postgres',
    pgVersion: '15',
    binDirectory: pg.binDir,
    pgbackrestConfigPath: '/nonexistent',
    stanza: 'main',
    scratchRoot: '/nonexistent',
    production: [],
    restic: null,
  };
  await pg.psql('CREATE DATABASE shop');
  await rows(
    `CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL);
     INSERT INTO customers SELECT g, 'user' || g || '@example.org' FROM generate_series(1, 50) g;
     CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers);
     INSERT INTO orders SELECT g, 1 + g % 50 FROM generate_series(1, 1000) g;`,
  );
});

afterAll(async () => {
  await stopAll();
});

describe('GDPR ledger replay after a restore', () => {
  it('erases each subject (referencing rows first) and says so without naming them', async () => {
    const result = await check({
      entries: [
        entry('e-7', [
          { schema: 'public', table: 'orders', column: 'customer_id', keyHashes: hashes('7') },
          { schema: 'public', table: 'customers', column: 'id', keyHashes: hashes('7') },
          // Newer than the backup: nothing of the subject can be in it.
          { schema: 'public', table: 'loyalty', column: 'customer_id', keyHashes: hashes('7') },
        ]),
        // By e-mail address: a non-integer key, hashed as its UTF-8 text.
        entry('e-9', [
          { schema: 'public', table: 'orders', column: 'customer_id', keyHashes: hashes('9') },
          {
            schema: 'public',
            table: 'customers',
            column: 'email',
            keyHashes: hashes('user9@example.org'),
          },
        ]),
        { ...entry('e-x', hashTargets()), database: 'archive' },
      ],
      unreadable: [],
    });
    expect(result).toEqual({
      name: 'gdpr-ledger',
      ok: true,
      detail:
        'replayed 3 erasures: 42 rows erased in 3 tables; no row of an erased subject remains',
    });
    expect(await rows('SELECT count(*) FROM customers WHERE id IN (7, 9)')).toBe('0');
    expect(await rows('SELECT count(*) FROM orders')).toBe('960');
    expect(result.detail).not.toMatch(/user9|@|\b7\b|\b9\b/);
  });

  it('rolls back and fails when the database refuses, without the key PostgreSQL quotes', async () => {
    // The orders of customer 11 are not in the entry: the foreign key refuses the delete.
    const result = await check({
      entries: [
        entry('e-11', [
          { schema: 'public', table: 'customers', column: 'id', keyHashes: hashes('11') },
        ]),
      ],
      unreadable: [{ key: 'kumiko/s/gdpr/notes.txt', why: 'not JSON' }],
    });
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(
      /^ledger object kumiko\/s\/gdpr\/notes\.txt is unreadable \(not JSON\); the replay in database shop failed: ERROR: {1,2}update or delete on table "customers" violates foreign key constraint "orders_customer_id_fkey" on table "orders": the restored data may still contain erased subjects$/,
    );
    expect(result.detail).not.toMatch(/Key \(|\(11\)/);
    expect(await rows('SELECT count(*) FROM customers WHERE id = 11')).toBe('1');
  });

  it('fails when the ledger cannot be read at all', async () => {
    const result = await erasureLedgerCheck(
      site,
      { socket: pg.socketDir },
      pg.port,
      Promise.reject(new Error('Cannot read the bucket b (list): connection refused')),
    );
    expect(result).toEqual({
      name: 'gdpr-ledger',
      ok: false,
      detail:
        'the GDPR erasure ledger could not be replayed: Cannot read the bucket b (list): connection refused; the restored data may still contain erased subjects',
    });
  });
});

/** A target in a database the backup does not have. */
function hashTargets(): ErasureLedgerEntry['targets'] {
  return [{ schema: 'public', table: 'customers', column: 'id', keyHashes: hashes('1') }];
}
