import type { HealthTile } from '../../../shared/contract/agent';
import type { MessageKey, Params } from '../../app/i18n/translate';
import { wordPhrase, wordPhrases } from '../../app/i18n/word-phrase';
import type { Lang } from '../../lib/format';

/** useT()'s function; spelt out so this file stays free of the DOM (CLI and Node tests load it). */
type Translate = (key: MessageKey, params?: Params) => string;

/**
 * A tile in the console's words (issue 16 §1). Main's tile carries an English value and reason
 * for `kumiko status` and the same as phrases (`words`), which the console words from its
 * catalogs; the recovery kit gate (issue 15 §3) is decided here and worded from its own keys.
 * A tile without words (none that main makes today) keeps main's text.
 */
export function tileValue(tile: HealthTile, t: Translate, lang: Lang): string {
  if (tile.id === 'recoveryKit') return t(kitValueKey(tile));
  return tile.words ? wordPhrase(t, lang, tile.words.value) : tile.value;
}

export function tileReason(tile: HealthTile, t: Translate, lang: Lang): string {
  if (tile.id !== 'recoveryKit')
    return tile.words ? wordPhrases(t, lang, tile.words.reason) : tile.reason;
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
