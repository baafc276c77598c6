import type { RestorePlan } from '../../../shared/contract';

// What a rebuild promises up front (its estimate) and hands over at the end (what is left).

/**
 * Beyond the restore's own estimate: putting the cluster in place and starting it, then the
 * agent install with its first base backup (measured in test/integration/rebuild-from-kit at a
 * load average of ~15 on this machine, small cluster: place 2.3-3.6 s, capture 25-35 s; the
 * base backup's share grows with the size, below).
 */
const PLACE_SECONDS = 4;
const INSTALL_SECONDS = 30;
const BACKUP_BYTES_PER_SECOND = 150e6;

/** What is always left to the admin after a rebuild: the app cannot do it from here. */
export const LEFT_TO_ADMIN = [
  'Point the application at the new server: change its connection string (host, port) or the DNS name it uses to this host.',
  'Open the cluster to the application: listen_addresses is localhost and pg_hba.conf holds the rules of the backup; adjust both, then reload PostgreSQL.',
  "Check the agent's schedule, retention and alerts on the new server: the kit does not carry the old server's settings, so the defaults apply.",
  'Export and store the recovery kit of the new server: its backups go to a history of its own in the same bucket.',
];

/** The restore's estimate plus putting the cluster in place and setting up capture. */
export function estimate(plan: RestorePlan): number {
  const backup = (plan.baseBackup.sizeBytes ?? 0) / BACKUP_BYTES_PER_SECOND;
  return Math.ceil(plan.estimatedSeconds + PLACE_SECONDS + INSTALL_SECONDS + backup);
}
