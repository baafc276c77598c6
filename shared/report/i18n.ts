import type { ReportLanguage } from './report-json';

/** A text in both report languages. */
export interface Bilingual {
  de: string;
  en: string;
}

/** A short text (label, heading) in the chosen language; both joined by " / " for 'de+en'. */
export function label(text: Bilingual, language: ReportLanguage): string {
  if (language === 'de') return text.de;
  if (language === 'en') return text.en;
  return text.de === text.en ? text.de : `${text.de} / ${text.en}`;
}

/** A sentence or paragraph: one per chosen language, German first (for 'de+en'). */
export function paragraphs(text: Bilingual, language: ReportLanguage): string[] {
  if (language === 'de') return [text.de];
  if (language === 'en') return [text.en];
  return [text.de, text.en];
}

/** `2025-03-31 02:30:00 UTC` (reports state UTC; the app shows local time beside it). */
export function formatUtc(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `252 s (4 min 12 s)`: exact seconds first, so the figure is unambiguous and searchable. */
export function formatSeconds(seconds: number): string {
  const exact = Number.isInteger(seconds) ? `${seconds}` : seconds.toFixed(1);
  const whole = Math.round(seconds);
  if (whole < 60) return `${exact} s`;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const human = h > 0 ? `${h} h ${m} min` : `${m} min ${s} s`;
  return `${exact} s (${human})`;
}

/** `1.50 GiB (1610612736 bytes)`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(2)} ${units[unit]} (${bytes} bytes)`;
}
