import type { Phrase } from '../../../shared/contract/phrases';
import { formatDateTime, formatNumber, localeOf, type Lang } from '../../lib/format';
import type { MessageKey, Params } from './translate';

type Translate = (key: MessageKey, params?: Params) => string;

/**
 * An age or interval as the tiles say it: "40 s", "12 min", "5 h" (the short units read the
 * same in de and en, as in lib/format.ts), then whole days in words: "3 Tage" / "3 days".
 * The coarsest unit that still reads well (a drill interval is days, a capture lag seconds).
 */
export function formatAge(seconds: number, lang: Lang): string {
  const s = Math.max(0, seconds);
  const n = (v: number) => formatNumber(Math.round(v), lang);
  if (s < 120) return `${n(s)} s`;
  if (s < 7200) return `${n(s / 60)} min`;
  if (s < 2 * 86_400) return `${n(s / 3600)} h`;
  return new Intl.NumberFormat(localeOf(lang), {
    style: 'unit',
    unit: 'day',
    unitDisplay: 'long',
    maximumFractionDigits: 0,
  }).format(Math.round(s / 86_400));
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * A phrase from main in the current language (docs/i18n.md): params named …Seconds become ages,
 * params named …At become dates and times; names, labels and a tool's own detail stay as sent.
 */
export function wordPhrase(t: Translate, lang: Lang, phrase: Phrase): string {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(phrase.params ?? {})) {
    if (name.endsWith('Seconds') && typeof value === 'number')
      params[name] = formatAge(value, lang);
    else if (name.endsWith('At') && typeof value === 'string' && ISO_TIME.test(value))
      params[name] = formatDateTime(value, lang);
    else params[name] = value;
  }
  return t(`phrase.${phrase.key}`, params);
}

/** Sentences in order, one space apart. */
export function wordPhrases(t: Translate, lang: Lang, phrases: readonly Phrase[]): string {
  return phrases.map((phrase) => wordPhrase(t, lang, phrase)).join(' ');
}

/** Main's English text worded from its phrase; the English only when no phrase came (older main). */
export function wordSaid(
  t: Translate,
  lang: Lang,
  text: string,
  words: Phrase | null | undefined,
): string {
  return words ? wordPhrase(t, lang, words) : text;
}

/** A plan's warnings in the language: `warningWords[i]` is warning i, when main sent them. */
export function wordWarnings(
  t: Translate,
  lang: Lang,
  plan: { warnings: readonly string[]; warningWords?: readonly Phrase[] | undefined },
): string[] {
  const words = plan.warningWords;
  const aligned = words !== undefined && words.length === plan.warnings.length;
  return plan.warnings.map((text, i) => wordSaid(t, lang, text, aligned ? words[i] : undefined));
}

/** A catalog with its gaps' causes in the language (the timeline, its lists and panel read them). */
export function withWordedGaps<C extends { gaps: readonly G[] }, G extends GapWords>(
  t: Translate,
  lang: Lang,
  catalog: C,
): C {
  return {
    ...catalog,
    gaps: catalog.gaps.map((gap) => ({
      ...gap,
      cause: wordSaid(t, lang, gap.cause, gap.causeWords),
    })),
  };
}

interface GapWords {
  cause: string;
  causeWords?: Phrase | undefined;
}
