import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gdprLedgerVerdict, type ReplayOutcome } from '../../agent/drill/gdpr-ledger';
import {
  ErasureLedgerEntry,
  eraseGroupSql,
  remainingGroupSql,
  replayGroups,
  subjectKeyHash,
  tableExistsSql,
} from '../../shared/agent/erasure-ledger';

// The ledger's pure parts: the entry format, how a replay groups targets and the SQL it runs,
// and the check's verdict. The replay against a real restored cluster is in
// test/integration/agent-drill.test.ts.

const SALT = '00112233445566778899aabbccddeeff';
const sha256 = (bytes: Uint8Array): string =>
  crypto.createHash('sha256').update(bytes).digest('hex');
const hash = (value: string): string => subjectKeyHash(SALT, value, sha256);

function entry(id: string, erasedAt: string, targets: [string, string, string[]][]) {
  return ErasureLedgerEntry.parse({
    format: 'kumiko-erasure-1',
    erasureId: id,
    erasedAt,
    state: 'soft-deleted',
    database: 'shop',
    salt: SALT,
    targets: targets.map(([table, column, values]) => ({
      schema: 'public',
      table,
      column,
      keyHashes: values.map(hash),
    })),
  });
}

describe('erasure ledger entries', () => {
  it('hashes salt and value bytes together, as PostgreSQL sha256(salt || convert_to(value))', () => {
    const expected = crypto
      .createHash('sha256')
      .update(Buffer.concat([Buffer.from(SALT, 'hex'), Buffer.from('Zoë', 'utf8')]))
      .digest('hex');
    expect(hash('Zoë')).toBe(expected);
    for (const value of ['42', 'a@b.example', 'Łódź', '東京', 'emoji 😀']) {
      const want = crypto
        .createHash('sha256')
        .update(Buffer.concat([Buffer.from(SALT, 'hex'), Buffer.from(value, 'utf8')]))
        .digest('hex');
      expect(hash(value), value).toBe(want);
    }
  });

  it('refuses entries a replay could not trust', () => {
    const good = entry('e1', '2026-11-01T10:00:00Z', [['orders', 'customer_id', ['42']]]);
    expect(ErasureLedgerEntry.safeParse(good).success).toBe(true);
    const bad = (patch: object) => ErasureLedgerEntry.safeParse({ ...good, ...patch }).success;
    expect(bad({ salt: 'zz'.repeat(16) })).toBe(false);
    expect(bad({ salt: 'ab' })).toBe(false);
    expect(bad({ targets: [] })).toBe(false);
    expect(bad({ format: 'kumiko-erasure-2' })).toBe(false);
    expect(bad({ erasureId: '../x' })).toBe(false);
    expect(
      bad({
        targets: [{ schema: 'public', table: 't', column: 'c', keyHashes: ["x' OR true --"] }],
      }),
    ).toBe(false);
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

  it('quotes identifiers and compares the salted hash of the column text', () => {
    const [group] = replayGroups([
      entry('e1', '2026-11-01T10:00:00Z', [['Order "Lines"', 'e-mail', ['a@b.example']]]),
    ]);
    if (!group) throw new Error('no group');
    const erase = eraseGroupSql(group);
    expect(erase).toContain('DELETE FROM "public"."Order ""Lines""" t WHERE');
    expect(erase).toContain(
      `encode(sha256(decode('${SALT}', 'hex') || convert_to(t."e-mail"::text, 'UTF8')), 'hex') = ANY (ARRAY['${hash('a@b.example')}'])`,
    );
    expect(remainingGroupSql(group)).toMatch(
      /^SELECT count\(\*\) FROM "public"\."Order ""Lines""" t WHERE /,
    );
    expect(tableExistsSql(group)).toBe(
      `SELECT to_regclass('"public"."Order ""Lines"""') IS NOT NULL`,
    );
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
    const v = gdprLedgerVerdict({ entries: [], unreadable: [] }, none);
    expect(v.check.passed).toBe(true);
    expect(v.check.detail).toMatch(/0 erasures to replay/);
  });

  it('passes when every subject row was erased, and names no key, hash or salt', () => {
    const v = gdprLedgerVerdict(
      { entries: [e1], unreadable: [] },
      {
        groups: [
          { group: orders, present: true, erased: 300, remaining: 0 },
          { group: customers, present: false, erased: 0, remaining: 0 },
        ],
        failures: [],
      },
    );
    expect(v.check.passed).toBe(true);
    expect(v.check.detail).toBe(
      'replayed 1 erasure: 300 rows erased in 1 table; no row of an erased subject remains',
    );
    expect(v.evidence).toContain(
      'shop: public.orders (column customer_id): 300 rows erased, 0 remain (erasures e1)',
    );
    expect(v.evidence).toContain(
      'shop: public.customers (column id): not in this backup, nothing to erase',
    );
    expect(v.evidence).not.toContain(SALT);
    expect(v.evidence).not.toContain(hash('42'));
  });

  it('fails for an unreadable ledger object, a failed replay or rows left behind', () => {
    const unreadable = gdprLedgerVerdict(
      { entries: [], unreadable: [{ key: 'kumiko/s/gdpr/x.json', why: 'not JSON' }] },
      none,
    );
    expect(unreadable.check.passed).toBe(false);
    expect(unreadable.check.detail).toMatch(
      /^ledger object kumiko\/s\/gdpr\/x.json is unreadable \(not JSON\).*may still contain erased subjects$/,
    );
    const failed = gdprLedgerVerdict(
      { entries: [e1], unreadable: [] },
      { groups: [], failures: [{ database: 'shop', why: 'violates foreign key constraint' }] },
    );
    expect(failed.check.passed).toBe(false);
    expect(failed.check.detail).toMatch(/the replay in database shop failed: violates foreign key/);
    const left = gdprLedgerVerdict(
      { entries: [e1], unreadable: [] },
      { groups: [{ group: orders, present: true, erased: 3, remaining: 2 }], failures: [] },
    );
    expect(left.check.passed).toBe(false);
    expect(left.check.detail).toMatch(/^2 rows of erased subjects remain in public.orders/);
  });
});
