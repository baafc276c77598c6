import type { DrillReportEntry } from '../../../shared/contract';
import type { Db } from '../store/database';

interface ReportRow {
  server_id: string;
  drill_id: string;
  server_name: string;
  sequence: number;
  started_at: string;
  finished_at: string;
  passed: number;
  rto_seconds: number | null;
  rpo_seconds: number;
  signer: 'agent' | 'app';
  countersigned: number;
  manifest_sha256: string;
  previous_manifest_sha256: string | null;
  bundle_path: string;
  archived_at: string;
}

/** An archived report as stored; `bundlePath` is relative to the archive folder. */
export type ArchivedReport = DrillReportEntry;

/** The drill_reports table: one row per archived bundle, unique per server and sequence. */
export class ReportsRepo {
  constructor(private readonly db: Db) {}

  insert(report: ArchivedReport): void {
    this.db
      .prepare(
        `INSERT INTO drill_reports (server_id, drill_id, server_name, sequence, started_at, finished_at,
           passed, rto_seconds, rpo_seconds, signer, countersigned, manifest_sha256,
           previous_manifest_sha256, bundle_path, archived_at)
         VALUES (@serverId, @drillId, @serverName, @sequence, @startedAt, @finishedAt, @passed,
           @rtoSeconds, @rpoSeconds, @signer, @countersigned, @manifestSha256,
           @previousManifestSha256, @bundlePath, @archivedAt)`,
      )
      .run({
        ...report,
        passed: report.passed ? 1 : 0,
        countersigned: report.countersigned ? 1 : 0,
      });
  }

  /** Reports started within [from, to] (either bound optional), newest first. */
  list(filter: { serverId?: string; from?: string; to?: string }): ArchivedReport[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM drill_reports
          WHERE (@serverId IS NULL OR server_id = @serverId)
            AND (@from IS NULL OR started_at >= @from)
            AND (@to IS NULL OR started_at <= @to)
          ORDER BY started_at DESC, sequence DESC`,
      )
      .all({
        serverId: filter.serverId ?? null,
        from: filter.from ?? null,
        to: filter.to ?? null,
      }) as ReportRow[];
    return rows.map(toReport);
  }

  get(serverId: string, drillId: string): ArchivedReport | null {
    const row = this.db
      .prepare('SELECT * FROM drill_reports WHERE server_id = ? AND drill_id = ?')
      .get(serverId, drillId) as ReportRow | undefined;
    return row ? toReport(row) : null;
  }

  /** The server's newest report in the chain (highest sequence). */
  latest(serverId: string): ArchivedReport | null {
    const row = this.db
      .prepare('SELECT * FROM drill_reports WHERE server_id = ? ORDER BY sequence DESC LIMIT 1')
      .get(serverId) as ReportRow | undefined;
    return row ? toReport(row) : null;
  }

  markCountersigned(serverId: string, drillId: string): void {
    this.db
      .prepare('UPDATE drill_reports SET countersigned = 1 WHERE server_id = ? AND drill_id = ?')
      .run(serverId, drillId);
  }
}

// Timestamps are stored as the ISO strings of report.json (UTC, `Z`), so text order is time order.
function toReport(row: ReportRow): ArchivedReport {
  return {
    serverId: row.server_id,
    serverName: row.server_name,
    drillId: row.drill_id,
    sequence: row.sequence,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    passed: row.passed === 1,
    rtoSeconds: row.rto_seconds,
    rpoSeconds: row.rpo_seconds,
    signer: row.signer,
    countersigned: row.countersigned === 1,
    manifestSha256: row.manifest_sha256,
    previousManifestSha256: row.previous_manifest_sha256,
    bundlePath: row.bundle_path,
    archivedAt: row.archived_at,
  };
}
