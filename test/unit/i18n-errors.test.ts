import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorReasons } from '../../shared/contract/error-reasons';
import { ErrorCode } from '../../shared/contract/errors';
import { de } from '../../renderer/app/i18n/de';
import { en } from '../../renderer/app/i18n/en';
import {
  hasMessage,
  translate,
  type MessageKey,
  type Params,
} from '../../renderer/app/i18n/translate';
import { wordError } from '../../renderer/app/i18n/word-error';
import type { Lang } from '../../renderer/lib/format';

// Errors from main reach people as a code (and maybe a reason) worded from the de/en catalogs
// (issue 16 item 1): every code main can send has a heading in both languages, a sentence that
// says what to do next; main's English message is only the fallback for a code without one.

const root = fileURLToPath(new URL('../..', import.meta.url));
const t = (lang: Lang) => (key: MessageKey, params?: Params) => translate(lang, key, params);

/** Every 'CODE' an electron/ source file throws or fails with (new AppError('X', …), fail('X', …)). */
function codesUsedInElectron(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const text = fs.readFileSync(full, 'utf8');
        for (const m of text.matchAll(/(?:new AppError|fail)\(\s*'([A-Z][A-Z_]+)'/g)) {
          found.set(m[1] ?? '', path.relative(root, full));
        }
        for (const m of text.matchAll(/code: '([A-Z][A-Z_]+)'/g)) {
          found.set(m[1] ?? '', path.relative(root, full));
        }
      }
    }
  };
  walk(path.join(root, 'electron'));
  return found;
}

describe('error codes in the catalogs', () => {
  it('word every code of the contract in German and English', () => {
    const missing = ErrorCode.options.filter(
      (code) => !hasMessage(`error.${code}`) || !(`error.${code}` in de),
    );
    expect(missing, 'codes without error.<CODE> in en or de').toEqual([]);
  });

  it('word every code thrown in electron/, and those are codes of the contract', () => {
    const used = codesUsedInElectron();
    expect(used.size).toBeGreaterThan(20);
    const lacking = [...used].filter(([code]) => !hasMessage(`error.${code}`));
    expect(lacking, 'code thrown in electron/ (file) without a catalog entry').toEqual([]);
    for (const code of used.keys()) expect(ErrorCode.options).toContain(code);
  });

  it('word every reason main can give', () => {
    for (const [code, reasons] of Object.entries(errorReasons)) {
      for (const reason of reasons) {
        expect(hasMessage(`error.${code}.${reason}`), `${code}.${reason}`).toBe(true);
      }
    }
  });

  it('make each heading a sentence that goes on to the next step, never the bare code', () => {
    for (const code of ErrorCode.options) {
      for (const lang of ['de', 'en'] as const) {
        const heading = translate(lang, `error.${code}` as MessageKey);
        expect(heading, `${lang} ${code}`).not.toContain(code);
        // Two parts at least: what happened, then what to do (". ", "; " or ": " between them).
        expect(heading, `${lang} ${code}`).toMatch(/^[A-ZÄÖÜ].*[.;:–] .+\.$/);
      }
      expect(de[`error.${code}`], code).not.toBe(en[`error.${code}`]);
    }
  });
});

describe('wordError', () => {
  it('words a code and its reason in German, with main’s message nowhere in it', () => {
    const worded = wordError(t('de'), {
      code: 'SSH_AUTH_FAILED',
      message: 'The server 10.0.0.5:22 refused the SSH key.',
      reason: { key: 'keyRefused', params: { where: '10.0.0.5:22' } },
    });
    expect(worded.worded).toBe(true);
    expect(worded.heading).toMatch(/^Der Server hat die SSH-Anmeldung abgelehnt\. Prüfen Sie/);
    expect(worded.reason).toBe(
      '10.0.0.5:22 hat den SSH-Schlüssel für diesen Benutzer nicht angenommen.',
    );
  });

  it('ignores a reason the catalog does not know, keeping the heading', () => {
    const worded = wordError(t('en'), { code: 'NOT_FOUND', message: 'x', reason: { key: 'nope' } });
    expect(worded).toMatchObject({ worded: true, reason: null });
  });

  it('falls back to main’s message only for a code without a catalog entry, and says so', () => {
    const worded = wordError(t('de'), { code: 'SOMETHING_NEW', message: 'Something new failed.' });
    expect(worded).toEqual({ heading: 'Something new failed.', reason: null, worded: false });
  });
});
