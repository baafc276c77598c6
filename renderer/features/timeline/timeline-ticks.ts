import { localeOf, type Lang } from '../../lib/format';
import { zoneOffsetMs } from '../../lib/zoned-time';
import { DAY, HOUR, MINUTE, SECOND, span, type View } from './timeline-scale';

/**
 * Axis ticks: a readable interval for the zoom, aligned to whole seconds, minutes, hours or
 * days of the admin's time zone, each with a short label.
 */

const INTERVALS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
] as const;

/** The smallest interval that keeps labels at least `minSpacing` px apart. */
export function tickInterval(view: View, width: number, minSpacing = 96): number {
  const most = Math.max(1, Math.floor(width / minSpacing));
  for (const interval of INTERVALS) if (span(view) / interval <= most) return interval;
  return 14 * DAY;
}

export interface Tick {
  t: number;
  /** The tick falls on a local midnight (labelled with the date). */
  midnight: boolean;
}

/** Ticks inside the view, aligned in `zone` (a day tick is a local midnight). */
export function axisTicks(view: View, width: number, zone: string, minSpacing = 96): Tick[] {
  const interval = tickInterval(view, width, minSpacing);
  const ticks: Tick[] = [];
  // Align in local wall-clock time: shift by the zone offset, floor, shift back. The offset is
  // taken per tick, so a tick after a DST change still lands on the local hour.
  const offset0 = zoneOffsetMs(view.start, zone);
  let local = Math.ceil((view.start + offset0) / interval) * interval;
  for (let guard = 0; guard < 400; guard++) {
    const probe = local - offset0;
    const t = local - zoneOffsetMs(probe, zone);
    if (t > view.end) break;
    if (t >= view.start) {
      const localNow = t + zoneOffsetMs(t, zone);
      ticks.push({ t, midnight: localNow % DAY === 0 });
    }
    local += interval;
  }
  return ticks;
}

const labelFormatters = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Lang, zone: string, kind: 'seconds' | 'minutes' | 'date') {
  const key = `${lang}|${zone}|${kind}`;
  let f = labelFormatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'date'
        ? { day: 'numeric', month: 'short' }
        : kind === 'seconds'
          ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
          : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    f = new Intl.DateTimeFormat(localeOf(lang), { ...options, timeZone: zone });
    labelFormatters.set(key, f);
  }
  return f;
}

/** "14:23:05" below a minute, "14:23" below a day, "26 Nov" / "26. Nov." for days and midnights. */
export function tickLabel(tick: Tick, interval: number, lang: Lang, zone: string): string {
  const kind =
    interval >= DAY || tick.midnight ? 'date' : interval < MINUTE ? 'seconds' : 'minutes';
  return formatter(lang, zone, kind).format(new Date(tick.t));
}
