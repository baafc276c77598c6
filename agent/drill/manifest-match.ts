import type { AgentConfig } from '../../shared/agent/config';
import type { ManifestDatabase, RecoveryPointManifest } from '../../shared/agent/manifest';
import type { DrillCheck } from '../../shared/report/drill-result';
import {
  compareTables,
  manifestMatchDetail,
  manifestMatchWords,
  tableKey,
  type TableDifference,
} from '../../shared/restore/manifest-compare';
import { errorMessage } from '../runtime/errors';
import { databaseStats, listDatabases } from '../snapshot/table-stats';
import { checkWord } from '../../shared/report/check-words';
import { drillCheck, EVIDENCE } from './checks';
import type { DrillRecoveryPoint } from './recovery-point';

/** One table as compared, for manifest-compare.json. */
interface ComparedTable {
  schema: string;
  table: string;
  manifestRows: number | null;
  restoredRows: number | null;
  manifestChecksum: string | null;
  restoredChecksum: string | null;
}

/**
 * `manifest-match`: the restored cluster's row counts and per-table checksums, computed with the
 * snapshot's own code (snapshot/table-stats.ts) against the scratch port, equal the manifest's.
 * Only a manifest whose signature verified counts as proof. `measured`: databases already
 * counted while recovery paused at their exact position (exact-steps.ts); the rest are counted
 * now.
 */
export async function manifestMatchCheck(
  scratch: AgentConfig,
  point: DrillRecoveryPoint,
  signal?: AbortSignal,
  measured?: ReadonlyMap<string, ManifestDatabase | Error>,
): Promise<{ check: DrillCheck; evidence: string }> {
  const evidence = (extra: object): string =>
    `${JSON.stringify(
      {
        manifest: point.manifestKey,
        sha256: point.manifestSha256,
        signature: point.signature,
        ...extra,
      },
      null,
      2,
    )}\n`;
  const manifest = point.manifest;
  if (!manifest) {
    const why = point.problem ?? 'the manifest is not usable';
    return {
      check: drillCheck(
        'manifest-match',
        false,
        why,
        [EVIDENCE.manifest],
        [checkWord('manifest.unusable', { detail: point.problem ?? '' })],
      ),
      evidence: evidence({ problem: why }),
    };
  }
  let restored: ManifestDatabase[];
  try {
    restored = [];
    for (const db of await listDatabases(scratch)) {
      const earlier = measured?.get(db);
      if (earlier instanceof Error) throw earlier;
      restored.push(earlier ?? (await restoredStats(scratch, manifest, db, signal)));
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    const why = `the restored tables could not be counted: ${errorMessage(error)}`;
    return {
      check: drillCheck(
        'manifest-match',
        false,
        why,
        [EVIDENCE.manifest],
        [checkWord('manifest.countFailed', { detail: errorMessage(error) })],
      ),
      evidence: evidence({ problem: why }),
    };
  }
  const differences: TableDifference[] = [];
  const databases = manifest.databases.map((db) => {
    const found = restored.find((r) => r.name === db.name);
    const got = found?.tables ?? [];
    const have = new Map(got.map((t) => [tableKey(t.schema, t.table), t]));
    // A database only the manifest names is one difference, said as such (its name is the
    // manifest's word, never a connection), not one "missing" per table it lists.
    if (!found)
      differences.push({
        table: db.name,
        problem: 'database not in the restored cluster',
        word: checkWord('manifest.databaseNotRestored', { database: db.name }),
      });
    else
      differences.push(
        ...compareTables(
          db.name,
          db.tables,
          [...have.keys()],
          new Map(
            got.map((t) => [
              tableKey(t.schema, t.table),
              { rows: t.rowCount, checksum: t.checksum },
            ]),
          ),
        ),
      );
    const listed = new Set(db.tables.map((t) => tableKey(t.schema, t.table)));
    const tables: ComparedTable[] = [
      ...db.tables.map((t) => {
        const r = have.get(tableKey(t.schema, t.table));
        return {
          schema: t.schema,
          table: t.table,
          manifestRows: t.rowCount,
          restoredRows: r?.rowCount ?? null,
          manifestChecksum: t.checksum,
          restoredChecksum: r?.checksum ?? null,
        };
      }),
      ...got
        .filter((t) => !listed.has(tableKey(t.schema, t.table)))
        .map((t) => ({
          schema: t.schema,
          table: t.table,
          manifestRows: null,
          restoredRows: t.rowCount,
          manifestChecksum: null,
          restoredChecksum: t.checksum,
        })),
    ];
    return { name: db.name, tables };
  });
  for (const extra of restored.filter((r) => !manifest.databases.some((d) => d.name === r.name))) {
    differences.push({
      table: extra.name,
      problem: 'database not in the manifest',
      word: checkWord('manifest.databaseNotInManifest', { database: extra.name }),
    });
  }
  const tables = manifest.databases.reduce((n, db) => n + db.tables.length, 0);
  const counted = { tables, databases: manifest.databases.length, label: manifest.label };
  const detail = manifestMatchDetail(differences, counted);
  return {
    check: drillCheck(
      'manifest-match',
      differences.length === 0,
      detail,
      [EVIDENCE.manifest],
      manifestMatchWords(differences, counted),
    ),
    evidence: evidence({ differences: differences.map(({ word: _word, ...d }) => d), databases }),
  };
}

/**
 * One restored database's counts and checksums, each table hashed as the snapshot hashed it
 * (older manifests used other row hashes).
 */
export function restoredStats(
  scratch: AgentConfig,
  manifest: RecoveryPointManifest,
  db: string,
  signal?: AbortSignal,
): Promise<ManifestDatabase> {
  const recorded = new Map(
    (manifest.databases.find((d) => d.name === db)?.tables ?? []).map(
      (t) => [tableKey(t.schema, t.table), t.checksumMethod ?? 'md5'] as const,
    ),
  );
  return databaseStats(scratch, db, {
    signal,
    recorded: (schema, table) => recorded.get(tableKey(schema, table)),
  });
}
