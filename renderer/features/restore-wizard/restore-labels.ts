import type { RestoreCheck } from '../../../shared/contract/recovery';
import { hasMessage, type Translate } from '../../app/i18n';

/** A restore job's phase id in words when we know it, else as main sent it. */
export function restorePhaseLabel(t: Translate, id: string): string {
  const key = `restore.phase.${id}`;
  return hasMessage(key) ? t(key) : id;
}

/** A verification check's name in words. */
export function checkLabel(t: Translate, name: RestoreCheck['name']): string {
  return t(`check.${name}`);
}

/** A restore-over-production phase in words when we know it, else as main sent it. */
export function productionPhaseLabel(t: Translate, id: string): string {
  const key = `production.phase.${id}`;
  return hasMessage(key) ? t(key) : id;
}
