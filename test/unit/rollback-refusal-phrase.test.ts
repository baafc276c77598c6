import { describe, expect, it } from 'vitest';
import { refusalPhrase } from '../../shared/audit/refusal-phrase';
import type { Refusal } from '../../shared/audit/rollback-plan';
import { translate } from '../../renderer/app/i18n/translate';
import { wordPhrase } from '../../renderer/app/i18n/word-phrase';

// Every rollback refusal (issue 18) reaches the console as a phrase and is worded in German and
// English: filled, German not the English sentence, each a next step, the TRUNCATE time the
// language's way.

const ALL: Refusal[] = [
  { code: 'no-history' },
  { code: 'no-primary-key' },
  { code: 'table-missing' },
  { code: 'version-unknown' },
  { code: 'columns-changed', added: ['note'], removed: [] },
  {
    code: 'column-types-changed',
    columns: [{ column: 'price', then: 'numeric(30,10)', now: 'numeric(40,10)' }],
  },
  { code: 'truncated', at: '2026-12-06T09:30:05.123456Z' },
  { code: 'history-gap', at: '2026-12-06T10:15:00.000000Z' },
  { code: 'changed-after-preview' },
  { code: 'foreign-key', constraint: 'track_genre_id_fkey', table: 'track' },
  { code: 'unique', constraint: 'note_slug_key', table: 'note' },
  { code: 'constraint', constraint: 'qty_positive', table: 'stock' },
  { code: 'other-rows-changed', tables: ['public.child'] },
  { code: 'not-exact' },
];

const word = (lang: 'de' | 'en', refusal: Refusal) =>
  wordPhrase((key, params) => translate(lang, key, params as never), lang, refusalPhrase(refusal));

describe('rollback refusals in German and English', () => {
  it('words every refusal code, filled, German not English', () => {
    const codes = new Set(ALL.map((r) => r.code));
    expect(codes.size).toBe(14);
    for (const refusal of ALL) {
      const german = word('de', refusal);
      const english = word('en', refusal);
      expect(german, refusal.code).not.toMatch(/[{}]|phrase\./);
      expect(english, refusal.code).not.toMatch(/[{}]|phrase\./);
      expect(german, refusal.code).not.toBe(english);
    }
  });

  it('names what broke and writes the time the language’s way', () => {
    const of = (code: Refusal['code']) => ALL.find((r) => r.code === code)!;
    expect(word('de', of('foreign-key'))).toContain('track_genre_id_fkey auf track');
    expect(word('en', of('column-types-changed'))).toContain(
      'price: numeric(30,10) → numeric(40,10)',
    );
    for (const code of ['truncated', 'history-gap'] as const) {
      expect(word('de', of(code)), code).toMatch(/06\.12\.2026/);
      expect(word('en', of(code)), code).not.toContain('2026-12-06T');
    }
  });
});
