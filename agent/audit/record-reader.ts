import { z } from 'zod';
import type { AgentConfig } from '../../shared/agent/config';
import { AUDIT_SCHEMA } from '../../shared/audit/audit-trail-sql';
import {
  RecordVersion,
  RowText,
  rowJson,
  type ColumnTypesNoted,
  type HistoryGap,
  type TableShape,
  type Truncation,
} from '../../shared/audit/rollback-plan';
import { quoteLiteral } from '../../shared/audit/sql-literal';
import { AgentError } from '../runtime/errors';
import { psqlRows } from '../engines/psql';

// Reads one record for history and rollback with one call of the trail's read_record function
// (shared/audit/audit-trail-sql.ts): one psql process, one statement, one JSON cell. Values
// are the JSON text PostgreSQL printed (never JS numbers), so big integers and numerics stay
// exact. What the server returns is parsed before use.

const RecordView = z.object({
  shape: z
    .object({
      key: z.array(z.string()),
      columns: z.array(
        z.object({
          name: z.string(),
          generated: z.boolean(),
          identityAlways: z.boolean(),
          type: z.string().optional(),
        }),
      ),
    })
    .nullable(),
  keyMatches: z.boolean().optional(),
  key: RowText.nullable().optional(),
  versions: z.array(RecordVersion).optional(),
  current: RowText.nullable().optional(),
  truncations: z.array(z.object({ id: z.string(), at: z.string() })).optional(),
  gaps: z.array(z.object({ lastId: z.string().regex(/^\d+$/), at: z.string() })).optional(),
  columnTypes: z
    .array(z.object({ at: z.string(), columns: z.record(z.string(), z.string()) }))
    .optional(),
});

/** One record as the trail knows it: its table, key, versions (oldest first) and current row. */
export interface RecordState {
  shape: TableShape;
  key: RowText;
  versions: RecordVersion[];
  /** null: no such row now. */
  current: RowText | null;
  truncations: Truncation[];
  gaps: HistoryGap[];
  columnTypes: ColumnTypesNoted[];
}

/**
 * Reads the record `key` of `schema.table`, or throws a usage error when the table does not
 * exist or the key does not name exactly its primary key columns (a key with other columns
 * would never match the history's keys).
 */
export async function readRecordState(
  config: AgentConfig,
  ref: { db: string; schema: string; table: string; key: RowText },
): Promise<RecordState> {
  const call = `SELECT ${AUDIT_SCHEMA}.read_record(${quoteLiteral(ref.schema)}, ${quoteLiteral(ref.table)}, ${quoteLiteral(rowJson(ref.key))}::jsonb)`;
  const rows = await psqlRows(config, [call], 'read record', { db: ref.db }).catch(
    async (error: unknown) => {
      throw (await trailMissing(config, ref.db)) ?? error;
    },
  );
  let view: z.infer<typeof RecordView>;
  try {
    view = RecordView.parse(JSON.parse(rows[0]?.[0] ?? ''));
  } catch {
    throw new AgentError('read record', 'PostgreSQL returned no record');
  }
  if (!view.shape) {
    throw new AgentError('table', `table ${ref.schema}.${ref.table} not found in ${ref.db}`);
  }
  const shape: TableShape = { schema: ref.schema, table: ref.table, ...view.shape };
  if (!view.keyMatches) {
    throw new AgentError(
      'key',
      `the key must name exactly the primary key columns of ${ref.schema}.${ref.table}: ${shape.key.join(', ')}`,
    );
  }
  return {
    shape,
    key: view.key ?? ref.key,
    versions: view.versions ?? [],
    current: view.current ?? null,
    truncations: view.truncations ?? [],
    gaps: view.gaps ?? [],
    columnTypes: view.columnTypes ?? [],
  };
}

/** The error to give instead of psql's when the trail (or its read_record) is not there. */
async function trailMissing(config: AgentConfig, db: string): Promise<AgentError | undefined> {
  const [row] = await psqlRows(
    config,
    [
      `SELECT to_regprocedure(${quoteLiteral(`${AUDIT_SCHEMA}.read_record(text, text, jsonb)`)}) IS NULL`,
    ],
    'read record',
    { db },
  ).catch(() => [] as string[][]);
  if (row?.[0] !== 't') return undefined;
  return new AgentError(
    'read record',
    `the audit trail in ${db} is missing or older than this agent: install or upgrade it first`,
  );
}
