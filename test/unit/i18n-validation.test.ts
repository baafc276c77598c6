import { describe, expect, it } from 'vitest';
import { createDispatch, type Handlers } from '../../electron/ipc/router';
import { translate } from '../../renderer/app/i18n/translate';
import { wordIssues } from '../../renderer/app/i18n/word-issues';

// A form's input that main refuses comes back as zod issues (electron/ipc/router.ts); the console
// words them by code and limits in its language (issue 16 §1), never zod's English sentences,
// and never shows the value that was typed (a mistyped private key is a secret).

const t = (lang: 'de' | 'en') => (key: Parameters<typeof translate>[1], params?: object) =>
  translate(lang, key, params as never);

// Input never reaches a handler when it does not validate: none is needed here.
const dispatch = createDispatch({} as Handlers);

async function refusedDetails(name: string, input: unknown): Promise<unknown> {
  const result = await dispatch(name, input);
  if (result.ok) throw new Error('expected INVALID_INPUT');
  expect(result.error.code).toBe('INVALID_INPUT');
  return result.error.details;
}

describe('form validation from main, in the language', () => {
  it('words every issue of an invalid new server in German, naming the field', async () => {
    const details = await refusedDetails('servers.add', {
      name: '',
      host: 'bad host!',
      port: 70_000,
      user: 'x'.repeat(65),
      auth: { kind: 'generate' },
    });
    const german = wordIssues(t('de'), details);
    const english = wordIssues(t('en'), details);
    expect(german.map((l) => l.text)).toEqual([
      'Name: Bitte ausfüllen.',
      'Host: Die Eingabe hat nicht die erwartete Form. Prüfen Sie sie auf Tippfehler.',
      'Port: Bitte eine Zahl bis 65.535 eingeben.',
      'SSH-Benutzer: Bitte höchstens 64 Zeichen eingeben.',
    ]);
    expect(german.every((l) => l.worded)).toBe(true);
    expect(english.map((l) => l.text)[2]).toBe('Port: enter a number of at most 65,535.');
    // The typed values are not in what main sent back.
    expect(JSON.stringify(details)).not.toContain('bad host!');
  });

  it('keeps main’s English, marked unworded, for an issue code it does not know', () => {
    const lines = wordIssues(t('de'), [
      { path: ['auth', 'privateKey'], message: 'not an OpenSSH key', code: 'custom' },
      'plain detail',
    ]);
    expect(lines).toEqual([
      { text: 'auth.privateKey: not an OpenSSH key', worded: false },
      { text: 'plain detail', worded: false },
    ]);
  });
});
