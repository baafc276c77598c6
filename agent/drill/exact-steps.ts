import type { RecoveryPointManifest } from '../../shared/agent/manifest';
import { lsnToBytes } from '../../shared/restore/recovery-log';
import type { AgentConfig } from '../../shared/agent/config';
import { psqlQuery } from '../engines/psql';
import { segmentName, segmentParts } from '../heartbeat/wal-sequence';

/** One stop of a drill's recovery: the databases whose numbers describe this WAL position. */
export interface RecoveryStep {
  lsn: string;
  databases: string[];
}

/**
 * Where a drill's recovery stops, oldest first, so that each database is compared in exactly
 * the state its manifest numbers describe (agent/snapshot/exact-stats.ts). One stop when the
 * databases share a position (as when nothing was written between their slots); under load
 * one per distinct position: recovery pauses at each earlier one for a read-only look, then a
 * restart moves it on. Empty for a manifest without positions (older agents): recovery then
 * stops where the backup became consistent, as before.
 */
export function recoverySteps(manifest: RecoveryPointManifest | null): RecoveryStep[] {
  const byLsn = new Map<string, string[]>();
  for (const db of manifest?.databases ?? []) {
    if (!db.consistentLsn) continue;
    byLsn.set(db.consistentLsn, [...(byLsn.get(db.consistentLsn) ?? []), db.name]);
  }
  return [...byLsn.entries()]
    .sort(([a], [b]) => lsnToBytes(a) - lsnToBytes(b))
    .map(([lsn, databases]) => ({ lsn, databases }));
}

/**
 * The WAL segment holding `lsn` on `timeline`: recovery reads the record at a stop position to
 * decide to stop there, so that segment must be in the repository before the drill starts.
 */
export function segmentHolding(lsn: string, timeline: number, segmentBytes: number): string {
  // Exact in a double below 2^53 bytes (8 PB of WAL), as lsnToBytes says.
  const segment = Math.floor(lsnToBytes(lsn) / segmentBytes);
  const perLog = 0x1_0000_0000 / segmentBytes;
  return segmentName(timeline, Math.floor(segment / perLog), segment % perLog);
}

/** How long a drill waits for the segment of its last stop to reach the repository. */
export const STOP_SEGMENT_WAIT_MS = 120_000;

/**
 * The segment holding the last stop, on the backup's timeline, with how long to wait for it;
 * null without stops. The segment size is production's (pg_settings, in bytes).
 */
export async function lastStopSegment(
  config: AgentConfig,
  backupStopSegment: string | null,
  steps: RecoveryStep[],
  signal?: AbortSignal,
): Promise<{ segment: string; waitMs: number } | null> {
  const last = steps[steps.length - 1];
  const timeline = backupStopSegment ? segmentParts(backupStopSegment)?.timeline : undefined;
  if (!last || timeline === undefined) return null;
  const bytes = Number(
    await psqlQuery(
      config,
      "SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'",
      'wal segment size',
      'postgres',
      signal,
    ),
  );
  if (!Number.isInteger(bytes) || bytes <= 0) return null;
  return { segment: segmentHolding(last.lsn, timeline, bytes), waitMs: STOP_SEGMENT_WAIT_MS };
}
