import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gdprLedgerVerdict, type ReplayOutcome } from '../../agent/gdpr/ledger-replay';
import { openLedgerObject, signLedgerEntry, subjectKeyHash } from '../../node/gdpr/ledger-object';
import { generateEd25519KeyPair } from '../../node/signing';
import {
  ErasureLedgerEntry,
  eraseGroupSql,
  hmacPads,
  remainingGroupSql,
  replayGroups,
  scrubHistorySql,
  tableExistsSql,
} from '../../shared/agent/erasure-ledger';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';

// The ledger's pure parts: the entry format, its signature, how a replay groups targets and
// the SQL it runs, and the check's verdict. The replay against a real restored cluster is in
// test/integration/agent-drill.test.ts and restore-gdpr-ledger.test.ts.

const KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const SERVER = 'srv-1';
const hash = (value: string): string => subjectKeyHash(KEY, value);
const app = generateEd25519KeyPair();
const appLine = openSshPublicKeyLine(app.publicKey, 'kumiko-app@test');

function entry(id: string, erasedAt: string, targets: [string, string, string[]][]) {
  return ErasureLedgerEntry.parse({
    format: 'kumiko-erasure-2',
    serverId: SERVER,
    erasureId: id,
    erasedAt,
    state: 'soft-deleted',
    database: 'shop',
    targets: targets.map(([table, column, values]) => ({
      schema: 'public',
      table,
      column,
      keyHashes: values.map(hash),
    })),
  });
}

describe('erasure ledger entries', () => {
  it('keys the hash with the ledger key: HMAC-SHA256, which the SQL pads reproduce', () => {
    const { inner, outer } = hmacPads(KEY);
    for (const value of ['42', 'a@b.example', 'Łódź', '東京', 'emoji 😀']) {
      const want = crypto.createHmac('sha256', Buffer.from(KEY, 'hex')).update(value).digest('hex');
      expect(hash(value), value).toBe(want);
      // What PostgreSQL computes from the pads: sha256(outer || sha256(inner || value)).
      const innerHash = crypto
        .createHash('sha256')
        .update(Buffer.concat([Buffer.from(inner, 'hex'), Buffer.from(value, 'utf8')]))
        .digest();
      const sql = crypto
        .createHash('sha256')
        .update(Buffer.concat([Buffer.from(outer, 'hex'), innerHash]))
        .digest('hex');
      expect(sql, value).toBe(want);
    }
    // Without the key a guess cannot be tested: another key gives another hash.
    expect(subjectKeyHash('ff'.repeat(32), '42')).not.toBe(hash('42'));
    expect(() => hmacPads('abcd')).toThrow(/32 bytes/);
  });

  it('refuses entries a replay could not trust', () => {
    const good = entry('e1', '2026-11-01T10:00:00Z', [['orders', 'customer_id', ['42']]]);
    expect(ErasureLedgerEntry.safeParse(good).success).toBe(true);
    const bad = (patch: object) => ErasureLedgerEntry.safeParse({ ...good, ...patch }).success;
    expect(bad({ salt: 'aa'.repeat(16) })).toBe(false);
    expect(bad({ targets: [] })).toBe(false);
    expect(bad({ format: 'kumiko-erasure-1' })).toBe(false);
    expect(bad({ erasureId: '../x' })).toBe(false);
    expect(
      bad({
        targets: [{ schema: 'public', table: 't', column: 'c', keyHashes: ["x' OR true --"] }],
      }),
    ).toBe(false);
  });

  it('opens only entries signed by the pinned app key, for this server', () => {
    const good = entry('e1', '2026-11-01T10:00:00Z', [['orders', 'customer_id', ['42']]]);
    const body = Buffer.from(signLedgerEntry(good, app.privateKeyPem));
    expect(openLedgerObject(body, appLine, SERVER)).toEqual({ ok: true, entry: good });
    const why = (b: Buffer | string, key: string | null = appLine, server = SERVER) => {
      const opened = openLedgerObject(Buffer.from(b), key, server);
      return opened.ok ? 'opened' : opened.why;
    };
    // Unsigned (the old format, or an attacker's plain JSON), another key, no key pinned.
    expect(why(JSON.stringify(good))).toBe('not a signed ledger entry');
    const other = generateEd25519KeyPair();
    expect(why(signLedgerEntry(good, other.privateKeyPem))).toMatch(/does not verify/);
    expect(why(body, null)).toMatch(/no ledger signing key/);
    // A signed entry changed afterwards (another subject), or copied to another server's ledger.
    const signed = JSON.parse(body.toString()) as { entry: string };
    const tampered = JSON.stringify({
      ...signed,
      entry: signed.entry.replace(hash('42'), hash('43')),
    });
    expect(why(tampered)).toMatch(/does not verify/);
    expect(why(body, appLine, 'srv-2')).toBe('it belongs to another server');
    expect(why('x'.repeat(2_000_001))).toMatch(/larger than/);
    expect(why('not json')).toBe('not JSON');
  });
});

describe('replay groups and SQL', () => {
  it('scans each table once, in the order the oldest erasure lists them', () => {
    const later = entry('e2', '2026-11-02T10:00:00Z', [
      ['orders', 'customer_id', ['43']],
      ['customers', 'id', ['43']],
    ]);
    const earlier = entry('e1', '2026-11-01T10:00:00Z', [
      ['orders', 'customer_id', ['42']],
      ['customers', 'id', ['42']],
    ]);
    const groups = replayGroups([later, earlier]);
    expect(groups.map((g) => [g.table, g.erasureIds, g.keyHashes.length])).toEqual([
      ['orders', ['e1', 'e2'], 2],
      ['customers', ['e1', 'e2'], 2],
    ]);
  });

  it('quotes identifiers and compares the keyed hash of the column text', () => {
    const [group] = replayGroups([
      entry('e1', '2026-11-01T10:00:00Z', [['Order "Lines"', 'e-mail', ['a@b.example']]]),
    ]);
    if (!group) throw new Error('no group');
    const erase = eraseGroupSql(group, KEY);
    const { inner, outer } = hmacPads(KEY);
    expect(erase).toContain('DELETE FROM "public"."Order ""Lines""" t WHERE');
    expect(erase).toContain(
      `encode(sha256(decode('${outer}', 'hex') || sha256(decode('${inner}', 'hex') || convert_to(t."e-mail"::text, 'UTF8'))), 'hex') = ANY (ARRAY['${hash('a@b.example')}'])`,
    );
    expect(remainingGroupSql(group, KEY)).toMatch(
      /^SELECT count\(\*\) FROM "public"\."Order ""Lines""" t WHERE /,
    );
    expect(tableExistsSql(group)).toBe(
      `SELECT to_regclass('"public"."Order ""Lines"""') IS NOT NULL`,
    );
  });
});

describe('anonymised tables in the ledger', () => {
  it('clears the personal columns of an anonymised table, and its audit history goes', () => {
    const anonymised = ErasureLedgerEntry.parse({
      ...entry('e1', '2026-11-01T10:00:00Z', [['customers', 'id', ['42']]]),
      targets: [
        {
          schema: 'public',
          table: 'customers',
          column: 'id',
          keyHashes: [hash('42')],
          anonymise: ['email', "o'name"],
        },
      ],
    });
    // Another erasure deleting rows of the same table is its own group.
    const deleted = entry('e2', '2026-11-02T10:00:00Z', [['customers', 'id', ['43']]]);
    const groups = replayGroups([anonymised, deleted]);
    expect(groups.map((g) => [g.erasureIds, g.anonymise ?? null])).toEqual([
      [['e1'], ['email', "o'name"]],
      [['e2'], null],
    ]);
    const [group] = groups;
    if (!group) throw new Error('no group');
    const notCleared = 'AND (t."email" IS NOT NULL OR t."o\'name" IS NOT NULL)';
    const erase = eraseGroupSql(group, KEY);
    expect(erase).toMatch(
      /^WITH erased AS \(UPDATE "public"\."customers" t SET "email" = NULL, "o'name" = NULL WHERE /,
    );
    expect(erase).toContain(`${notCleared} RETURNING 1)`);
    expect(remainingGroupSql(group, KEY).endsWith(notCleared)).toBe(true);
    const scrub = scrubHistorySql(group, KEY);
    expect(scrub).toContain(
      `DELETE FROM kumiko_audit.row_history h WHERE h.schema_name = 'public' AND h.table_name = 'customers'`,
    );
    expect(scrub).toContain(`convert_to((h.old_row ->> 'id'), 'UTF8')`);
    expect(scrub).toContain(`convert_to((h.new_row ->> 'id'), 'UTF8')`);
  });
});

describe('gdpr-ledger-replay verdict', () => {
  const e1 = entry('e1', '2026-11-01T10:00:00Z', [
    ['orders', 'customer_id', ['42']],
    ['customers', 'id', ['42']],
  ]);
  const [orders, customers] = replayGroups([e1]);
  if (!orders || !customers) throw new Error('no groups');
  const none: ReplayOutcome = { groups: [], failures: [] };

  it('passes with 0 erasures to replay', () => {
    const v = gdprLedgerVerdict({ entries: [], refused: [] }, none);
    expect(v.check.passed).toBe(true);
    expect(v.check.detail).toMatch(/0 erasures to replay/);
  });

  it('passes when every subject row was erased, and names no key or hash', () => {
    const v = gdprLedgerVerdict(
      { entries: [e1], refused: [] },
      {
        groups: [
          { group: orders, present: true, erased: 300, remaining: 0, history: 4 },
          { group: customers, present: false, erased: 0, remaining: 0, history: 0 },
        ],
        failures: [],
      },
    );
    expect(v.check.passed).toBe(true);
    expect(v.check.detail).toBe(
      'replayed 1 erasure: 300 rows erased in 1 table; no row of an erased subject remains',
    );
    expect(v.evidence).toContain(
      'shop: public.orders (column customer_id): 300 rows erased, 0 remain, 4 audit history entries removed (erasures e1)',
    );
    expect(v.evidence).toContain(
      'shop: public.customers (column id): not in this backup, nothing to erase',
    );
    expect(v.evidence).not.toContain(KEY);
    expect(v.evidence).not.toContain(hash('42'));
  });

  it('fails for a refused ledger object, a failed replay or rows left behind', () => {
    const refused = gdprLedgerVerdict(
      { entries: [], refused: [{ key: 'kumiko/s/gdpr/x.json', why: 'not JSON' }] },
      none,
    );
    expect(refused.check.passed).toBe(false);
    expect(refused.check.detail).toMatch(
      /^ledger object kumiko\/s\/gdpr\/x.json was refused \(not JSON\) and deleted nothing; the GDPR erasure ledger holds 0 erasures/,
    );
    const failed = gdprLedgerVerdict(
      { entries: [e1], refused: [] },
      { groups: [], failures: [{ database: 'shop', why: 'violates foreign key constraint' }] },
    );
    expect(failed.check.passed).toBe(false);
    expect(failed.check.detail).toMatch(/the replay in database shop failed: violates foreign key/);
    const left = gdprLedgerVerdict(
      { entries: [e1], refused: [] },
      {
        groups: [{ group: orders, present: true, erased: 3, remaining: 2, history: 0 }],
        failures: [],
      },
    );
    expect(left.check.passed).toBe(false);
    expect(left.check.detail).toMatch(/^2 rows of erased subjects remain in public.orders/);
  });
});
