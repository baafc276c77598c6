import { localeOf, type Lang } from '../../lib/format';

/** A change's time to the second: two changes in one minute must not read the same. */
export function formatMoment(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(localeOf(lang), {
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(date);
}
