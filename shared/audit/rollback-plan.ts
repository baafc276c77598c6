import { z } from 'zod';
import { qualifiedTableName, quoteIdent } from '../agent/table-checksum-sql';
import { quoteLiteral } from './sql-literal';

/**
 * Record history and rollback planning (issue 18 §2, §3), pure: the agent reads the versions,
 * the current row and the table's shape, and this decides the target state, the exact
 * statement and the field diff. Values stay the JSON text PostgreSQL printed (never a JS
 * number), so a bigint or a numeric(30,10) goes back byte for byte.
 */

/** A row: column name → the JSON text of its value, exactly as PostgreSQL printed it. */
export const RowText = z.record(z.string(), z.string());
export type RowText = z.infer<typeof RowText>;

export const RecordVersion = z.object({
  id: z.string().regex(/^\d+$/),
  op: z.enum(['I', 'U', 'D']),
  /** When the change was made (clock time of the writing statement, UTC ISO). */
  at: z.string(),
  txid: z.string(),
  dbUser: z.string(),
  applicationName: z.string().nullable(),
  actor: z.string().nullable(),
  reason: z.string().nullable(),
  changedColumns: z.array(z.string()).nullable(),
  old: RowText.nullable(),
  new: RowText.nullable(),
});
export type RecordVersion = z.infer<typeof RecordVersion>;

/** Back to the state right after one version, or to the state at a moment. */
export const RollbackTarget = z.union([
  z.object({ afterVersion: z.string().regex(/^\d+$/) }),
  z.object({ at: z.string().datetime({ offset: true }) }),
]);
export type RollbackTarget = z.infer<typeof RollbackTarget>;

export interface TableColumn {
  name: string;
  /** A generated column: never written, PostgreSQL computes it. */
  generated: boolean;
  /** GENERATED ALWAYS AS IDENTITY: an INSERT of a given value needs OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean;
  /** The column's type as format_type prints it (numeric(12,2) …); absent: not read. */
  type?: string;
}

/** The table was emptied by TRUNCATE: its rows left without a version each. */
export interface Truncation {
  id: string;
  at: string;
}

/**
 * A time the trail did not record (its slot was made again: a restored or rebuilt cluster).
 * Versions up to `lastId` were in the history before it; versions written until `at` may be
 * missing.
 */
export interface HistoryGap {
  lastId: string;
  at: string;
}

/** The table's column types (name → type) as the trail noted them at a moment. */
export interface ColumnTypesNoted {
  at: string;
  columns: Record<string, string>;
}

/** What the agent reads about a table before planning. */
export interface TableShape {
  schema: string;
  table: string;
  /** Primary key columns in key order; empty: no primary key. */
  key: string[];
  columns: TableColumn[];
}

export const Refusal = z.discriminatedUnion('code', [
  z.object({ code: z.literal('no-history') }),
  z.object({ code: z.literal('no-primary-key') }),
  z.object({ code: z.literal('table-missing') }),
  z.object({ code: z.literal('version-unknown') }),
  z.object({
    code: z.literal('columns-changed'),
    added: z.array(z.string()),
    removed: z.array(z.string()),
  }),
  z.object({ code: z.literal('changed-after-preview') }),
  /** The table was emptied by TRUNCATE after that moment: the trail cannot say its state. */
  z.object({ code: z.literal('truncated'), at: z.string() }),
  /** The trail did not record for a while after that moment (until `at`): versions may be missing. */
  z.object({ code: z.literal('history-gap'), at: z.string() }),
  /** Columns whose type changed since that version (then → now). */
  z.object({
    code: z.literal('column-types-changed'),
    columns: z.array(z.object({ column: z.string(), then: z.string(), now: z.string() })),
  }),
  z.object({
    code: z.enum(['foreign-key', 'unique', 'constraint']),
    constraint: z.string(),
    table: z.string(),
  }),
  z.object({
    code: z.literal('other-rows-changed'),
    tables: z.array(z.string()),
  }),
  z.object({ code: z.literal('not-exact') }),
]);
export type Refusal = z.infer<typeof Refusal>;

export const FieldDiff = z.object({
  column: z.string(),
  current: z.string().nullable(),
  target: z.string().nullable(),
});
export type FieldDiff = z.infer<typeof FieldDiff>;

export const RollbackPreview = z.object({
  schema: z.string(),
  table: z.string(),
  key: RowText,
  target: RollbackTarget,
  current: RowText.nullable(),
  targetRow: RowText.nullable(),
  action: z.enum(['update', 'insert', 'delete', 'none']),
  statements: z.array(z.string()),
  diff: z.array(FieldDiff),
  refusal: Refusal.optional(),
});
export type RollbackPreview = z.infer<typeof RollbackPreview>;

/** `{"a":1,"b":"x"}` from a {@link RowText}, values untouched. */
export function rowJson(row: RowText): string {
  return `{${Object.entries(row)
    .map(([column, value]) => `${JSON.stringify(column)}:${value}`)
    .join(',')}}`;
}

/**
 * Microseconds since the epoch of an ISO time: PostgreSQL keeps microseconds, and Date.parse
 * would cut them to milliseconds, putting a change 0.4 ms after the moment before it.
 */
export function isoMicros(iso: string): bigint {
  const fraction = /\.(\d+)/.exec(iso);
  const whole = Date.parse(fraction ? iso.replace(fraction[0], '') : iso);
  if (Number.isNaN(whole)) throw new Error(`not an ISO time: ${iso}`);
  const micros = fraction ? BigInt((fraction[1] as string).slice(0, 6).padEnd(6, '0')) : 0n;
  return BigInt(whole) * 1000n + micros;
}

/**
 * The record's state at the target: `found` false when the versions cannot say (an unknown
 * version id). Versions must be in id order (commit order for one record).
 */
export function targetState(
  versions: readonly RecordVersion[],
  target: RollbackTarget,
): { found: boolean; row: RowText | null } {
  if ('afterVersion' in target) {
    const version = versions.find((v) => v.id === target.afterVersion);
    return version ? { found: true, row: version.new } : { found: false, row: null };
  }
  const at = isoMicros(target.at);
  let last: RecordVersion | undefined;
  for (const v of versions) if (isoMicros(v.at) <= at) last = v;
  if (last) return { found: true, row: last.new };
  const first = versions[0];
  // Before the first version we know of, the record was as that change found it.
  return first ? { found: true, row: first.old } : { found: false, row: null };
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

/** Columns of `row` missing from the table (removed) and the table's columns `row` lacks (added). */
export function columnChanges(
  shape: TableShape,
  row: RowText,
): { added: string[]; removed: string[] } | undefined {
  const now = shape.columns.map((c) => c.name);
  const then = Object.keys(row);
  if (sameColumns(now, then)) return undefined;
  return {
    added: now.filter((c) => !then.includes(c)),
    removed: then.filter((c) => !now.includes(c)),
  };
}

/** Every column whose value differs, in the table's column order. */
export function fieldDiff(
  shape: TableShape,
  current: RowText | null,
  target: RowText | null,
): FieldDiff[] {
  return shape.columns
    .map((c) => ({
      column: c.name,
      current: current?.[c.name] ?? null,
      target: target?.[c.name] ?? null,
    }))
    .filter((d) => d.current !== d.target);
}

function recordSource(shape: TableShape, row: RowText): string {
  const rel = qualifiedTableName(shape.schema, shape.table);
  return `jsonb_populate_record(NULL::${rel}, ${quoteLiteral(rowJson(row))}::jsonb) AS v`;
}

function keyCondition(shape: TableShape): string {
  return shape.key.map((k) => `t.${quoteIdent(k)} = v.${quoteIdent(k)}`).join(' AND ');
}

/**
 * The one statement that brings the record from `current` to `target`: UPDATE of the differing
 * columns, INSERT of a deleted row (with its old values, identity included), or DELETE of a
 * row that did not exist yet. Values come from the version's JSON through
 * jsonb_populate_record, so every value is converted by its column's own type.
 */
export function rollbackStatement(
  shape: TableShape,
  key: RowText,
  current: RowText | null,
  target: RowText | null,
): { action: RollbackPreview['action']; statement?: string } {
  const rel = qualifiedTableName(shape.schema, shape.table);
  const writable = shape.columns.filter((c) => !c.generated);
  if (current && !target) {
    return {
      action: 'delete',
      statement: `DELETE FROM ${rel} AS t USING ${recordSource(shape, key)} WHERE ${keyCondition(shape)}`,
    };
  }
  if (!current && target) {
    const names = writable.map((c) => quoteIdent(c.name));
    const overriding = writable.some((c) => c.identityAlways) ? ' OVERRIDING SYSTEM VALUE' : '';
    return {
      action: 'insert',
      statement:
        `INSERT INTO ${rel} (${names.join(', ')})${overriding} ` +
        `SELECT ${names.map((n) => `v.${n}`).join(', ')} FROM ${recordSource(shape, target)}`,
    };
  }
  if (current && target) {
    const differing = new Set(fieldDiff(shape, current, target).map((d) => d.column));
    const set = writable.filter((c) => differing.has(c.name));
    if (set.length === 0) return { action: 'none' };
    const assignments = set.map((c) => `${quoteIdent(c.name)} = v.${quoteIdent(c.name)}`);
    return {
      action: 'update',
      statement:
        `UPDATE ${rel} AS t SET ${assignments.join(', ')} ` +
        `FROM ${recordSource(shape, target)} WHERE ${keyCondition(shape)}`,
    };
  }
  return { action: 'none' };
}

/** When the target is, as a version id (afterVersion) or a moment; undefined: unknown version. */
function targetPoint(
  versions: readonly RecordVersion[],
  target: RollbackTarget,
): { id?: bigint; at: bigint } | undefined {
  if ('at' in target) return { at: isoMicros(target.at) };
  const version = versions.find((v) => v.id === target.afterVersion);
  return version ? { id: BigInt(version.id), at: isoMicros(version.at) } : undefined;
}

/**
 * The first TRUNCATE after the target, if any: from the target to now the record's versions
 * are not complete (its row left with the TRUNCATE, without a version of its own).
 */
export function truncationSince(
  truncations: readonly Truncation[],
  point: { id?: bigint; at: bigint },
): Truncation | undefined {
  return truncations.find((t) =>
    point.id !== undefined ? BigInt(t.id) > point.id : isoMicros(t.at) > point.at,
  );
}

/**
 * The first gap in the trail's recording after the target, if any: the versions between the
 * target and now may be incomplete, so the state then cannot be told from them.
 */
export function gapSince(
  gaps: readonly HistoryGap[],
  point: { id?: bigint; at: bigint },
): HistoryGap | undefined {
  return gaps.find((g) =>
    point.id !== undefined ? BigInt(g.lastId) >= point.id : isoMicros(g.at) > point.at,
  );
}

/** Columns whose type now differs from the type noted last before `at` (none noted: none). */
export function columnTypeChanges(
  shape: TableShape,
  noted: readonly ColumnTypesNoted[],
  at: bigint,
): { column: string; then: string; now: string }[] {
  let then: ColumnTypesNoted | undefined;
  for (const n of noted) if (isoMicros(n.at) <= at) then = n;
  if (!then) return [];
  const before = then.columns;
  return shape.columns.flatMap((c) => {
    const old = before[c.name];
    return c.type !== undefined && old !== undefined && old !== c.type
      ? [{ column: c.name, then: old, now: c.type }]
      : [];
  });
}

/** The whole preview from what the agent read; a refusal when the rollback must not run. */
export function planRollback(input: {
  shape: TableShape;
  key: RowText;
  target: RollbackTarget;
  versions: readonly RecordVersion[];
  current: RowText | null;
  /** The target row as the table's types print it now (the agent normalises the version's). */
  targetRow?: RowText;
  /** The table's TRUNCATEs, oldest first. */
  truncations?: readonly Truncation[];
  /** The trail's gaps in recording, oldest first. */
  gaps?: readonly HistoryGap[];
  /** The table's column types as noted over time, oldest first. */
  columnTypes?: readonly ColumnTypesNoted[];
}): RollbackPreview {
  const { shape, key, target, versions, current } = input;
  const base = {
    schema: shape.schema,
    table: shape.table,
    key,
    target,
    current,
    targetRow: null,
    action: 'none' as const,
    statements: [],
    diff: [],
  };
  if (shape.key.length === 0) return { ...base, refusal: { code: 'no-primary-key' } };
  if (versions.length === 0) return { ...base, refusal: { code: 'no-history' } };
  const state = targetState(versions, target);
  const point = targetPoint(versions, target);
  if (!state.found || !point) return { ...base, refusal: { code: 'version-unknown' } };
  const truncated = truncationSince(input.truncations ?? [], point);
  if (truncated) return { ...base, refusal: { code: 'truncated', at: truncated.at } };
  const gap = gapSince(input.gaps ?? [], point);
  if (gap) return { ...base, refusal: { code: 'history-gap', at: gap.at } };
  const targetRow = state.row && input.targetRow ? input.targetRow : state.row;
  const diff = fieldDiff(shape, current, targetRow);
  const changes = targetRow ? columnChanges(shape, targetRow) : undefined;
  if (changes) {
    return { ...base, targetRow, diff, refusal: { code: 'columns-changed', ...changes } };
  }
  const retyped = columnTypeChanges(shape, input.columnTypes ?? [], point.at);
  if (retyped.length > 0) {
    return {
      ...base,
      targetRow,
      diff,
      refusal: { code: 'column-types-changed', columns: retyped },
    };
  }
  const { action, statement } = rollbackStatement(shape, key, current, targetRow);
  return { ...base, targetRow, diff, action, statements: statement ? [statement] : [] };
}
