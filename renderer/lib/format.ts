/**
 * Locale-aware formatters. Pure functions over Intl so they run in tests without a DOM.
 * German uses 'de-DE' (26.11.2026, 14:23; 1,5 GB), English uses 'en-GB' (26/11/2026, 14:23).
 */

export type Lang = 'de' | 'en';
export const LANGS: readonly Lang[] = ['de', 'en'];

const LOCALES: Record<Lang, string> = { de: 'de-DE', en: 'en-GB' };

export function localeOf(lang: Lang): string {
  return LOCALES[lang];
}

export interface FormatOptions {
  /** IANA zone; defaults to the runtime's local zone. Tests pin it. */
  timeZone?: string;
}

/** Date and time to the minute: "26.11.2026, 14:23" (de) / "26/11/2026, 14:23" (en). */
export function formatDateTime(value: string | Date, lang: Lang, opts: FormatOptions = {}): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(LOCALES[lang], {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: opts.timeZone,
  }).format(date);
}

export function formatNumber(value: number, lang: Lang, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits }).format(value);
}

const BYTE_UNITS = ['kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'] as const;

/**
 * Decimal (SI) byte sizes, one fraction digit from the kilobyte up: "1,5 GB" (de), "1.5 GB" (en).
 * SI rather than binary so that "GB" means what it says.
 */
export function formatBytes(bytes: number, lang: Lang): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${formatNumber(bytes, lang)} B`;
  let value = bytes / 1000;
  let unit = 0;
  // Round first so 999.96 kB becomes "1 MB", not "1.000 kB".
  while (Math.round(value * 10) / 10 >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(LOCALES[lang], {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(value);
}

/** A short duration for ETAs: "45 s", "3 min 5 s", "2 h 10 min". Units read the same in de and en. */
export function formatDuration(seconds: number, lang: Lang): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const n = (v: number) => formatNumber(v, lang);
  if (s < 60) return `${n(s)} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest === 0
      ? `${n(Math.floor(s / 60))} min`
      : `${n(Math.floor(s / 60))} min ${n(rest)} s`;
  }
  const h = Math.floor(s / 3600);
  const min = Math.round((s % 3600) / 60);
  return min === 0 ? `${n(h)} h` : `${n(h)} h ${n(min)} min`;
}

/** Percentage of done/total, clamped to 0..100; null when the total is unknown. */
export function percent(done: number, total: number | null): number | null {
  if (total === null || total <= 0) return null;
  return Math.min(100, Math.max(0, Math.round((done / total) * 100)));
}
