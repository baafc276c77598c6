import type { RebuildCheck } from '../../../shared/contract/rebuild';
import { hasMessage, type Translate } from '../../app/i18n';

/** A rebuild job's phase id in words when we know it, else as main sent it. */
export function rebuildPhaseLabel(t: Translate, id: string): string {
  const key = `rebuild.phase.${id}`;
  return hasMessage(key) ? t(key) : id;
}

/** A pre-flight check on the new host, in words. */
export function preflightCheckLabel(t: Translate, name: RebuildCheck['name']): string {
  return t(`rebuild.check.${name}`);
}
