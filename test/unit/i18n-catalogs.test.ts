import { describe, expect, it } from 'vitest';
import { de } from '../../renderer/app/i18n/de';
import { en } from '../../renderer/app/i18n/en';
import { messageArguments } from '../../renderer/app/i18n/message-arguments';
import { dictionaries, langFromLocale, translate } from '../../renderer/app/i18n/translate';
import { LANGS } from '../../renderer/lib/format';

// The catalogs are the single source of every text the console shows (issue 16 item 1); these
// are the rules a new message must follow. Intl separates some parts with no-break spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const keys = (o: object) => Object.keys(o).sort();

describe('the de/en catalogs', () => {
  it('have every key in both languages, none empty', () => {
    expect(keys(de)).toEqual(keys(en));
    for (const lang of LANGS) {
      for (const [key, text] of Object.entries(dictionaries[lang])) {
        expect(text.trim(), `${lang}:${key}`).not.toBe('');
      }
    }
  });

  it('are valid ICU MessageFormat and ask for the same arguments, of the same kind, in both languages', () => {
    for (const key of keys(en) as (keyof typeof en)[]) {
      expect(messageArguments(de[key]), key).toEqual(messageArguments(en[key]));
    }
  });

  it('see a placeholder that differs between the languages', () => {
    // The rule above must be able to fail: a renamed or retyped argument is a difference.
    expect(messageArguments('Remove {name}?')).not.toEqual(messageArguments('{server} entfernen?'));
    expect(messageArguments('{count} files')).not.toEqual(
      messageArguments('{count, plural, one {# Datei} other {# Dateien}}'),
    );
    expect(() => messageArguments('Broken {name')).toThrow();
  });
});

describe('translate (intl-messageformat)', () => {
  it('fills arguments and keeps a message with a missing one visible as its template', () => {
    expect(translate('de', 'detail.removeTitle', { name: 'ERP' })).toBe('ERP entfernen?');
    expect(translate('en', 'detail.removeTitle', { name: 'ERP' })).toBe('Remove ERP?');
    expect(translate('en', 'detail.removeTitle')).toBe('Remove {name}?');
  });

  it('chooses the plural form by the language’s rules', () => {
    expect(translate('de', 'servers.clusters', { count: 1, versions: '15' })).toBe(
      'PostgreSQL 15 (1 Cluster)',
    );
    expect(translate('en', 'servers.clusters', { count: 1, versions: '15' })).toBe(
      'PostgreSQL 15 (1 cluster)',
    );
    expect(translate('en', 'servers.clusters', { count: 3, versions: '15, 16' })).toBe(
      'PostgreSQL 15, 16 (3 clusters)',
    );
    expect(translate('de', 'drills.syncDone.some', { count: 2 })).toBe(
      '2 neue Berichte archiviert.',
    );
    expect(translate('en', 'wizard.errors.title', { count: 1 })).toBe('Please correct one entry:');
  });

  it('writes numbers in a plural the German way (1.234) and the English way (1,234)', () => {
    expect(plain(translate('de', 'drills.syncDone.some', { count: 1234 }))).toBe(
      '1.234 neue Berichte archiviert.',
    );
    expect(plain(translate('en', 'drills.syncDone.some', { count: 1234 }))).toBe(
      '1,234 new reports archived.',
    );
  });

  it('carries the host key warning in both languages', () => {
    expect(translate('en', 'hostKey.changed')).toBe(
      'The server’s host key has changed — possible man-in-the-middle attack. Connection refused.',
    );
    expect(translate('de', 'hostKey.changed')).toMatch(/Man-in-the-Middle/);
  });

  it('picks German for any de-* locale, English otherwise', () => {
    expect(langFromLocale('de-DE')).toBe('de');
    expect(langFromLocale('de-AT')).toBe('de');
    expect(langFromLocale('de')).toBe('de');
    expect(langFromLocale('en-US')).toBe('en');
    expect(langFromLocale('fr-FR')).toBe('en');
    expect(langFromLocale(undefined)).toBe('en');
  });
});
