import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  canonicalManifestJson,
  parseManifestJson,
  RecoveryPointManifest,
} from '../../shared/agent/manifest';
import {
  quoteIdent,
  qualifiedTableName,
  tableChecksumSql,
  asRecorded,
} from '../../shared/agent/table-checksum-sql';

function sample(): RecoveryPointManifest {
  return {
    format: 'kumiko-manifest/1',
    serverId: '3f0c8a52-7a55-4a1e-9a53-2d4f1c8b9e10',
    label: '20250331-023000F',
    tier: 'daily',
    agentVersion: '0.1.0',
    createdAt: '2025-03-31T00:31:12.000Z',
    pgbackrest: {
      label: '20250331-023000F',
      type: 'full',
      lsnStart: '0/5000028',
      lsnStop: '0/5000138',
      timeStart: '2025-03-31T00:30:00.000Z',
      timeStop: '2025-03-31T00:31:05.000Z',
      walStart: '000000010000000000000005',
      walStop: '000000010000000000000005',
      sizeBytes: 31_457_280,
      repoSizeBytes: 4_194_304,
    },
    restic: {
      snapshotId: '4f1e2d3c5b6a79880123456789abcdef0123456789abcdef0123456789abcdef',
      paths: ['/srv/app/uploads'],
      fileCount: 1204,
      bytes: 90_000_000,
    },
    databases: [
      {
        name: 'shop',
        isolation: 'repeatable read',
        tables: [
          { schema: 'public', table: 'orders', rowCount: 10, checksum: 'a'.repeat(32) },
          { schema: 'public', table: 'customers', rowCount: 3, checksum: 'b'.repeat(32) },
          {
            schema: 'audit',
            table: 'log',
            rowCount: 0,
            checksum: 'd41d8cd98f00b204e9800998ecf8427e',
          },
        ],
      },
      { name: 'chinook', isolation: 'repeatable read', tables: [] },
    ],
    pg: { version: '15.8', systemIdentifier: '7351234567890123456', dataChecksums: true },
  };
}

/** The same value with every object's keys inserted in reverse order. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    ) as T;
  }
  return value;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('recovery-point manifest', () => {
  it('round-trips through canonical JSON and the schema', () => {
    const text = canonicalManifestJson(sample());
    const parsed = parseManifestJson(text);
    expect(canonicalManifestJson(parsed)).toBe(text);
    expect(parsed.databases.map((d) => d.name)).toEqual(['chinook', 'shop']);
    expect(parsed.databases[1]?.tables.map((t) => `${t.schema}.${t.table}`)).toEqual([
      'audit.log',
      'public.customers',
      'public.orders',
    ]);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('gives identical bytes and hash whatever the key order', () => {
    const reordered = reverseKeys(sample());
    expect(Object.keys(reordered)[0]).toBe('pg');
    expect(canonicalManifestJson(reordered)).toBe(canonicalManifestJson(sample()));
    expect(sha256(canonicalManifestJson(reordered))).toBe(sha256(canonicalManifestJson(sample())));
    const text = canonicalManifestJson(sample());
    // Keys sorted at every level.
    expect(text.indexOf('"agentVersion"')).toBeLessThan(text.indexOf('"createdAt"'));
    expect(text.indexOf('"bytes"')).toBeLessThan(text.indexOf('"fileCount"'));
    // A changed value changes the hash.
    const changed = sample();
    (changed.databases[0]?.tables[0] as { rowCount: number }).rowCount = 11;
    expect(sha256(canonicalManifestJson(changed))).not.toBe(sha256(text));
  });

  it('canonicalJson sorts nested keys, keeps array order and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [{ z: 1, y: undefined, x: 'é' }, 2] })).toBe(
      '{\n  "a": [\n    {\n      "x": "é",\n      "z": 1\n    },\n    2\n  ],\n  "b": 1\n}\n',
    );
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/non-finite/);
  });

  it('refuses manifests that do not match the schema', () => {
    const bad = (mutate: (m: Record<string, unknown> & RecoveryPointManifest) => void) => {
      const m = sample() as Record<string, unknown> & RecoveryPointManifest;
      mutate(m);
      return RecoveryPointManifest.safeParse(m).success;
    };
    expect(bad(() => {})).toBe(true);
    expect(bad((m) => (m.label = '20250330-023000F'))).toBe(false); // label ≠ pgbackrest.label
    expect(bad((m) => (m.format = 'kumiko-manifest/2' as 'kumiko-manifest/1'))).toBe(false);
    expect(bad((m) => (m.extra = 1))).toBe(false); // strict
    expect(bad((m) => (m.pgbackrest.lsnStop = 'x'))).toBe(false);
    expect(bad((m) => (m.restic.snapshotId = null))).toBe(true);
    expect(bad((m) => (m.restic.paths = ['relative/path']))).toBe(false);
    expect(
      bad((m) => ((m.databases[0]?.tables[0] as { checksum: string }).checksum = 'A'.repeat(32))),
    ).toBe(false);
    expect(bad((m) => ((m.databases[0]?.tables[0] as { rowCount: number }).rowCount = -1))).toBe(
      false,
    );
    expect(bad((m) => (m.label = m.pgbackrest.label = '20250331-023000F_20250401-023000D'))).toBe(
      true,
    );
    expect(bad((m) => (m.label = m.pgbackrest.label = '../../etc'))).toBe(false);
    expect(() => parseManifestJson('{')).toThrow(SyntaxError);
  });
});

describe('table checksum SQL', () => {
  it('quotes identifiers, doubling embedded double quotes', () => {
    expect(quoteIdent('orders')).toBe('"orders"');
    expect(quoteIdent('Order Items')).toBe('"Order Items"');
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(quoteIdent('""')).toBe('""""""');
    expect(quoteIdent("it's")).toBe('"it\'s"');
    expect(quoteIdent('x"; DROP TABLE t; --')).toBe('"x""; DROP TABLE t; --"');
    expect(() => quoteIdent('')).toThrow();
    expect(() => quoteIdent('a\0b')).toThrow(/NUL/);
    expect(qualifiedTableName('My Schema', 't"1')).toBe('"My Schema"."t""1"');
  });

  it('builds the per-table query over the whole row', () => {
    expect(tableChecksumSql({ schema: 'public', table: 'we"ird', method: 'md5' })).toBe(
      "SELECT count(*) AS rows, CASE WHEN count(*) = 0 THEN md5('') " +
        "ELSE md5(sum(('x' || substr(m, 1, 16))::bit(64)::bigint)::text || ':' || " +
        "sum(('x' || substr(m, 17, 16))::bit(64)::bigint)::text) END AS checksum " +
        'FROM (SELECT md5((t.*)::text) AS m FROM "public"."we""ird" t) AS rows_md5',
    );
    expect(tableChecksumSql({ schema: 'public', table: 't', method: 'hash64' })).toBe(
      "SELECT count(*) AS rows, CASE WHEN count(*) = 0 THEN md5('') " +
        "ELSE md5('hash64:' || count(*)::text || ':' || " +
        'sum(hash_record_extended(t.*, 0))::text) END AS checksum FROM "public"."t" t',
    );
  });
  it('hashes each column with its own function, the rest as one ROW, XOR-ed per row', () => {
    const sql = tableChecksumSql({
      schema: 'public',
      table: 'orders',
      method: 'columns64',
      columns: [
        { name: 'id', hash: 'hashint8extended' },
        { name: 'paid', hash: null },
        { name: 'Note "x"', hash: 'hashtextextended' },
        { name: 'at', hash: null },
      ],
    });
    expect(sql).toBe(
      "SELECT count(*) AS rows, CASE WHEN count(*) = 0 THEN md5('') " +
        "ELSE md5('columns64:' || count(*)::text || ':' || sum(" +
        'coalesce(hashint8extended(t."id", 1), 0) # coalesce(hashtextextended(t."Note ""x""", 3), 0) # ' +
        'coalesce(hash_record_extended(ROW(t."paid", t."at"), 0), 0))::text) END AS checksum ' +
        'FROM "public"."orders" t',
    );
    expect(
      tableChecksumSql({ schema: 'public', table: 'e', method: 'columns64', columns: [] }),
    ).toContain('sum(0::bigint)');
  });

  it('refuses a column hash function it does not know, and columns64 without columns', () => {
    expect(() =>
      tableChecksumSql({
        schema: 'public',
        table: 't',
        method: 'columns64',
        columns: [{ name: 'x', hash: 'pg_sleep' }],
      }),
    ).toThrow(/unexpected hash function/);
    expect(() => tableChecksumSql({ schema: 'public', table: 't', method: 'columns64' })).toThrow(
      /no column list/,
    );
  });

  it('hashes a table as the manifest recorded it', () => {
    const listed = {
      schema: 'public',
      table: 't',
      method: 'columns64' as const,
      columns: [{ name: 'x', hash: 'hashint4extended' }],
    };
    expect(asRecorded(listed, 'hash64').method).toBe('hash64');
    expect(asRecorded(listed, undefined).method).toBe('md5');
    expect(asRecorded(listed, 'columns64').method).toBe('columns64');
    // The table can no longer be hashed per column: its own method, so a difference shows.
    expect(asRecorded({ ...listed, method: 'md5' }, 'columns64').method).toBe('md5');
  });
});
