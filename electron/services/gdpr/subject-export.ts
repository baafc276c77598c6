import { buildAccessExport } from '../../../node/gdpr/export-bundle';
import { rowsByTable } from '../../../node/gdpr/export-rows';
import { mapDrift } from '../../../node/gdpr/map-drift';
import {
  parseSchemaGraph,
  SCHEMA_GRAPH_SQL,
  tableName,
  type SchemaGraph,
} from '../../../node/gdpr/schema-graph';
import { estimateSubjectSql, exportSubjectSql } from '../../../node/gdpr/subject-sql';
import type { MapEdits, SubjectMap } from '../../../node/gdpr/subject-map';
import type { RemoteShell } from '../agent-install/remote-shell';
import { AppError } from '../app-error';
import { zipArchive } from '../reports/zip-writer';
import { namedFiles, readAttachedFiles } from './attached-files';
import { runSql, type ClusterAccess } from './remote-sql';

// One subject's access export, read over SSH from the live database: the map is checked
// against the live schema first (a changed schema stops the export and is named), then the
// size estimate, then every row in one REPEATABLE READ transaction, then the signed zip.

/** Where the database is and how to reach it. */
export interface SubjectSource {
  shell: RemoteShell;
  cluster: ClusterAccess;
  database: string;
}

/** The live schema graph of the source database. */
export async function readSchemaGraph(
  source: SubjectSource,
  signal?: AbortSignal,
): Promise<SchemaGraph> {
  const lines = await runSql(
    source.shell,
    source.cluster,
    source.database,
    SCHEMA_GRAPH_SQL,
    'read the schema',
    signal,
  );
  return parseSchemaGraph(lines.join('\n'));
}

/** Throws CONFLICT naming what changed when the live schema no longer fits `map`. */
export function assertMapCurrent(map: SubjectMap, graph: SchemaGraph, edits: MapEdits): void {
  const changes = mapDrift(map, graph, edits);
  if (changes.length > 0) {
    throw new AppError(
      'CONFLICT',
      `The schema of ${map.database} changed since the subject map was saved: ${changes.join('; ')}. Review the map (kumiko gdpr map) and save it again.`,
      { changes },
    );
  }
}

/** Rows and bytes per mapped table for the subject, before an export starts. */
export async function estimateSubject(
  source: SubjectSource,
  map: SubjectMap,
  subject: string,
  signal?: AbortSignal,
): Promise<{ table: string; rows: number; bytes: number }[]> {
  const lines = await runSql(
    source.shell,
    source.cluster,
    source.database,
    estimateSubjectSql(map, subject),
    'estimate the export',
    signal,
  );
  return lines.map((line) => {
    const { t, rows, bytes } = JSON.parse(line) as { t: number; rows: number; bytes: number };
    const mapped = map.tables[t];
    if (!mapped || !Number.isInteger(rows) || !Number.isInteger(bytes))
      throw new AppError(
        'SSH_COMMAND_FAILED',
        'The server answered the estimate with something else: try again.',
      );
    return { table: tableName(mapped), rows, bytes };
  });
}

export interface ExportOptions {
  exportId: string;
  serverName: string;
  subject: string;
  map: SubjectMap;
  graph: SchemaGraph;
  backupsExpire: string | null;
  signer: { privateKeyPem: string; principal: string; publicKey: string };
  /** The agent's attached-file folders: only files inside them are exported. */
  attachedRoots?: readonly string[];
  exportedAt?: Date;
  signal?: AbortSignal;
}

/** Reads the subject's rows and returns the export as zip bytes with its file list. */
export async function exportSubject(
  source: SubjectSource,
  options: ExportOptions,
): Promise<{ zip: Buffer; files: Map<string, Uint8Array>; folder: string }> {
  const { map, graph } = options;
  const lines = await runSql(
    source.shell,
    source.cluster,
    source.database,
    exportSubjectSql(map, options.subject),
    'read the subject rows',
    options.signal,
  );
  let rows;
  try {
    rows = rowsByTable(map, lines);
  } catch (err) {
    throw new AppError(
      'SSH_COMMAND_FAILED',
      `The server's answer cannot be exported (${(err as Error).message}): try again.`,
    );
  }
  const columns = new Map(
    graph.tables.map((t) => [tableName(t), t.columns.map((c) => c.name)] as const),
  );
  const attached = await readAttachedFiles(
    source.shell,
    namedFiles(map, rows),
    options.attachedRoots ?? [],
    options.signal,
  );
  const exportedAt = options.exportedAt ?? new Date();
  const files = buildAccessExport({
    exportId: options.exportId,
    map,
    subject: options.subject,
    serverName: options.serverName,
    exportedAt,
    rows,
    columns,
    attachedFiles: attached.files,
    skippedFiles: attached.skipped,
    backupsExpire: options.backupsExpire,
    signer: options.signer,
  });
  const folder = `gdpr-export-${options.exportId}`;
  const zip = zipArchive(
    [...files].map(([name, data]) => ({ name: `${folder}/${name}`, data })),
    exportedAt,
  );
  return { zip, files, folder };
}
