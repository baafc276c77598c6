import type { Lang } from '../../lib/format';
import { de } from './de';
import { en, type Dictionary, type MessageKey } from './en';

export type { MessageKey, Dictionary };
export type Params = Readonly<Record<string, string | number>>;

/** Every language's dictionary. `satisfies` makes a missing language a type error too. */
export const dictionaries = { de, en } as const satisfies Record<Lang, Dictionary>;

/** Looks a key up and fills {placeholders}; unknown placeholders stay visible so they get noticed. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template: string = dictionaries[lang][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** Whether `key` is a message (for ids from main, such as job phases, that may be new to us). */
export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** The {placeholders} a message uses, for checking that both languages agree. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

/** Picks 'de' for any German browser locale, 'en' otherwise. */
export function langFromLocale(locale: string | undefined | null): Lang {
  return locale?.toLowerCase().startsWith('de') ? 'de' : 'en';
}
