import IntlMessageFormat from 'intl-messageformat';
import { localeOf, type Lang } from '../../lib/format';
import { de } from './de';
import { en, type Dictionary, type MessageKey } from './en';

export type { MessageKey, Dictionary };
/** Values for a message's {arguments}: numbers for {n, number} and {n, plural, …}, Dates for {at, date, …}. */
export type Params = Readonly<Record<string, string | number | Date>>;

/** Every language's dictionary. `satisfies` makes a missing language a type error too. */
export const dictionaries = { de, en } as const satisfies Record<Lang, Dictionary>;

/**
 * Messages are ICU MessageFormat, formatted by FormatJS's intl-messageformat with the language's
 * locale (de-DE, en-GB): plurals, numbers and dates follow it. Tags are off: `<secret: …>` is text.
 */
function compile(template: string, lang: Lang): IntlMessageFormat {
  return new IntlMessageFormat(template, localeOf(lang), undefined, { ignoreTag: true });
}

// Parsing is the costly part; each message is parsed once per language.
const compiled: Record<Lang, Map<string, IntlMessageFormat>> = { de: new Map(), en: new Map() };

/**
 * Looks a key up and formats it with `params`. A message that cannot be formatted (an argument
 * missing, a value of the wrong kind) comes back as its template, so the gap is seen, not hidden.
 */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template: string = dictionaries[lang][key];
  let format = compiled[lang].get(key);
  try {
    if (!format) {
      format = compile(template, lang);
      compiled[lang].set(key, format);
    }
    return String(format.format(params));
  } catch {
    return template;
  }
}

/** Whether `key` is a message (for ids from main, such as job phases, that may be new to us). */
export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** Picks 'de' for any German browser locale, 'en' otherwise. */
export function langFromLocale(locale: string | undefined | null): Lang {
  return locale?.toLowerCase().startsWith('de') ? 'de' : 'en';
}
