import type { HealthTile, ServerHealth, TileLevel } from '../../../shared/contract/agent';
import type { MessageKey } from '../../app/i18n/translate';

/**
 * The StatusBadge tone of a level (ok green, warning amber, critical red, unknown grey); the
 * text always repeats it. Declared here rather than imported so this file stays free of JSX.
 */
export type LevelTone = 'ok' | 'warn' | 'danger' | 'neutral';

export const LEVEL_TONES: Record<TileLevel, LevelTone> = {
  ok: 'ok',
  warning: 'warn',
  critical: 'danger',
  unknown: 'neutral',
};

export function levelTone(level: TileLevel): LevelTone {
  return LEVEL_TONES[level];
}

/** The words for a level, so it never depends on colour alone. */
export function levelLabelKey(level: TileLevel): MessageKey {
  return `health.level.${level}`;
}

/** Worse levels rank higher. Unknown is worse than ok (we cannot vouch for it) but better than a known warning. */
export const LEVEL_SEVERITY: Record<TileLevel, number> = {
  ok: 0,
  unknown: 1,
  warning: 2,
  critical: 3,
};

/** The order tiles are shown in: capture first, the agent last. */
export const TILE_ORDER: readonly HealthTile['id'][] = [
  'captureLag',
  'archiveFailures',
  'recoveryPointAge',
  'drill',
  'bucketProtection',
  'recoveryKit',
  'repository',
  'spool',
  'disk',
  'clock',
  'agent',
];

export function tileTitleKey(id: HealthTile['id']): MessageKey {
  return `health.tile.${id}`;
}

export function sortTiles(tiles: readonly HealthTile[]): HealthTile[] {
  return [...tiles].sort((a, b) => TILE_ORDER.indexOf(a.id) - TILE_ORDER.indexOf(b.id));
}

/** The tile to name in the fleet overview: the worst one, the first in tile order on a tie. */
export function worstTile(tiles: readonly HealthTile[]): HealthTile | null {
  let worst: HealthTile | null = null;
  for (const tile of sortTiles(tiles)) {
    if (!worst || LEVEL_SEVERITY[tile.level] > LEVEL_SEVERITY[worst.level]) worst = tile;
  }
  return worst;
}

/** Where the numbers came from, in words. */
export function sourceKey(source: ServerHealth['source']): MessageKey {
  return `health.source.${source}`;
}
