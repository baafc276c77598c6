import type { RecoveryPointManifest } from '../../shared/agent/manifest';

/** One stop of a drill's recovery: the databases whose numbers describe this WAL position. */
export interface RecoveryStep {
  lsn: string;
  databases: string[];
}

function lsnBytes(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
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
    .sort(([a], [b]) => (lsnBytes(a) < lsnBytes(b) ? -1 : lsnBytes(a) > lsnBytes(b) ? 1 : 0))
    .map(([lsn, databases]) => ({ lsn, databases }));
}
