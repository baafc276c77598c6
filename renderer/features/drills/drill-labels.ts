import { hasMessage, type Translate } from '../../app/i18n';
import { intervalParts } from '../../stores/drills-model';

/** A drill job's phase id in words when we know it, else as main sent it. */
export function drillPhaseLabel(t: Translate, id: string): string {
  const key = `drills.phase.${id}`;
  return hasMessage(key) ? t(key) : id;
}

/** "every 91 days", "every day" (de: "alle 91 Tage", "täglich"). */
export function everyText(t: Translate, seconds: number): string {
  const { count, unit } = intervalParts(seconds);
  if (count === 1) return t(`drills.every.${SINGULAR[unit]}`);
  return t(`drills.every.${unit}`, { count });
}

const SINGULAR = { days: 'day', hours: 'hour', minutes: 'minute', seconds: 'second' } as const;
