import { describe, expect, it } from 'vitest';
import type { SubjectMap } from '../../node/gdpr/subject-map';
import type { TableShape } from '../../shared/audit/rollback-plan';
import {
  planSubjectRestore,
  type SubjectRead,
} from '../../electron/services/rollback/subject-restore-plan';

// The subject restore's plan (issue 18 §4): rows matched by key between the moment and now,
// deletes children first, inserts and updates parents first, refusals named by table.

const map = {
  root: { schema: 'public', table: 'customer', column: 'id' },
  tables: [
    { schema: 'public', table: 'customer' },
    { schema: 'public', table: 'invoice' },
  ],
} as unknown as SubjectMap;

const shape = (table: string, columns: string[]): TableShape => ({
  schema: 'public',
  table,
  key: ['id'],
  columns: columns.map((name) => ({ name, generated: false, identityAlways: false })),
});

function read(
  rows: { customer: Record<string, string>[]; invoice: Record<string, string>[] },
  invoiceColumns = ['id', 'customer_id', 'total'],
): SubjectRead {
  return {
    tables: new Map([
      [0, { shape: shape('customer', ['id', 'name']), digest: 'a', rows: rows.customer }],
      [1, { shape: shape('invoice', invoiceColumns), digest: 'b', rows: rows.invoice }],
    ]),
  };
}

describe('subject restore plan', () => {
  const customer = { id: '5', name: '"Ann"' };
  const then = read({
    customer: [customer],
    invoice: [
      { id: '1', customer_id: '5', total: '10.00' },
      { id: '2', customer_id: '5', total: '20.00' },
    ],
  });

  it('inserts, updates and deletes for the subject only, in an order foreign keys accept', () => {
    const now = read({
      customer: [{ id: '5', name: '"Batch"' }],
      invoice: [
        { id: '1', customer_id: '5', total: '110.00' },
        { id: '3', customer_id: '5', total: '1.00' },
      ],
    });
    const plan = planSubjectRestore(map, then, now);
    expect(plan.refusal).toBeUndefined();
    expect(plan.tables.map((t) => [t.table, t.inserts, t.updates, t.deletes, t.unchanged])).toEqual(
      [
        ['public.customer', 0, 1, 0, 0],
        ['public.invoice', 1, 1, 1, 0],
      ],
    );
    expect(plan.tables[1]!.changes.find((c) => c.action === 'update')!.diff).toEqual([
      { column: 'total', current: '110.00', target: '10.00' },
    ]);
    // The invoice delete first (child), then the customer update (parent), then the invoices.
    expect(plan.statements.map((s) => s.split(' ').slice(0, 3).join(' '))).toEqual([
      'DELETE FROM "public"."invoice"',
      'UPDATE "public"."customer" AS',
      'UPDATE "public"."invoice" AS',
      'INSERT INTO "public"."invoice"',
    ]);
  });

  it('deletes children before parents when the subject did not exist then', () => {
    const now = read({
      customer: [customer],
      invoice: [{ id: '1', customer_id: '5', total: '10.00' }],
    });
    const plan = planSubjectRestore(map, read({ customer: [], invoice: [] }), now);
    expect(plan.statements.map((s) => s.split(' ').slice(0, 3).join(' '))).toEqual([
      'DELETE FROM "public"."invoice"',
      'DELETE FROM "public"."customer"',
    ]);
  });

  it('plans nothing when the subject is as it was', () => {
    const plan = planSubjectRestore(map, then, then);
    expect(plan.statements).toEqual([]);
    expect(plan.tables.map((t) => t.unchanged)).toEqual([1, 2]);
  });

  it('refuses a table whose columns changed since the moment, naming it', () => {
    const now = read({ customer: [customer], invoice: [] }, ['id', 'customer_id', 'total', 'vat']);
    expect(planSubjectRestore(map, then, now).refusal).toEqual({
      code: 'columns-changed',
      table: 'public.invoice',
      added: ['vat'],
      removed: [],
    });
  });
});
