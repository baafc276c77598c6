import { deleteOrder } from '../../../node/gdpr/erasure-order';
import { erasurePlan, type ErasurePlan } from '../../../node/gdpr/erasure-plan';
import { erasureDryRunSql, erasureSql } from '../../../node/gdpr/erasure-sql';
import { tableName, type SchemaGraph } from '../../../node/gdpr/schema-graph';
import type { SubjectMap } from '../../../node/gdpr/subject-map';
import type { ErasureLedgerEntry } from '../../../shared/agent/erasure-ledger';
import { AppError } from '../app-error';
import { acceptablePath, removeAttachedFiles, type RemovedFiles } from './attached-files';
import { subjectKeyHash } from '../../../node/gdpr/ledger-object';
import { erasureTargets } from './ledger-writer';
import { runSql } from './remote-sql';
import type { SubjectSource } from './subject-export';

// Erasure of one subject (issue 17 §3): the dry run changes nothing and says exactly which
// rows would go; the erasure writes the signed ledger entry FIRST (so no restore can bring the
// subject back once the live rows are gone, even if the app stops in between: a replay of an
// entry whose live delete never happened deletes nothing the live system still needs to keep
// out of backups), then deletes in one transaction that rolls back unless every table loses
// exactly the rows the dry run counted.

/** The dry run: what the erasure would delete, and why it could not run if it could not. */
export async function erasureDryRun(
  source: SubjectSource,
  map: SubjectMap,
  graph: SchemaGraph,
  subject: string,
  signal?: AbortSignal,
): Promise<ErasurePlan> {
  const lines = await runSql(
    source.shell,
    source.cluster,
    source.database,
    erasureDryRunSql(map, graph, subject),
    'dry run of the erasure',
    signal,
  );
  try {
    return erasurePlan(map, lines);
  } catch (err) {
    throw new AppError(
      'SSH_COMMAND_FAILED',
      `The server's answer to the dry run cannot be used (${(err as Error).message}): try again.`,
    );
  }
}

export interface ErasureOptions {
  serverId: string;
  erasureId: string;
  subject: string;
  map: SubjectMap;
  graph: SchemaGraph;
  /** The dry run this erasure carries out (its counts are checked again inside the transaction). */
  plan: ErasurePlan;
  ledgerKey: string;
  /** Signs and stores the ledger entry (ledger-writer.ts writeErasureEntry); returns its key. */
  writeLedger: (entry: Omit<ErasureLedgerEntry, 'format'>) => Promise<string>;
  now?: Date;
  signal?: AbortSignal;
  /** The agent's attached-file folders: only files inside them are removed. */
  attachedRoots?: readonly string[];
}

export interface ErasureResult {
  erasureId: string;
  erasedAt: string;
  ledgerObject: string;
  /** Rows deleted per table (names and counts only: no personal values). */
  tables: { table: string; rows: number }[];
  /** The attached files the rows named: removed, or kept with why. */
  files: RemovedFiles;
}

/** Writes the ledger entry, then soft-deletes the subject's rows in one transaction. */
export async function eraseSubject(
  source: SubjectSource,
  options: ErasureOptions,
): Promise<ErasureResult> {
  const { map, graph, plan } = options;
  if (plan.refusals.length > 0) {
    throw new AppError(
      'CONFLICT',
      `The erasure cannot run: ${plan.refusals.join(' ')} Nothing was changed.`,
    );
  }
  const order = deleteOrder(map, graph);
  const planned = order
    .map((t) => plan.tables.find((p) => p.table === tableName(t))!)
    .filter((p) => p.rows > 0);
  if (planned.length === 0)
    throw new AppError('NOT_FOUND', 'No rows belong to this subject: there is nothing to erase.');
  const erasedAt = (options.now ?? new Date()).toISOString();
  // The files it removes below, keyed like the values: a restore of the attached files removes
  // them again (agent/gdpr/file-replay.ts).
  const fileHashes = plan.files
    .filter((file) => acceptablePath(file, options.attachedRoots ?? []))
    .map((file) => subjectKeyHash(options.ledgerKey, file));
  const ledgerObject = await options.writeLedger({
    serverId: options.serverId,
    erasureId: options.erasureId,
    erasedAt,
    state: 'soft-deleted',
    database: map.database,
    targets: erasureTargets(
      options.ledgerKey,
      planned.map((p) => {
        const mapped = map.tables.find((t) => tableName(t) === p.table)!;
        return {
          schema: p.schema,
          table: p.name,
          column: p.column!,
          values: p.values,
          ...(mapped.action === 'anonymise' ? { anonymise: [...mapped.personalColumns] } : {}),
        };
      }),
    ),
    ...(fileHashes.length > 0 ? { fileHashes } : {}),
  });
  const lines = await runSql(
    source.shell,
    source.cluster,
    source.database,
    erasureSql(map, graph, options.subject, plan.tables, options.erasureId),
    'erase the subject',
    options.signal,
  );
  if (lines.at(-1) !== 'erased') {
    throw new AppError(
      'SSH_COMMAND_FAILED',
      'The server did not confirm the erasure: run the dry run again to see whether the rows are gone, then erase again (the ledger entry is written again under the same id).',
    );
  }
  // After the commit: the rows that named the files are gone, so a failure here leaves files
  // the result names (the DPO removes them by hand), never rows.
  const files = await removeAttachedFiles(
    source.shell,
    plan.files,
    options.attachedRoots ?? [],
    options.signal,
  );
  return {
    erasureId: options.erasureId,
    erasedAt,
    ledgerObject,
    tables: planned.map((p) => ({ table: p.table, rows: p.rows })),
    files,
  };
}
