import { triggerArgsHex } from './audit-trail-sql';

/** One table of the coverage query (AUDIT_COVERAGE_SQL). */
export interface CoverageRow {
  schema: string;
  table: string;
  /** pg_class.relpersistence: 'p' permanent, 'u' unlogged. */
  persistence: string;
  /** Primary key columns in key order; null: no primary key. */
  key: string[] | null;
  /** Hex of our trigger's arguments when attached, else null. */
  triggerArgs: string | null;
}

/**
 * Which tables the admin picked: `tables` as "schema.table" wins over `schemas`; neither: every
 * table with a primary key. The selection is the covered set: an attached table left out is
 * detached.
 */
export interface AuditSelection {
  schemas?: readonly string[];
  tables?: readonly string[];
}

/** Why a table cannot be covered, shown to the admin beside it. */
export type UncoveredReason = 'no-primary-key' | 'unlogged';

export interface AuditTablePlan {
  schema: string;
  table: string;
  key: string[];
  action: 'attach' | 'reattach' | 'unchanged' | 'detach' | 'not-selected' | 'uncovered';
  reason?: UncoveredReason;
}

function isSelected(row: CoverageRow, selection: AuditSelection): boolean {
  if (selection.tables && selection.tables.length > 0) {
    return selection.tables.includes(`${row.schema}.${row.table}`);
  }
  if (selection.schemas && selection.schemas.length > 0)
    return selection.schemas.includes(row.schema);
  return true;
}

/** What installing with `selection` does to one table. */
export function auditTablePlan(row: CoverageRow, selection: AuditSelection): AuditTablePlan {
  const base = { schema: row.schema, table: row.table, key: row.key ?? [] };
  const attached = row.triggerArgs !== null;
  if (!isSelected(row, selection)) {
    return { ...base, action: attached ? 'detach' : 'not-selected' };
  }
  // An unlogged table is empty after a crash and absent from backups: its history would
  // describe rows no restore brings back.
  const reason: UncoveredReason | undefined = !row.key
    ? 'no-primary-key'
    : row.persistence === 'u'
      ? 'unlogged'
      : undefined;
  if (reason) return { ...base, action: attached ? 'detach' : 'uncovered', reason };
  if (!attached) return { ...base, action: 'attach' };
  return {
    ...base,
    action: row.triggerArgs === triggerArgsHex(base.key) ? 'unchanged' : 'reattach',
  };
}
