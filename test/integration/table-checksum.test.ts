import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKSUM_SESSION_SETTINGS_SQL,
  LIST_DATABASES_SQL,
  LIST_USER_TABLES_SQL,
  tableChecksumSql,
  type TableChecksumRow,
  type UserTableRow,
} from '../../shared/agent/table-checksum-sql';
import {
  CHINOOK_TABLES,
  loadChinook,
  startPostgres,
  stopAll,
  type ChinookCounts,
  type PostgresCluster,
} from '../harness';

// The manifest's per-table checksums against real PostgreSQL 15: stable, sensitive to a change,
// equal for equal data on two clusters, independent of row order and session settings, and
// correct for awkward identifiers.

let a: PostgresCluster;
let b: PostgresCluster;
let counts: ChinookCounts;

beforeAll(async () => {
  [a, b] = await Promise.all([startPostgres(), startPostgres()]);
  [counts] = await Promise.all([loadChinook(a), loadChinook(b)]);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await stopAll();
});

type Checksums = Record<string, { rows: number; checksum: string }>;

/** What the agent does per database: one REPEATABLE READ transaction, settings pinned. */
async function checksums(cluster: PostgresCluster, db: string): Promise<Checksums> {
  const client = new pg.Client({ connectionString: cluster.connectionString(db) });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(CHECKSUM_SESSION_SETTINGS_SQL);
    const tables = (await client.query<UserTableRow>(LIST_USER_TABLES_SQL)).rows;
    const out: Checksums = {};
    for (const t of tables) {
      const [row] = (await client.query<TableChecksumRow>(tableChecksumSql(t))).rows;
      if (!row) throw new Error('no checksum row');
      out[`${t.schema}.${t.table}`] = { rows: Number(row.rows), checksum: row.checksum };
    }
    await client.query('COMMIT');
    return out;
  } finally {
    await client.end();
  }
}

describe('per-table checksums on Chinook', () => {
  it('lists the user tables and counts their rows', async () => {
    const sums = await checksums(a, 'chinook');
    expect(Object.keys(sums).sort()).toEqual(CHINOOK_TABLES.map((t) => `public.${t}`).sort());
    for (const t of CHINOOK_TABLES) {
      expect(sums[`public.${t}`]?.rows).toBe(counts[t]);
      expect(sums[`public.${t}`]?.checksum).toMatch(/^[0-9a-f]{32}$/);
    }
    const dbs = (await a.query<{ name: string }>(LIST_DATABASES_SQL)).map((r) => r.name);
    expect(dbs).toEqual(['chinook', 'postgres']);
  });

  it('is stable across calls and equal on two clusters loaded with the same data', async () => {
    const first = await checksums(a, 'chinook');
    expect(await checksums(a, 'chinook')).toEqual(first);
    expect(await checksums(b, 'chinook')).toEqual(first);
  });

  it('does not depend on the physical row order', async () => {
    const before = await checksums(b, 'chinook');
    // Rewrite the table in another physical order.
    await b.psql('CLUSTER track USING track_pkey', 'chinook');
    await b.psql(
      'CREATE TEMP TABLE shuffled AS SELECT * FROM playlist_track ORDER BY random(); ' +
        'DELETE FROM playlist_track; INSERT INTO playlist_track SELECT * FROM shuffled',
      'chinook',
    );
    expect(await checksums(b, 'chinook')).toEqual(before);
  });

  it('changes after an UPDATE, for that table only', async () => {
    const before = await checksums(a, 'chinook');
    await a.psql("UPDATE track SET name = name || '!' WHERE track_id = 1", 'chinook');
    const after = await checksums(a, 'chinook');
    expect(after['public.track']?.rows).toBe(before['public.track']?.rows);
    expect(after['public.track']?.checksum).not.toBe(before['public.track']?.checksum);
    const { 'public.track': _a, ...restAfter } = after;
    const { 'public.track': _b, ...restBefore } = before;
    expect(restAfter).toEqual(restBefore);
    expect((await checksums(b, 'chinook'))['public.track']).not.toEqual(after['public.track']);
  });
});

describe('per-table checksums on awkward tables', () => {
  const setup = (reverse: boolean) => `
    CREATE DATABASE "odd db";
    \\c "odd db"
    CREATE SCHEMA "My ""Schema""";
    CREATE TABLE "My ""Schema""".t (t int, "we""ird" text, at timestamptz, price money, d interval);
    INSERT INTO "My ""Schema""".t
      SELECT i, 'row ' || i, '2025-03-30 01:30:00+00'::timestamptz + i * interval '1 hour',
             i * 1.5, i * interval '90 minutes'
      FROM generate_series(1, 50) i ORDER BY i ${reverse ? 'DESC' : 'ASC'};
    CREATE TABLE empty ();
    CREATE UNLOGGED TABLE scratch (x int);
    CREATE TABLE parted (k int, v text) PARTITION BY RANGE (k);
    CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (100);
    CREATE TABLE parted_2 PARTITION OF parted FOR VALUES FROM (100) TO (200);
    INSERT INTO parted SELECT i, 'v' || i FROM generate_series(0, 199) i;`;

  beforeAll(async () => {
    await a.psql(setup(false));
    await b.psql(setup(true));
    // Another session time zone and date style on b: the pinned settings must neutralise them.
    await b.psql(
      `ALTER DATABASE "odd db" SET TimeZone = 'America/New_York'; ` +
        `ALTER DATABASE "odd db" SET DateStyle = 'SQL, DMY'; ` +
        `ALTER DATABASE "odd db" SET IntervalStyle = 'iso_8601'`,
    );
  });

  it('lists only permanent tables and partitioned parents, quoting names correctly', async () => {
    const sums = await checksums(a, 'odd db');
    expect(Object.keys(sums)).toEqual(['My "Schema".t', 'public.empty', 'public.parted']);
    expect(sums['My "Schema".t']?.rows).toBe(50);
    expect(sums['public.parted']?.rows).toBe(200);
    expect(sums['public.empty']).toEqual({ rows: 0, checksum: 'd41d8cd98f00b204e9800998ecf8427e' });
  });

  it('uses the fast row hash only where every column type has a hash function', async () => {
    await a.psql(
      `CREATE DOMAIN positive AS int CHECK (VALUE > 0);
       CREATE TYPE mood AS ENUM ('ok', 'sad');
       CREATE TABLE hashable (id positive, tags text[], m mood, doc jsonb, at timestamptz);
       CREATE TABLE not_hashable (id int, doc json);
       INSERT INTO hashable VALUES (1, '{a,b}', 'ok', '{"k": 1}', now());
       INSERT INTO not_hashable VALUES (1, '{"k": 1}');`,
      'odd db',
    );
    const rows = await a.query<UserTableRow>(LIST_USER_TABLES_SQL, [], 'odd db');
    const method = Object.fromEntries(rows.map((r) => [r.table, r.method]));
    expect(method).toMatchObject({ t: 'md5', parted: 'columns64', empty: 'columns64' });
    expect(method).toMatchObject({ hashable: 'columns64', not_hashable: 'md5' });
    const before = await checksums(a, 'odd db');
    expect(before['public.hashable']?.checksum).toMatch(/^[0-9a-f]{32}$/);
    await a.psql(`UPDATE hashable SET tags = '{a,c}'`, 'odd db');
    await a.psql(`UPDATE not_hashable SET doc = '{"k": 2}'`, 'odd db');
    const after = await checksums(a, 'odd db');
    expect(after['public.hashable']?.checksum).not.toBe(before['public.hashable']?.checksum);
    expect(after['public.not_hashable']?.checksum).not.toBe(
      before['public.not_hashable']?.checksum,
    );
    await a.psql(
      'DROP TABLE hashable, not_hashable; DROP TYPE mood; DROP DOMAIN positive',
      'odd db',
    );
  });

  it('hashes every column: each type it calls directly, NULLs, swapped values, old methods', async () => {
    await a.psql(
      `CREATE DOMAIN short_text AS varchar(20);
       CREATE TYPE colour AS ENUM ('red', 'blue');
       CREATE TABLE every_type (
         i2 int2, i4 int4, i8 int8, o oid, ch "char", nm name, tx text, vc varchar(10),
         bp char(4), nu numeric, f4 float4, f8 float8, ts timestamp, tm time, ttz timetz,
         iv interval, u uuid, jb jsonb, ip inet, net cidr, mac macaddr, mac8 macaddr8, lsn pg_lsn,
         b bool, d date, tstz timestamptz, by bytea, arr int[], col colour, dom short_text,
         x int, y int);
       INSERT INTO every_type VALUES (1, 2, 3, 4, 'c', 'n', 'text', 'vc', 'bp', 1.5, 2.5, 3.5,
         '2026-01-01 10:00', '10:00', '10:00+02', '1 day', gen_random_uuid(), '{"a": 1}',
         '10.0.0.1', '10.0.0.0/8', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', '0/16B3748',
         true, '2026-01-01', '2026-01-01 10:00+00', '\\x0102', '{1,2}', 'red', 'dom', 10, 20);
       INSERT INTO every_type (x, y) VALUES (30, 40);`,
      'odd db',
    );
    const [listed] = (await a.query<UserTableRow>(LIST_USER_TABLES_SQL, [], 'odd db')).filter(
      (t) => t.table === 'every_type',
    );
    expect(listed?.method).toBe('columns64');
    const direct = listed?.columns?.filter((c) => c.hash !== null).map((c) => c.name);
    // The domain over varchar is hashed as text; bool, date, timestamptz, bytea, arrays and
    // enums go through one ROW.
    expect(direct).toHaveLength(26);
    expect(listed?.columns?.filter((c) => c.hash === null).map((c) => c.name)).toEqual([
      'b',
      'd',
      'tstz',
      'by',
      'arr',
      'col',
    ]);
    const sum = async () => (await checksums(a, 'odd db'))['public.every_type'];
    const before = await sum();
    expect(before?.rows).toBe(2);
    const changes = [
      `UPDATE every_type SET ttz = '10:00+03' WHERE x = 10`,
      `UPDATE every_type SET tstz = tstz + interval '1 microsecond' WHERE x = 10`,
      `UPDATE every_type SET i2 = NULL WHERE x = 10`,
      `UPDATE every_type SET i2 = 0 WHERE x = 30`,
      // The same two values, swapped between columns.
      `UPDATE every_type SET x = y, y = x`,
    ];
    const seen = new Set([before?.checksum]);
    for (const change of changes) {
      await a.psql(change, 'odd db');
      const now = await sum();
      expect(seen.has(now?.checksum), change).toBe(false);
      seen.add(now?.checksum);
    }
    // Older manifests' row hashes still run, and see the same change.
    const client = new pg.Client({ connectionString: a.connectionString('odd db') });
    await client.connect();
    try {
      for (const method of ['hash64', 'md5'] as const) {
        const one = async () =>
          (await client.query<TableChecksumRow>(tableChecksumSql({ ...listed!, method }))).rows[0];
        const first = await one();
        await client.query(`UPDATE every_type SET i4 = i4 + 1 WHERE x = 20`);
        expect((await one())?.checksum).not.toBe(first?.checksum);
        expect((await one())?.rows).toBe('2');
      }
    } finally {
      await client.end();
    }
    await a.psql('DROP TABLE every_type; DROP TYPE colour; DROP DOMAIN short_text', 'odd db');
  });

  it('hashes the whole row even when a column is named t', async () => {
    const before = await checksums(a, 'odd db');
    await a.psql(`UPDATE "My ""Schema""".t SET "we""ird" = 'changed' WHERE t = 7`, 'odd db');
    const after = await checksums(a, 'odd db');
    expect(after['My "Schema".t']?.checksum).not.toBe(before['My "Schema".t']?.checksum);
    await a.psql(`UPDATE "My ""Schema""".t SET "we""ird" = 'row 7' WHERE t = 7`, 'odd db');
    expect(await checksums(a, 'odd db')).toEqual(before);
  });

  it('is equal across clusters despite insertion order and session settings', async () => {
    const client = new pg.Client({ connectionString: b.connectionString('odd db') });
    await client.connect();
    const { rows } = await client.query<{ at: string }>(
      `SELECT at::text FROM "My ""Schema""".t LIMIT 1`,
    );
    await client.end();
    expect(rows[0]?.at).not.toMatch(/\+00$/); // b really prints times differently by default
    expect(await checksums(b, 'odd db')).toEqual(await checksums(a, 'odd db'));
  });
});
