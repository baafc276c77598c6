import { z } from 'zod';
import type { AgentConfig } from '../../shared/agent/config';
import { AUDIT_SCHEMA } from '../../shared/audit/audit-trail-sql';
import { RecordMatches } from '../../shared/audit/rollback-spec';
import { RowText } from '../../shared/audit/rollback-plan';
import { quoteLiteral } from '../../shared/audit/sql-literal';
import { AgentError } from '../runtime/errors';
import { psqlRows } from '../engines/psql';

/** How many records of each kind (holding the value now, held it before) a search returns. */
const FIND_LIMIT = 50;

const FoundView = z.object({
  table: z.boolean(),
  column: z.boolean().optional(),
  key: z.array(z.string()).optional(),
  now: z.array(RowText).optional(),
  before: z.array(RowText).optional(),
});

/**
 * Records of `schema.table` whose `column` holds `value` (a JSON text, read through the
 * column's type) now, and records that held it in an earlier version (found in the trail), each
 * by its key, for history and rollback (issue 18 §2). One psql call of the trail's find_records.
 */
export async function findRecords(
  config: AgentConfig,
  spec: { db: string; schema: string; table: string; column: string; value: string },
): Promise<RecordMatches> {
  const call = `SELECT ${AUDIT_SCHEMA}.find_records(${quoteLiteral(spec.schema)}, ${quoteLiteral(spec.table)},
    ${quoteLiteral(spec.column)}, ${quoteLiteral(spec.value)}::jsonb, ${FIND_LIMIT})`;
  const [row] = await psqlRows(config, [call], 'find records', { db: spec.db });
  let view: z.infer<typeof FoundView>;
  try {
    view = FoundView.parse(JSON.parse(row?.[0] ?? ''));
  } catch {
    throw new AgentError('find records', 'PostgreSQL returned no answer to the search');
  }
  if (!view.table) {
    throw new AgentError('table', `table ${spec.schema}.${spec.table} not found in ${spec.db}`);
  }
  if (!view.column) {
    throw new AgentError('column', `${spec.schema}.${spec.table} has no column ${spec.column}`);
  }
  const now = view.now ?? [];
  const nowKeys = new Set(now.map((k) => JSON.stringify(k)));
  return {
    key: view.key ?? [],
    now,
    // A record that holds the value now and held it before is listed once, as "now".
    before: (view.before ?? []).filter((k) => !nowKeys.has(JSON.stringify(k))),
    limit: FIND_LIMIT,
  };
}
