import { z } from 'zod';
import { tableName } from '../../../node/gdpr/schema-graph';
import type { SubjectMap } from '../../../node/gdpr/subject-map';
import {
  fieldDiff,
  rollbackStatement,
  RowText,
  type TableShape,
} from '../../../shared/audit/rollback-plan';
import type {
  SubjectRestoreRefusal,
  SubjectRowChange,
  SubjectTableChanges,
} from '../../../shared/contract/rollback';

// The subject restore's plan (issue 18 §4), pure: from the subject's rows in the scratch
// database (the moment) and in production (now), per mapped table the rows to insert, update
// and delete, with the statements in an order foreign keys accept: every delete first,
// children before parents (the map lists parents first), then inserts and updates, parents
// first. Statements are the record rollback's (jsonb_populate_record: each value through its
// column's own type).

const ReadLine = z.union([
  z.object({
    t: z.number().int().min(0),
    shape: z.object({
      key: z.array(z.string()),
      columns: z.array(
        z.object({ name: z.string(), generated: z.boolean(), identityAlways: z.boolean() }),
      ),
    }),
    digest: z.string().regex(/^[0-9a-f]{32}$/),
  }),
  z.object({ t: z.number().int().min(0), r: RowText }),
]);

/** One database's read of the subject, per mapped table number. */
export interface SubjectRead {
  tables: Map<number, { shape: TableShape; digest: string; rows: RowText[] }>;
}

/** Parses readSubjectSql's output lines (untrusted: from the server). */
export function parseSubjectRead(map: SubjectMap, lines: readonly string[]): SubjectRead {
  const tables: SubjectRead['tables'] = new Map();
  for (const line of lines) {
    const parsed = ReadLine.parse(JSON.parse(line));
    const mapped = map.tables[parsed.t];
    if (!mapped) throw new Error(`a row of table number ${parsed.t}, which the map lacks`);
    if ('shape' in parsed) {
      tables.set(parsed.t, {
        shape: { schema: mapped.schema, table: mapped.table, ...parsed.shape },
        digest: parsed.digest,
        rows: [],
      });
    } else {
      const entry = tables.get(parsed.t);
      if (!entry) throw new Error('a row before its table');
      entry.rows.push(parsed.r);
    }
  }
  if (tables.size !== map.tables.length) throw new Error('not every mapped table was read');
  return { tables };
}

/** The key columns' values of `row`. */
export function keyOf(shape: TableShape, row: RowText): RowText {
  return Object.fromEntries(shape.key.map((k) => [k, row[k] ?? 'null']));
}

const keyText = (shape: TableShape, row: RowText) =>
  JSON.stringify(shape.key.map((k) => row[k] ?? null));

/** The plan: shown per table; statements and digests stay with the app for the apply. */
export interface SubjectPlan {
  tables: SubjectTableChanges[];
  statements: string[];
  refusal?: SubjectRestoreRefusal;
}

interface Planned {
  deletes: string[];
  writes: string[];
  view: SubjectTableChanges;
}

function planTable(
  shape: TableShape,
  thenRows: readonly RowText[],
  nowRows: readonly RowText[],
): Planned {
  const now = new Map(nowRows.map((r) => [keyText(shape, r), r]));
  const then = new Map(thenRows.map((r) => [keyText(shape, r), r]));
  const changes: SubjectRowChange[] = [];
  const deletes: string[] = [];
  const writes: string[] = [];
  let unchanged = 0;
  for (const [k, target] of then) {
    const current = now.get(k) ?? null;
    const { action, statement } = rollbackStatement(shape, keyOf(shape, target), current, target);
    if (action === 'none' || !statement) {
      unchanged++;
      continue;
    }
    writes.push(statement);
    changes.push({
      action: action as 'insert' | 'update',
      key: keyOf(shape, target),
      diff: fieldDiff(shape, current, target),
    });
  }
  for (const [k, current] of now) {
    if (then.has(k)) continue;
    const { statement } = rollbackStatement(shape, keyOf(shape, current), current, null);
    if (!statement) continue;
    deletes.push(statement);
    changes.push({
      action: 'delete',
      key: keyOf(shape, current),
      diff: fieldDiff(shape, current, null),
    });
  }
  const count = (a: SubjectRowChange['action']) => changes.filter((c) => c.action === a).length;
  return {
    deletes,
    writes,
    view: {
      table: tableName(shape),
      inserts: count('insert'),
      updates: count('update'),
      deletes: count('delete'),
      unchanged,
      changes,
    },
  };
}

/**
 * Plans bringing production's subject rows (`now`) to the scratch copy's (`then`). Refuses a
 * table without a primary key (rows cannot be matched) and one whose columns differ between
 * the moment and now (the old rows do not fit the table any more).
 */
export function planSubjectRestore(
  map: SubjectMap,
  then: SubjectRead,
  now: SubjectRead,
): SubjectPlan {
  const planned: Planned[] = [];
  for (let n = 0; n < map.tables.length; n++) {
    const current = now.tables.get(n)!;
    const old = then.tables.get(n)!;
    const shape = current.shape;
    const name = tableName(shape);
    if (shape.key.length === 0) {
      return { tables: [], statements: [], refusal: { code: 'no-primary-key', table: name } };
    }
    const nowColumns = shape.columns.map((c) => c.name);
    const thenColumns = old.shape.columns.map((c) => c.name);
    const added = nowColumns.filter((c) => !thenColumns.includes(c));
    const removed = thenColumns.filter((c) => !nowColumns.includes(c));
    if (added.length > 0 || removed.length > 0) {
      return {
        tables: [],
        statements: [],
        refusal: { code: 'columns-changed', table: name, added, removed },
      };
    }
    planned.push(planTable(shape, old.rows, current.rows));
  }
  return {
    tables: planned.map((p) => p.view),
    statements: [
      ...[...planned].reverse().flatMap((p) => p.deletes),
      ...planned.flatMap((p) => p.writes),
    ],
  };
}
