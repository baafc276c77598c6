import { localeOf, type Lang } from '../../lib/format';

/**
 * A day as the locale writes it (26.11.2026 / 26/11/2026). The hard-delete due date is a
 * calendar day (YYYY-MM-DD): read in UTC, so no zone shifts it to the day before.
 */
export function formatDay(value: string, lang: Lang): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(localeOf(lang), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}
