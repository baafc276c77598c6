import type { HealthTile } from '../../../shared/contract/agent';
import type { MessageKey, Params } from '../../app/i18n/translate';

/** useT()'s function; spelt out so this file stays free of the DOM (CLI and Node tests load it). */
type Translate = (key: MessageKey, params?: Params) => string;

/**
 * The recovery kit gate in the console's words (issue 15 §3). Main's tile carries an English
 * value and reason for `kumiko status`; the console says the same from its catalogs. Other
 * tiles keep main's words.
 */
export function tileValue(tile: HealthTile, t: Translate): string {
  if (tile.id !== 'recoveryKit') return tile.value;
  return t(kitValueKey(tile));
}

export function tileReason(tile: HealthTile, t: Translate): string {
  if (tile.id !== 'recoveryKit') return tile.reason;
  return tile.level === 'ok'
    ? t('kit.tile.confirmed')
    : `${t('kit.gate.title')}. ${t('kit.gate.next')}`;
}

function kitValueKey(tile: HealthTile): MessageKey {
  if (tile.level === 'ok') return 'kit.value.confirmed';
  return tile.value === 'not exported' ? 'kit.value.notExported' : 'kit.value.notConfirmed';
}

/**
 * A cluster's protection as the server page shows it: the agent protects it and its kit is
 * confirmed; protected by the agent but the kit is not confirmed (amber, not protected yet);
 * not protected; or not known while the kit's state is still loading.
 */
export type ClusterProtection = 'protected' | 'kitUnconfirmed' | 'unprotected' | 'loading';

export function clusterProtection(
  dataDirectory: string,
  protectedDataDirectory: string | null,
  kitAcknowledgedAt: string | null | undefined,
): ClusterProtection {
  if (dataDirectory !== protectedDataDirectory) return 'unprotected';
  if (kitAcknowledgedAt === undefined) return 'loading';
  return kitAcknowledgedAt ? 'protected' : 'kitUnconfirmed';
}
