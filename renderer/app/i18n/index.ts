import { useCallback } from 'react';
import { create } from 'zustand';
import type { Lang } from '../../lib/format';
import { langFromLocale, translate, type MessageKey, type Params } from './translate';

export { hasMessage, translate, type MessageKey, type Params } from './translate';

const STORAGE_KEY = 'kumiko.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'de' || saved === 'en') return saved;
  } catch {
    // Storage can be disabled; fall back to the browser's language.
  }
  return langFromLocale(navigator.language);
}

interface I18nState {
  lang: Lang;
  setLang(lang: Lang): void;
}

/** The chosen language, persisted in localStorage; defaults to the browser's language. */
export const useI18n = create<I18nState>()((set) => ({
  lang: initialLang(),
  setLang(lang) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Not persisted, but still switched for this session.
    }
    document.documentElement.lang = lang;
    set({ lang });
  },
}));

export type Translate = (key: MessageKey, params?: Params) => string;

/** The translate function for the current language; re-renders when the language changes. */
export function useT(): Translate {
  const lang = useI18n((s) => s.lang);
  return useCallback((key: MessageKey, params?: Params) => translate(lang, key, params), [lang]);
}

export function useLang(): Lang {
  return useI18n((s) => s.lang);
}
