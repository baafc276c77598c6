import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { de } from '../../renderer/app/i18n/de';
import { en } from '../../renderer/app/i18n/en';

// One term per concept (issue 16 item 1): docs/glossary.md names each concept once per language
// and lists, in its last column, the other names that are not used ("de words; en words").
// This test reads that column, so the glossary stays the one place that decides.

const glossary = fs.readFileSync(new URL('../../docs/glossary.md', import.meta.url), 'utf8');

interface Row {
  concept: string;
  de: string;
  en: string;
  banned: { de: string[]; en: string[] };
}

function rows(): Row[] {
  const list = (s: string | undefined) =>
    (s ?? '')
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean);
  return glossary
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| concept'))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map(([, concept = '', deTerm = '', enTerm = '', not = '']) => {
      const [deBanned, enBanned] = not.split(';');
      return {
        concept,
        de: deTerm,
        en: enTerm,
        banned: { de: list(deBanned), en: list(enBanned) },
      };
    });
}

/**
 * The word on its own, not inside a longer one (Probe, but not Proben or Probebetrieb). German
 * nouns are matched as written (so `kumiko drill` in a command line is not the noun Drill);
 * English ones in any case, for a sentence that starts with one.
 */
function wordPattern(word: string, anyCase: boolean): RegExp {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}-])${escaped}(?![\\p{L}])`, anyCase ? 'iu' : 'u');
}

function uses(catalog: Record<string, string>, word: string, anyCase: boolean): string[] {
  const pattern = wordPattern(word, anyCase);
  return Object.entries(catalog)
    .filter(([, text]) => pattern.test(text))
    .map(([key]) => key);
}

describe('the glossary', () => {
  it('has a row per concept with a German and an English term', () => {
    const all = rows();
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const row of all) {
      expect(row.de, row.concept).not.toBe('');
      expect(row.en, row.concept).not.toBe('');
    }
  });

  it('is followed by the catalogs: no banned synonym in German or English', () => {
    const found: string[] = [];
    for (const row of rows()) {
      for (const word of row.banned.de)
        for (const key of uses(de, word, false)) found.push(`de ${key}: ${word}`);
      for (const word of row.banned.en)
        for (const key of uses(en, word, true)) found.push(`en ${key}: ${word}`);
    }
    expect(found).toEqual([]);
  });

  it('matches whole words only, so the check can fail and does not misfire', () => {
    expect(wordPattern('Probe', false).test('Die letzte Probe schlug fehl')).toBe(true);
    expect(wordPattern('Probe', false).test('Probebetrieb')).toBe(false);
    expect(wordPattern('Drill', false).test('kumiko drill run')).toBe(false);
    expect(wordPattern('scratch database', true).test('Scratch database on db1')).toBe(true);
    expect(rows().some((row) => row.banned.de.includes('Probe'))).toBe(true);
  });
});
