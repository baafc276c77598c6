import type { AgentConfig } from '../../shared/agent/config';
import { AUDIT_SCHEMA } from '../../shared/audit/audit-trail-sql';
import {
  planRollback,
  Refusal,
  rowJson,
  type RecordVersion,
  type RollbackPreview,
  type RollbackTarget,
  type RowText,
} from '../../shared/audit/rollback-plan';
import { quoteLiteral } from '../../shared/audit/sql-literal';
import { AgentError } from '../runtime/errors';
import { psqlRows } from '../engines/psql';
import { readRecordState } from './record-reader';

/** Where a record lives: database, table and primary key values. */
export interface RecordRef {
  db: string;
  schema: string;
  table: string;
  key: RowText;
}

/** A record's versions, oldest first, with who, when and which fields changed. */
export async function recordHistory(
  config: AgentConfig,
  ref: RecordRef,
): Promise<{ versions: RecordVersion[]; current: RowText | null }> {
  const { versions, current } = await readRecordState(config, ref);
  return { versions, current };
}

/**
 * What a rollback of one record to `target` would do: the exact statement, the field diff
 * against the current row, or the reason it must not run. Changes nothing.
 */
export async function previewRollback(
  config: AgentConfig,
  ref: RecordRef,
  target: RollbackTarget,
): Promise<RollbackPreview> {
  // One read: versions come back printed through the table's types as this session prints
  // the current row, so the planner compares and writes them as they are.
  const state = await readRecordState(config, ref);
  return planRollback({ ...state, target });
}

/** The result of {@link applyRollback}: applied with the audit trail's ids of the change, or refused. */
export type RollbackOutcome =
  | { applied: true; action: RollbackPreview['action']; historyIds: string[] }
  | { applied: false; refusal: Refusal };

function sameStatements(a: RollbackPreview, b: RollbackPreview): boolean {
  return (
    a.action === b.action &&
    a.statements.length === b.statements.length &&
    a.statements.every((s, i) => s === b.statements[i])
  );
}

/**
 * Applies a previewed rollback in one transaction, or refuses and changes nothing: when the
 * record changed after the preview (also between this check and the lock: the server function
 * compares again under the row lock), a constraint would break (named), the table's columns
 * changed since that version, or anything but this one record would change. The change lands
 * in the audit trail with `actor` and `reason`.
 */
export async function applyRollback(
  config: AgentConfig,
  ref: RecordRef,
  preview: RollbackPreview,
  who: { actor: string; reason: string },
): Promise<RollbackOutcome> {
  if (preview.refusal) return { applied: false, refusal: preview.refusal };
  const fresh = await previewRollback(config, ref, preview.target);
  if (fresh.refusal) return { applied: false, refusal: fresh.refusal };
  const sameCurrent =
    (fresh.current === null) === (preview.current === null) &&
    (fresh.current === null || rowJson(fresh.current) === rowJson(preview.current ?? {}));
  if (!sameCurrent || !sameStatements(fresh, preview)) {
    return { applied: false, refusal: { code: 'changed-after-preview' } };
  }
  const statement = preview.statements[0];
  if (preview.action === 'none' || !statement) {
    return { applied: true, action: 'none', historyIds: [] };
  }
  const jsonOrNull = (row: RowText | null): string =>
    row ? `${quoteLiteral(rowJson(row))}::jsonb` : 'NULL::jsonb';
  const call = `SELECT ${AUDIT_SCHEMA}.apply_rollback(${quoteLiteral(ref.schema)}, ${quoteLiteral(ref.table)},
    ${jsonOrNull(preview.key)}, ${jsonOrNull(preview.current)}, ${jsonOrNull(preview.targetRow)},
    ${quoteLiteral(statement)}, ${quoteLiteral(who.actor)}, ${quoteLiteral(who.reason)})`;
  const [row] = await psqlRows(config, [call], 'apply rollback', { db: ref.db });
  const verdict = JSON.parse(row?.[0] ?? 'null') as {
    ok?: boolean;
    refusal?: string;
    txid?: string;
    constraint?: string;
    table?: string;
    tables?: { schema: string; table: string }[];
  } | null;
  if (verdict?.ok) {
    return {
      applied: true,
      action: preview.action,
      historyIds: await historyIdsOf(config, ref, preview.key, verdict.txid),
    };
  }
  const refusal = Refusal.safeParse({
    code: verdict?.refusal,
    constraint: verdict?.constraint ?? '',
    table: verdict?.table ?? '',
    tables: (verdict?.tables ?? []).map((t) => `${t.schema}.${t.table}`),
  });
  if (!refusal.success) {
    throw new AgentError('apply rollback', 'the server gave no verdict on the rollback');
  }
  return { applied: false, refusal: refusal.data };
}

/**
 * The record's versions the rollback's transaction wrote: they reach the history after its
 * commit, so the server function drains first and then finds them by the transaction's id.
 */
async function historyIdsOf(
  config: AgentConfig,
  ref: RecordRef,
  key: RowText,
  txid: string | undefined,
): Promise<string[]> {
  if (!txid || !/^\d+$/.test(txid)) {
    throw new AgentError('apply rollback', 'the server did not say which transaction applied it');
  }
  const [row] = await psqlRows(
    config,
    [
      `SELECT ${AUDIT_SCHEMA}.history_ids_of(${quoteLiteral(ref.schema)}, ${quoteLiteral(ref.table)}, ${quoteLiteral(rowJson(key))}::jsonb, ${txid})`,
    ],
    'apply rollback',
    { db: ref.db },
  );
  const ids = JSON.parse(row?.[0] ?? '[]') as unknown;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}
