import type { RecoveryPointManifest } from '../../../shared/agent/manifest';
import type { ResolvedRecovery } from '../../../shared/catalog/model';
import type {
  ProductionDatabase,
  ProductionRestorePlan,
  ProductionRestoreRequest,
} from '../../../shared/contract';
import { said, warningsOf } from '../../../shared/contract/phrases';
import { AppError } from '../app-error';
import { buildRestorePlan } from './restore-plan';

/** The name the admin must type, and the databases the restore replaces. */
export interface ProductionConfirmation {
  name: string;
  source: ProductionRestorePlan['confirmSource'];
  manifestLabel: string | null;
  databases: ProductionDatabase[];
}

/**
 * The production database name: the largest non-template database of the newest manifest
 * whose signature verified (by rows, then tables, then name, so the same manifest always asks
 * for the same name), among the databases production itself lists when it answered (`live`:
 * its pg_database; null when it could not be asked). A manifest's name alone never decides:
 * the name typed is one production has. Without such a database, the server's name: the
 * admin still types something that names what is replaced.
 */
export function productionConfirmation(
  manifest: RecoveryPointManifest | null,
  serverName: string,
  live: readonly string[] | null = null,
): ProductionConfirmation {
  const databases = (manifest?.databases ?? [])
    .filter((db) => db.name !== 'template0' && db.name !== 'template1')
    .filter((db) => live === null || live.includes(db.name))
    .map((db) => ({
      name: db.name,
      tables: db.tables.length,
      rows: db.tables.reduce((sum, t) => sum + t.rowCount, 0),
    }))
    .sort((a, b) => b.rows - a.rows || b.tables - a.tables || (a.name < b.name ? -1 : 1));
  const largest = databases[0];
  return largest && manifest
    ? { name: largest.name, source: 'manifest', manifestLabel: manifest.label, databases }
    : {
        name: serverName,
        source: 'server-name',
        manifestLabel: manifest?.label ?? null,
        databases,
      };
}

/**
 * Refuses a start whose typed name is not the plan's, before anything happens on the server.
 * Compared exactly: the point is that the admin wrote down what is about to be replaced.
 */
export function assertConfirmed(plan: Pick<ProductionRestorePlan, 'confirmName'>, typed: string) {
  if (typed !== plan.confirmName) {
    throw new AppError(
      'CONFIRMATION_MISMATCH',
      `To restore over production, type the production database name "${plan.confirmName}" exactly. Nothing was changed.`,
      { expected: plan.confirmName },
    );
  }
}

/**
 * How long the parts a scratch restore does not have take (same machine as RESTORE_RATES). The
 * safety snapshot is a pgBackRest backup plus table checksums while production runs: measured
 * here, an incremental one of a small cluster took 4-6 s and a full one of 1 GB 6.3 s (DESIGN
 * §7); the rate below assumes a full backup, so the estimate errs long.
 */
export const PRODUCTION_RATES = {
  snapshotBytesPerSecond: 150e6,
  /** Agent start-up, table checksums, manifest upload, restic. */
  snapshotFixedSeconds: 5,
  /** Stopping production, and the second start as it normally runs after the verification. */
  restartSeconds: 4,
} as const;

/** Where production runs, for the plan. */
export interface ProductionClusterFacts {
  dataDirectory: string;
  port: number | null;
}

/** The plan shown before the admin types the name, from the catalog's resolution of the target. */
export function buildProductionPlan(
  request: ProductionRestoreRequest,
  resolved: ResolvedRecovery,
  confirmation: ProductionConfirmation,
  cluster: ProductionClusterFacts,
): ProductionRestorePlan {
  // The same download, replay and verification as into a scratch cluster; the attached files
  // stay as they are (see the warning).
  const { request: _scratch, ...restore } = buildRestorePlan(
    { ...request, destination: { kind: 'scratch' } },
    { ...resolved, attachedFiles: null },
  );
  const r = PRODUCTION_RATES;
  const safetySnapshotSeconds = Math.ceil(
    r.snapshotFixedSeconds + (resolved.backup.sizeBytes ?? 0) / r.snapshotBytesPerSecond,
  );
  const downtimeSeconds = restore.estimatedSeconds + r.restartSeconds;
  // The downtime and the safety snapshot have their own fields, which the UI and CLI show as
  // the steps of the restore; warnings are what else the admin should know.
  const own = [
    ...(resolved.attachedFiles
      ? [
          said(
            `Attached files are not touched. Restore them from recovery point ${resolved.attachedFiles.label} into a scratch folder if you need them as they were.`,
            'plan.productionFilesUntouched',
            { label: resolved.attachedFiles.label },
          ),
        ]
      : []),
    ...(request.target.kind === 'latest'
      ? [
          said(
            'WAL not yet archived when PostgreSQL stops is not replayed.',
            'plan.productionLatestUnarchived',
          ),
        ]
      : []),
    ...(confirmation.source === 'server-name'
      ? [
          said(
            'No recovery point manifest whose signature verifies lists the databases production has, so you type the server name instead.',
            'plan.productionTypeServerName',
          ),
        ]
      : []),
  ];
  const { warnings, warningWords } = warningsOf(own);
  return {
    ...restore,
    request,
    estimatedSeconds: safetySnapshotSeconds + downtimeSeconds,
    warnings: [...warnings, ...restore.warnings],
    warningWords: [...warningWords, ...(restore.warningWords ?? [])],
    confirmName: confirmation.name,
    confirmSource: confirmation.source,
    manifestLabel: confirmation.manifestLabel,
    databases: confirmation.databases,
    dataDirectory: cluster.dataDirectory,
    port: cluster.port,
    safetySnapshotSeconds,
    downtimeSeconds,
  };
}
