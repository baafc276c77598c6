import type { ManifestTable } from '../agent/manifest';
import { checkWord, type CheckWord } from '../report/check-words';

/**
 * Comparing a restored cluster with its recovery point's manifest (row counts and per-table
 * checksums), for the app's restore job and the agent's drill. Each side computes the sums its
 * own way (over SSH, or locally with psql); the verdict and its wording are the same.
 */

/** One table's difference between the manifest and the restored cluster. */
export interface TableDifference {
  /** `<database>:<schema>.<table>` (or just the database when it could not be read). */
  table: string;
  problem: string;
  /** The difference as a sentence the console and the drill PDF word in de/en. */
  word?: CheckWord;
}

/** Row count and checksum of one restored table. */
export interface TableSum {
  rows: number;
  checksum: string;
}

/** `schema.table`: how tables are keyed on both sides of a comparison. */
export const tableKey = (schema: string, table: string): string => `${schema}.${table}`;

/** Compares one database's manifest tables with what the restored cluster computed. */
export function compareTables(
  db: string,
  expected: ManifestTable[],
  restoredNames: string[],
  computed: Map<string, TableSum>,
): TableDifference[] {
  const out: TableDifference[] = [];
  const restored = new Set(restoredNames);
  for (const t of expected) {
    const name = `${db}:${tableKey(t.schema, t.table)}`;
    const got = computed.get(tableKey(t.schema, t.table));
    if (!restored.has(tableKey(t.schema, t.table)) || !got) {
      out.push({
        table: name,
        problem: 'missing',
        word: checkWord('manifest.tableMissing', { table: name }),
      });
    } else if (got.rows !== t.rowCount) {
      out.push({
        table: name,
        problem: `${got.rows} rows, manifest ${t.rowCount}`,
        word: checkWord('manifest.rowsDiffer', {
          table: name,
          rows: got.rows,
          expected: t.rowCount,
        }),
      });
    } else if (got.checksum !== t.checksum) {
      out.push({
        table: name,
        problem: 'checksum differs',
        word: checkWord('manifest.checksumDiffers', { table: name }),
      });
    }
  }
  const listed = new Set(expected.map((t) => tableKey(t.schema, t.table)));
  for (const name of restoredNames) {
    if (!listed.has(name)) {
      const table = `${db}:${name}`;
      out.push({
        table,
        problem: 'not in the manifest',
        word: checkWord('manifest.tableNotInManifest', { table }),
      });
    }
  }
  return out;
}

/**
 * The one-line verdict of a manifest comparison: which tables differ (the first five), or how
 * many matched.
 */
export function manifestMatchDetail(
  differences: readonly TableDifference[],
  counted: { tables: number; databases: number; label: string },
): string {
  if (differences.length === 0) {
    return `${counted.tables} tables in ${counted.databases} databases match manifest ${counted.label} (counts and checksums)`;
  }
  return (
    `${differences.length} of ${counted.tables} tables differ from manifest ${counted.label}: ` +
    differences
      .slice(0, 5)
      .map((d) => `${d.table} (${d.problem})`)
      .join(', ') +
    (differences.length > 5 ? ', …' : '')
  );
}

/** The verdict of {@link manifestMatchDetail} as check words (the first five differences). */
export function manifestMatchWords(
  differences: readonly TableDifference[],
  counted: { tables: number; databases: number; label: string },
): CheckWord[] {
  if (differences.length === 0) {
    return [checkWord('manifest.matches', { ...counted })];
  }
  const shown = differences.slice(0, 5).map(
    // A difference without words (from a caller that made its own): its table and problem.
    (d) => d.word ?? checkWord('manifest.tableMissing', { table: `${d.table} (${d.problem})` }),
  );
  return [
    checkWord('manifest.differs', {
      count: differences.length,
      tables: counted.tables,
      label: counted.label,
    }),
    ...shown,
    ...(differences.length > 5
      ? [checkWord('manifest.moreDifferences', { count: differences.length - 5 })]
      : []),
  ];
}
