import { localeOf, type Lang } from './format';

/**
 * Moments to the second in the admin's time zone, with UTC beside them. Pure functions over
 * Intl (no DOM), so tests pin the zone. A "wall time" is what a clock in that zone shows.
 */

/** The runtime's IANA zone: the admin's zone in the app. */
export function adminTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(zone, f);
  }
  return f;
}

/** The wall time in `zone` at the UTC instant `ms` (seconds precision). */
export function wallTimeAt(ms: number, zone: string): WallTime {
  const out: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of partsFormatter(zone).formatToParts(new Date(ms))) {
    if (part.type in out) out[part.type as keyof WallTime] = Number(part.value);
  }
  return out;
}

/** How far `zone` is ahead of UTC at instant `ms`, in ms (e.g. 3_600_000 for CET). */
export function zoneOffsetMs(ms: number, zone: string): number {
  const w = wallTimeAt(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The UTC instant a clock in `zone` shows as `wall`. A wall time that does not exist (the
 * hour skipped when clocks go forward) maps to the instant one offset later; one that exists
 * twice (the hour repeated in autumn) maps to its first occurrence.
 */
export function wallToUtc(wall: WallTime, zone: string): number {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  // Zones change their offset at most a few times a year: the offsets half a day before and
  // after cover every reading of this wall time.
  const before = naive - zoneOffsetMs(naive - 43_200_000, zone);
  const after = naive - zoneOffsetMs(naive + 43_200_000, zone);
  const fits = (t: number) => zoneOffsetMs(t, zone) === naive - t;
  const valid = [before, after].filter(fits).sort((a, b) => a - b);
  return valid[0] ?? before;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2026-11-26T14:23:05": the value of an `<input type="datetime-local" step="1">` in `zone`. */
export function toWallInput(ms: number, zone: string): string {
  const w = wallTimeAt(ms, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/**
 * A moment as the moment field shows it in the language, to the second in `zone`:
 * "26.11.2026 14:23:05" (de) / "26/11/2026 14:23:05" (en), day first in both, as the console
 * writes dates everywhere else.
 */
export function toLocalInput(ms: number, zone: string, lang: Lang): string {
  const w = wallTimeAt(ms, zone);
  const sep = lang === 'de' ? '.' : '/';
  return `${pad(w.day)}${sep}${pad(w.month)}${sep}${pad(w.year, 4)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** ISO order: "2026-11-26T14:23:05" (datetime-local) or "2026-11-26 14:23:05". */
const ISO_WALL = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/;
/** Day first: "26.11.2026 14:23:05" (de), "26/11/2026 14:23:05" (en), also with a comma. */
const DAY_FIRST = /^\s*(\d{1,2})[./](\d{1,2})[./](\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/;

/**
 * Reads a typed moment to the second in `zone`: German "26.11.2026 14:23:05", English
 * "26/11/2026 14:23:05" (both day first, a comma after the date allowed, as the console shows
 * moments), or ISO "2026-11-26T14:23:05" / "2026-11-26 14:23:05"; seconds may be left out
 * (":00"). Null when it is not a real date.
 */
export function parseWallInput(text: string, zone: string): number | null {
  const iso = ISO_WALL.exec(text);
  const dayFirst = iso ? null : DAY_FIRST.exec(text);
  const m = iso
    ? iso.slice(1)
    : dayFirst
      ? [dayFirst[3], dayFirst[2], dayFirst[1], ...dayFirst.slice(4)]
      : null;
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return null;
  return wallToUtc({ year, month, day, hour, minute, second }, zone);
}

const momentFormatters = new Map<string, Intl.DateTimeFormat>();

function momentFormatter(lang: Lang, zone: string, zoneName: boolean): Intl.DateTimeFormat {
  const key = `${lang}|${zone}|${zoneName}`;
  let f = momentFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(localeOf(lang), {
      timeZone: zone,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      ...(zoneName ? { timeZoneName: 'short' } : {}),
    });
    momentFormatters.set(key, f);
  }
  return f;
}

/** "26.11.2026, 14:23:05 MEZ" (de) / "26/11/2026, 14:23:05 CET" (en) in the admin's zone. */
export function formatMoment(ms: number | string, lang: Lang, zone: string): string {
  const t = typeof ms === 'string' ? Date.parse(ms) : ms;
  if (!Number.isFinite(t)) return '—';
  return momentFormatter(lang, zone, true).format(new Date(t));
}

/** "2026-11-26 13:23:05 UTC": the same moment in UTC, unambiguous for logs and tickets. */
export function formatUtc(ms: number | string): string {
  const t = typeof ms === 'string' ? Date.parse(ms) : ms;
  if (!Number.isFinite(t)) return '—';
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** An ISO 8601 UTC string to the second, as the contract's times are written. */
export function toIsoSecond(ms: number): string {
  return new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
