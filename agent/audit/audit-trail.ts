import type { AgentConfig } from '../../shared/agent/config';
import {
  AUDIT_COVERAGE_SQL,
  AUDIT_INDEX_STATEMENTS,
  AUDIT_INSTALL_STATEMENTS,
  AUDIT_META_SQL,
  AUDIT_PRESENT_SQL,
  AUDIT_TRAIL_VERSION,
  attachTriggerStatements,
  detachTriggerStatements,
  pruneBatchSql,
  removeStatements,
  removeStreamStatements,
  triggerArgsHex,
} from '../../shared/audit/audit-trail-sql';
import {
  AUDIT_DROP_PUBLICATION_SQL,
  AUDIT_DROP_SLOT_SQL,
  AUDIT_STREAM_SETUP,
  WAL_LEVEL_SQL,
} from '../../shared/audit/audit-stream-sql';
import {
  auditTablePlan,
  type AuditSelection,
  type AuditTablePlan,
  type CoverageRow,
} from '../../shared/audit/audit-coverage';
import { AgentError } from '../runtime/errors';
import { psqlRows } from '../engines/psql';

// Install, upgrade, removal and pruning of the audit trail in one database (issue 18 §1). Each
// is idempotent and says what it changes; with dryRun it only says so. Install and removal
// run in one transaction: a failure leaves the database as it was.

interface AuditMeta {
  version: number;
  retentionDays: number;
  functions: boolean;
  /** Version 7 on: versions reach the history through the slot and drain(). */
  drain: boolean;
}

/** What an install, upgrade or removal did (or, dry, would do). */
export interface AuditJobResult {
  db: string;
  dryRun: boolean;
  /** The trail itself: installed, upgraded from an older version, unchanged, removed … */
  trail: 'install' | 'upgrade' | 'unchanged' | 'remove' | 'remove-with-history' | 'absent';
  tables: AuditTablePlan[];
}

async function readJson<T>(config: AgentConfig, db: string, sql: string, step: string): Promise<T> {
  const [row] = await psqlRows(config, [sql], step, { db });
  try {
    return JSON.parse(row?.[0] ?? '') as T;
  } catch {
    throw new AgentError(step, 'PostgreSQL returned no JSON');
  }
}

async function readMeta(config: AgentConfig, db: string, step: string): Promise<AuditMeta | null> {
  const [present] = await psqlRows(config, [AUDIT_PRESENT_SQL], step, { db });
  if (present?.[0] !== 't') return null;
  return readJson<AuditMeta | null>(config, db, AUDIT_META_SQL, step);
}

async function inOneTransaction(
  config: AgentConfig,
  db: string,
  statements: readonly string[],
  step: string,
): Promise<void> {
  // A table busy with a long transaction makes CREATE TRIGGER wait; better a clear failure
  // than writers queueing behind us for minutes.
  await psqlRows(
    config,
    ['BEGIN', "SET LOCAL lock_timeout = '10s'", ...statements, 'COMMIT'],
    step,
    {
      db,
      timeoutMs: 300_000,
    },
  );
}

/** Installs or upgrades the trail and attaches it to the selected tables (default: all with a key). */
export async function installAuditTrail(
  config: AgentConfig,
  db: string,
  selection: AuditSelection,
  dryRun: boolean,
): Promise<AuditJobResult> {
  const meta = await readMeta(config, db, 'audit status');
  const coverage = await readJson<CoverageRow[]>(config, db, AUDIT_COVERAGE_SQL, 'audit status');
  const tables = coverage.map((row) => auditTablePlan(row, selection));
  const trail = !meta
    ? 'install'
    : meta.version < AUDIT_TRAIL_VERSION || !meta.functions
      ? 'upgrade'
      : 'unchanged';
  if (!dryRun) {
    const [level] = await psqlRows(config, [WAL_LEVEL_SQL], 'audit install', { db });
    if (level?.[0] !== 'logical') {
      throw new AgentError(
        'audit install',
        `PostgreSQL runs with wal_level = ${level?.[0] ?? '?'}; the audit trail needs logical (the agent install sets it, with a restart)`,
      );
    }
    // The slot before the triggers: every version written after the install's commit is in it.
    // Creating it waits for the transactions running now; statement_timeout bounds that wait.
    const [created] = await psqlRows(
      config,
      ["SET statement_timeout = '60s'", ...AUDIT_STREAM_SETUP],
      'audit install',
      { db, timeoutMs: 120_000 },
    );
    try {
      await attachAll(config, db, trail, tables);
    } catch (error) {
      // A trail that did not install must not leave a slot nobody drains (it keeps WAL).
      if (!meta && created) {
        await psqlRows(config, [AUDIT_DROP_SLOT_SQL, AUDIT_DROP_PUBLICATION_SQL], 'audit install', {
          db,
        }).catch(() => []);
      }
      throw error;
    }
    // Each outside a transaction (CREATE INDEX CONCURRENTLY): the application keeps writing
    // while an upgrade indexes a long history. A no-op when the index is there.
    await psqlRows(config, AUDIT_INDEX_STATEMENTS, 'audit install', { db, timeoutMs: 1_800_000 });
  }
  return { db, dryRun, trail, tables };
}

/** The install's one transaction: the trail (unless unchanged) and the tables' triggers. */
async function attachAll(
  config: AgentConfig,
  db: string,
  trail: AuditJobResult['trail'],
  tables: AuditTablePlan[],
): Promise<void> {
  const statements = [
    ...(trail === 'unchanged' ? [] : AUDIT_INSTALL_STATEMENTS),
    ...tables.flatMap((t) =>
      t.action === 'attach' || t.action === 'reattach'
        ? attachTriggerStatements(t.schema, t.table, t.key)
        : t.action === 'detach'
          ? detachTriggerStatements(t.schema, t.table)
          : [],
    ),
  ];
  if (statements.length > 0) await inOneTransaction(config, db, statements, 'audit install');
}

/** Detaches every trigger and drops the functions; the history stays unless `dropHistory`. */
export async function removeAuditTrail(
  config: AgentConfig,
  db: string,
  dropHistory: boolean,
  dryRun: boolean,
): Promise<AuditJobResult> {
  const meta = await readMeta(config, db, 'audit status');
  const coverage = await readJson<CoverageRow[]>(config, db, AUDIT_COVERAGE_SQL, 'audit status');
  const attached = coverage.filter((row) => row.triggerArgs !== null);
  const tables: AuditTablePlan[] = attached.map((row) => ({
    schema: row.schema,
    table: row.table,
    key: row.key ?? [],
    action: 'detach',
  }));
  if (!meta && attached.length === 0) return { db, dryRun, trail: 'absent', tables };
  if (!dryRun) {
    await inOneTransaction(
      config,
      db,
      [
        ...attached.flatMap((row) => detachTriggerStatements(row.schema, row.table)),
        ...removeStatements(dropHistory),
      ],
      'audit remove',
    );
    await psqlRows(
      config,
      removeStreamStatements(dropHistory, meta?.drain ?? false),
      'audit remove',
      {
        db,
        timeoutMs: 300_000,
      },
    );
  }
  return { db, dryRun, trail: dropHistory ? 'remove-with-history' : 'remove', tables };
}

/**
 * Deletes history older than the retention (the trail's own setting, default 30 days), in
 * batches so no single transaction holds millions of row locks. Returns how many rows went.
 */
export async function pruneAuditHistory(
  config: AgentConfig,
  db: string,
  retentionDays?: number,
): Promise<{ db: string; retentionDays: number; deleted: number }> {
  const meta = await readMeta(config, db, 'audit prune');
  if (!meta) return { db, retentionDays: retentionDays ?? 0, deleted: 0 };
  const days = retentionDays ?? meta.retentionDays;
  const batch = 50_000;
  let deleted = 0;
  for (;;) {
    const [row] = await psqlRows(config, [pruneBatchSql(days, batch)], 'audit prune', { db });
    const gone = Number(row?.[0] ?? 0);
    deleted += gone;
    if (gone < batch) break;
  }
  return { db, retentionDays: days, deleted };
}

export { triggerArgsHex };
