import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { gdprLedgerVerdict } from '../../agent/gdpr/ledger-replay';
import { couldNotRun, drillCheck } from '../../agent/drill/checks';
import { smokeVerdict, type SmokeOutcome } from '../../agent/drill/smoke-checks';
import { sandboxRefusal } from '../../agent/drill/smoke-sandbox';
import { databaseNotRestored } from '../../agent/drill/verify-phase';
import {
  CHECK_WORD_CATALOGS,
  CHECK_WORD_KEYS,
  checkWord,
  wordCheckDetail,
  type CheckWord,
  type CheckWordKey,
} from '../../shared/report/check-words';
import { DrillCheck } from '../../shared/report/drill-result';
import { compareTables, manifestMatchWords } from '../../shared/restore/manifest-compare';
import { dictionaries, translate } from '../../renderer/app/i18n/translate';

// A drill check's detail travels as codes with parameters (issue 16 §1) and is worded in German
// or English by the console and the signed PDF. Every code the agent can emit has a German and
// an English text with the same parameters; the German is German, not the English sentence.

type Kind = 'number' | 'select' | 'text';

/** The arguments a message uses, with how each is used (number/plural, select, plain text). */
function argumentsOf(message: string): Map<string, Kind> {
  const out = new Map<string, Kind>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (el.type === TYPE.argument) out.set(el.value, out.get(el.value) ?? 'text');
      if (el.type === TYPE.number || el.type === TYPE.plural) out.set(el.value, 'number');
      if (el.type === TYPE.select) out.set(el.value, 'select');
      if (el.type === TYPE.plural || el.type === TYPE.select)
        for (const option of Object.values(el.options)) walk(option.value);
    }
  };
  walk(parse(message, { ignoreTag: true }));
  return out;
}

/** A value for every argument: 2 for numbers, a select's first option, text otherwise. */
function sampleParams(message: string): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const [name, kind] of argumentsOf(message))
    params[name] = kind === 'number' ? 2 : kind === 'select' ? 'other' : `«${name}»`;
  return params;
}

describe('drill check words', () => {
  it('has a German and an English text with the same parameters for every code', () => {
    for (const key of CHECK_WORD_KEYS) {
      const de = CHECK_WORD_CATALOGS.de[key];
      const en = CHECK_WORD_CATALOGS.en[key];
      expect(de, key).toBeTruthy();
      expect(en, key).toBeTruthy();
      expect([...argumentsOf(de)].sort(), key).toEqual([...argumentsOf(en)].sort());
      // German words: not the English sentence (short technical lines aside).
      if (en.length > 30) expect(de, key).not.toBe(en);
    }
    expect(Object.keys(CHECK_WORD_CATALOGS.de).sort()).toEqual([...CHECK_WORD_KEYS].sort());
    expect(Object.keys(CHECK_WORD_CATALOGS.en).sort()).toEqual([...CHECK_WORD_KEYS].sort());
  });

  it('words every code in both languages without a gap, as the console does', () => {
    for (const key of CHECK_WORD_KEYS) {
      const params = sampleParams(CHECK_WORD_CATALOGS.en[key]);
      for (const lang of ['de', 'en'] as const) {
        const pdf = wordCheckDetail(lang, [{ key, params }]);
        expect(pdf, `${lang} ${key}`).not.toBeNull();
        expect(pdf, `${lang} ${key}`).not.toMatch(/[{}]/);
        // The console's catalogs hold the same texts: the page and the PDF say the same.
        expect(translate(lang, `checkWord.${key}`, params), `${lang} ${key}`).toBe(pdf);
      }
    }
    expect((dictionaries.de as Record<string, string>)['checkWord.smoke.none']).toBe(
      CHECK_WORD_CATALOGS.de['smoke.none'],
    );
  });

  it('keeps a check within the report schema when it has very many findings', () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      checkWord('gdpr.refused', { key: `ledger/${i}.json`, detail: 'bad signature' }),
    );
    const check = drillCheck('gdpr-ledger-replay', false, 'many refused', [], many);
    expect(check.words).toHaveLength(40);
    expect(check.words?.at(-1)).toEqual({ key: 'more', params: { count: 81 } });
    expect(DrillCheck.safeParse(check).success).toBe(true);
    expect(wordCheckDetail('de', check.words)).toContain('81 weitere Befunde im Nachweis.');
  });

  it('gives null for a code it does not know, so the stored detail is shown', () => {
    expect(wordCheckDetail('de', [{ key: 'some.newerCode' }])).toBeNull();
    expect(wordCheckDetail('de', undefined)).toBeNull();
    expect(wordCheckDetail('de', [])).toBeNull();
  });

  it('words what the agent emits in German with its parameters, and the report schema keeps it', () => {
    const emitted: { words?: CheckWord[] }[] = [
      ...databaseNotRestored('pgBackRest: ERROR [075]').checks,
      ...databaseNotRestored('connection refused', true).checks,
      couldNotRun('restic-check', 'spawn restic ENOENT', ['restic-check.txt']),
      gdprLedgerVerdict({ entries: [], refused: [] }, { groups: [], failures: [] }).check,
      smokeVerdict([]),
      smokeVerdict([
        outcome('Tracks exist', true, checkWord('smoke.notEqual', { actual: '1', expected: '1' })),
        outcome('Orders today', false, sandboxRefusal(timeout(), 3).whyWord),
      ]),
    ];
    const words: CheckWord[] = [
      ...emitted.flatMap((c) => c.words ?? []),
      ...manifestMatchWords(
        compareTables(
          'app',
          [
            { schema: 'public', table: 'a', rowCount: 3, checksum: 'x' },
            { schema: 'public', table: 'b', rowCount: 1, checksum: 'y' },
          ] as never,
          ['public.a'],
          new Map([['public.a', { rows: 4, checksum: 'x' }]]),
        ),
        { tables: 2, databases: 1, label: '20261126-023000F' },
      ),
    ];
    for (const c of emitted) expect(c.words?.length, JSON.stringify(c)).toBeGreaterThan(0);
    for (const w of words) expect(CHECK_WORD_KEYS).toContain(w.key as CheckWordKey);
    const german = wordCheckDetail('de', words) ?? '';
    expect(german).toContain(
      'Nicht ausgeführt: Der wiederhergestellte Cluster ist nicht gestartet.',
    );
    expect(german).toContain('pgBackRest: ERROR [075]');
    expect(german).toContain('„Orders today“ abgebrochen');
    expect(german).toContain('app:public.a hat 4 Zeilen, das Manifest 3.');
    expect(german).not.toContain('Not run');
    // A check with words passes the signed report's schema; one without (saved before) too.
    const check = { ...couldNotRun('amcheck', 'x', []), words };
    expect(DrillCheck.parse(check).words).toEqual(words);
    const { words: _none, ...old } = check;
    expect(DrillCheck.parse(old).words).toBeUndefined();
  });
});

function outcome(
  name: string,
  passed: boolean,
  whyWord: ReturnType<typeof checkWord>,
): SmokeOutcome {
  return {
    name,
    database: 'app',
    sql: 'SELECT 1',
    expect: 'equals',
    value: '1',
    actual: passed ? '1' : null,
    passed,
    why: passed ? 'ok' : 'cancelled',
    whyWord,
  };
}

function timeout(): Error {
  return Object.assign(new Error('canceling statement due to statement timeout'), {
    code: '57014',
  });
}
