import { describe, expect, it } from 'vitest';
import { auditTablePlan } from '../../shared/audit/audit-coverage';
import { triggerArgsHex } from '../../shared/audit/audit-trail-sql';
import {
  columnTypeChanges,
  isoMicros,
  planRollback,
  rowJson,
  targetState,
  truncationSince,
  type RecordVersion,
  type TableShape,
} from '../../shared/audit/rollback-plan';
import { quoteLiteral } from '../../shared/audit/sql-literal';

// The pure half of record rollback (issue 18): which state a target means, which statement
// gets there, and which table gets covered. The statements run against PostgreSQL in
// test/integration/record-rollback.test.ts.

const shape: TableShape = {
  schema: 'public',
  table: 'note "x"',
  key: ['code'],
  columns: [
    { name: 'code', generated: false, identityAlways: false },
    { name: 'body', generated: false, identityAlways: false },
    { name: 'total', generated: true, identityAlways: false },
  ],
};

const version = (
  id: string,
  at: string,
  op: 'I' | 'U' | 'D',
  old: string | null,
  now: string | null,
): RecordVersion => ({
  id,
  op,
  at,
  txid: '1',
  dbUser: 'app',
  applicationName: null,
  actor: null,
  reason: null,
  changedColumns: null,
  old: old === null ? null : { code: '"A"', body: old, total: '1' },
  new: now === null ? null : { code: '"A"', body: now, total: '1' },
});

const versions = [
  version('5', '2026-12-01T10:00:00.000100Z', 'I', null, '"one"'),
  version('9', '2026-12-01T11:00:00Z', 'U', '"one"', '"two"'),
  version('12', '2026-12-01T12:00:00Z', 'D', '"two"', null),
];

describe('rollback target', () => {
  it('is the state after the last change at or before the moment, or before the first', () => {
    expect(targetState(versions, { at: '2026-12-01T09:00:00Z' })).toEqual({
      found: true,
      row: null,
    });
    expect(targetState(versions, { at: '2026-12-01T11:30:00+00:00' }).row?.body).toBe('"two"');
    expect(targetState(versions, { at: '2026-12-01T12:30:00+01:00' }).row?.body).toBe('"two"');
    expect(targetState(versions, { at: '2026-12-01T13:00:00Z' }).row).toBeNull();
    expect(targetState(versions, { afterVersion: '9' }).row?.body).toBe('"two"');
    // Microseconds count: the insert 0.1 ms after the moment is after it.
    expect(targetState(versions, { at: '2026-12-01T10:00:00.000Z' }).row).toBeNull();
    expect(targetState(versions, { at: '2026-12-01T10:00:00.0001Z' }).row?.body).toBe('"one"');
    expect(targetState(versions, { afterVersion: '10' }).found).toBe(false);
  });
});

describe('rollback statement', () => {
  const key = { code: '"A"' };
  it('re-inserts a deleted row without its generated columns, values from the version JSON', () => {
    const plan = planRollback({
      shape,
      key,
      target: { afterVersion: '9' },
      versions,
      current: null,
    });
    expect(plan.action).toBe('insert');
    expect(plan.statements).toEqual([
      `INSERT INTO "public"."note ""x""" ("code", "body") SELECT v."code", v."body" FROM jsonb_populate_record(NULL::"public"."note ""x""", E'{"code":"A","body":"two","total":1}'::jsonb) AS v`,
    ]);
  });
  it('updates only the differing columns and deletes a row that did not exist yet', () => {
    const current = { code: '"A"', body: '"three"', total: '1' };
    const update = planRollback({ shape, key, target: { afterVersion: '9' }, versions, current });
    expect(update.action).toBe('update');
    expect(update.diff).toEqual([{ column: 'body', current: '"three"', target: '"two"' }]);
    expect(update.statements[0]).toMatch(
      /^UPDATE "public"."note ""x""" AS t SET "body" = v."body" FROM /,
    );
    const del = planRollback({
      shape,
      key,
      target: { at: '2026-12-01T09:00:00Z' },
      versions,
      current,
    });
    expect(del.action).toBe('delete');
    expect(del.statements[0]).toMatch(/^DELETE FROM .* WHERE t."code" = v."code"$/);
  });
  it('refuses when the columns changed since that version, and without history', () => {
    const older = [version('3', '2026-11-01T00:00:00Z', 'U', '"x"', '"y"')];
    older[0]!.new = { code: '"A"', body: '"y"', gone: '1' };
    const plan = planRollback({
      shape,
      key,
      target: { afterVersion: '3' },
      versions: older,
      current: null,
    });
    expect(plan.refusal).toEqual({ code: 'columns-changed', added: ['total'], removed: ['gone'] });
    expect(plan.statements).toEqual([]);
    expect(
      planRollback({ shape, key, target: { afterVersion: '3' }, versions: [], current: null })
        .refusal,
    ).toEqual({ code: 'no-history' });
  });
  it('keeps values as PostgreSQL printed them', () => {
    expect(rowJson({ n: '12345678901234567890.0123456789', s: '"it\'s \\\\ ok"' })).toBe(
      '{"n":12345678901234567890.0123456789,"s":"it\'s \\\\ ok"}',
    );
    expect(quoteLiteral("a'b\\c")).toBe("E'a''b\\\\c'");
    expect(() => quoteLiteral('a\0b')).toThrow(/NUL/);
  });
});

describe('audit coverage', () => {
  const row = { schema: 's', table: 't', persistence: 'p', key: ['a', 'b'], triggerArgs: null };
  it('attaches, leaves, re-attaches when the key changed, and says why a table is not covered', () => {
    expect(auditTablePlan(row, {}).action).toBe('attach');
    expect(auditTablePlan({ ...row, triggerArgs: triggerArgsHex(['a', 'b']) }, {}).action).toBe(
      'unchanged',
    );
    expect(auditTablePlan({ ...row, triggerArgs: triggerArgsHex(['a']) }, {}).action).toBe(
      'reattach',
    );
    expect(auditTablePlan({ ...row, key: null }, {})).toMatchObject({
      action: 'uncovered',
      reason: 'no-primary-key',
    });
    expect(auditTablePlan({ ...row, persistence: 'u' }, {})).toMatchObject({
      action: 'uncovered',
      reason: 'unlogged',
    });
    expect(auditTablePlan({ ...row, triggerArgs: '00' }, { schemas: ['other'] }).action).toBe(
      'detach',
    );
    expect(auditTablePlan(row, { tables: ['s.t'] }).action).toBe('attach');
    expect(triggerArgsHex(['ä'])).toBe('c3a400');
  });
});

describe('refusals the trail alone can see', () => {
  const typed: TableShape = {
    ...shape,
    columns: shape.columns.map((c) => ({ ...c, type: c.name === 'body' ? 'text' : 'integer' })),
  };
  const versions = [
    version('5', '2026-03-01T10:00:00.000001Z', 'U', '"a"', '"b"'),
    version('9', '2026-03-01T12:00:00Z', 'U', '"b"', '"c"'),
  ];

  it('refuses a target before a TRUNCATE, by moment and by version id', () => {
    const truncations = [{ id: '7', at: '2026-03-01T11:00:00Z' }];
    const byMoment = (at: string) =>
      planRollback({
        shape,
        key: { code: '"A"' },
        target: { at },
        versions,
        current: null,
        truncations,
      });
    expect(byMoment('2026-03-01T10:30:00Z').refusal).toEqual({
      code: 'truncated',
      at: '2026-03-01T11:00:00Z',
    });
    expect(byMoment('2026-03-01T11:00:00.000001Z').refusal).toBeUndefined();
    expect(truncationSince(truncations, { id: 5n, at: 0n })).toEqual(truncations[0]);
    expect(truncationSince(truncations, { id: 9n, at: 0n })).toBeUndefined();
  });

  it('refuses when a column type changed since the types noted before the target', () => {
    const noted = [
      {
        at: '2026-02-01T00:00:00Z',
        columns: { code: 'integer', body: 'varchar(10)', total: 'integer' },
      },
      { at: '2026-03-01T11:00:00Z', columns: { code: 'integer', body: 'text', total: 'integer' } },
    ];
    const at = (iso: string) => isoMicros(iso);
    expect(columnTypeChanges(typed, noted, at('2026-03-01T10:30:00Z'))).toEqual([
      { column: 'body', then: 'varchar(10)', now: 'text' },
    ]);
    expect(columnTypeChanges(typed, noted, at('2026-03-01T11:30:00Z'))).toEqual([]);
    // Nothing noted before the target (installed later): nothing to compare with.
    expect(columnTypeChanges(typed, noted, at('2026-01-01T00:00:00Z'))).toEqual([]);
    const plan = planRollback({
      shape: typed,
      key: { code: '"A"' },
      target: { afterVersion: '5' },
      versions,
      current: { code: '"A"', body: '"c"', total: '1' },
      columnTypes: noted,
    });
    expect(plan.refusal).toEqual({
      code: 'column-types-changed',
      columns: [{ column: 'body', then: 'varchar(10)', now: 'text' }],
    });
    expect(plan.statements).toEqual([]);
  });
});
