import type { HealthTile } from '../contract/agent';

/**
 * The recovery kit gate (issue 15 §3): a server counts as protected only once the admin has
 * confirmed its recovery kit is printed or stored away from the server. Until then the
 * passphrases live only on the server and in this app's vault, and losing either loses the
 * backups. The acknowledgement is the app's (its store), so the app adds this tile beside the
 * agent's; the console words it from its catalogs, the reason here is for `kumiko status`.
 * Pure: facts in, verdict out.
 */

/** What the app's store knows about a server's recovery kit. */
export interface RecoveryKitFacts {
  exportedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

/** The sentence that says what to do, also for the CLI. */
export const KIT_NEXT_STEP =
  'Export the recovery kit, store it away from the server, then confirm (kumiko kit export / kumiko kit acknowledge).';

/** Warning until the kit is confirmed, ok after. Never critical: capture itself is not at risk. */
export function recoveryKitTile(kit: RecoveryKitFacts): HealthTile {
  if (kit.acknowledgedAt) {
    return {
      id: 'recoveryKit',
      level: 'ok',
      value: 'confirmed',
      reason: `Recovery kit confirmed${kit.acknowledgedBy ? ` by ${kit.acknowledgedBy}` : ''} at ${kit.acknowledgedAt}.`,
    };
  }
  return {
    id: 'recoveryKit',
    level: 'warning',
    value: kit.exportedAt ? 'not confirmed' : 'not exported',
    reason: `Not protected yet: recovery kit not confirmed. ${KIT_NEXT_STEP}`,
  };
}

/** Whether the tiles say the kit is not confirmed: the server does not count as protected yet. */
export function kitNotConfirmed(tiles: readonly HealthTile[]): boolean {
  return tiles.some((t) => t.id === 'recoveryKit' && t.level !== 'ok');
}
