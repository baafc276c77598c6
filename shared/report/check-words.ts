import IntlMessageFormat from 'intl-messageformat';
import { z } from 'zod';
import { deCheckWords } from './check-words-de';
import { enCheckWords } from './check-words-en';

/**
 * A drill check's detail as codes with parameters (issue 16 §1), worded in German or English
 * from the catalogs beside this file: by the console's report page (its i18n catalogs include
 * them as `checkWord.<key>`) and by the signed report PDF (node/report), which may not import
 * the renderer. The English `detail` sentence stays in report.json beside them, for reports
 * saved before the words existed and for auditors reading the JSON.
 *
 * Params are names, numbers and a tool's own words (`detail`: pgBackRest, restic, PostgreSQL,
 * shown as they came). Identifiers that look like numbers (ports, timelines, exit codes) are
 * strings, so no locale groups their digits.
 */
export const CHECK_WORD_KEYS = [
  'notRun.clusterDidNotStart',
  'notRun.clusterNotChecked',
  'couldNotRun',
  'clusterStarts.notRestored',
  'clusterStarts.notChecked',
  'clusterStarts.accepts',
  'clusterStarts.promoted',
  'clusterStarts.stillInRecovery',
  'clusterStarts.stoppedBeforeLsn',
  'clusterStarts.stoppedAtConsistency',
  'clusterStarts.noRecoveryEnd',
  'clusterStarts.archiveMode',
  'amcheck.passed',
  'amcheck.passedUncounted',
  'amcheck.corruption',
  'amcheck.couldNotCheck',
  'manifest.unusable',
  'manifest.countFailed',
  'manifest.matches',
  'manifest.differs',
  'manifest.tableMissing',
  'manifest.rowsDiffer',
  'manifest.checksumDiffers',
  'manifest.tableNotInManifest',
  'manifest.databaseNotRestored',
  'manifest.databaseNotInManifest',
  'manifest.moreDifferences',
  'smoke.none',
  'smoke.allPassed',
  'smoke.someFailed',
  'smoke.roleFailed',
  'smoke.noRow',
  'smoke.notEqual',
  'smoke.boundNotNumber',
  'smoke.notNumber',
  'smoke.outOfBound',
  'smoke.multipleStatements',
  'smoke.rowSecurity',
  'smoke.permissionDenied',
  'smoke.triedToWrite',
  'smoke.timedOut',
  'smoke.notConnected',
  'smoke.noAnswer',
  'smoke.queryFailed',
  'gdpr.none',
  'gdpr.replayed',
  'gdpr.refused',
  'gdpr.replayFailed',
  'gdpr.rowsRemain',
  'gdpr.mayHoldErased',
  'gdpr.couldNotReplay',
  'files.manifestUntrusted',
  'files.none',
  'files.noSnapshot',
  'files.refused',
  'files.verifyFailed',
  'files.matches',
  'files.differs',
  'restic.passed',
  'restic.failed',
  'verify.passed',
  'verify.problems',
  'verify.failed',
  'bucket.level',
  'bucket.finding',
  'more',
] as const;
export type CheckWordKey = (typeof CHECK_WORD_KEYS)[number];

/** A catalog: every key's ICU MessageFormat text in one language. */
export type CheckWordCatalog = Readonly<Record<CheckWordKey, string>>;

export type CheckWordParams = Record<string, string | number>;

/** The most words a check carries (the report schema's limit; more are summed up in one). */
export const MAX_CHECK_WORDS = 40;

/** The longest a string param may be (a tool's words are cut, as the English detail is). */
const MAX_PARAM = 1000;

/**
 * One sentence of a check's detail. The key is any dotted name, not only {@link CHECK_WORD_KEYS}:
 * a report signed by a newer agent must still parse; a console that does not know a key shows
 * the stored English detail instead.
 */
export const CheckWord = z
  .object({
    key: z
      .string()
      .max(80)
      .regex(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/),
    params: z
      .record(
        z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/),
        z.union([z.string().max(MAX_PARAM), z.number().finite()]),
      )
      .optional(),
  })
  .strict();
export type CheckWord = z.infer<typeof CheckWord>;

/** A check word this build knows how to say. */
export interface KnownCheckWord {
  key: CheckWordKey;
  params?: CheckWordParams;
}

/** A check word; string params longer than the limit are cut with "…". */
export function checkWord(key: CheckWordKey, params?: CheckWordParams): KnownCheckWord {
  if (!params) return { key };
  const cut = Object.fromEntries(
    Object.entries(params).map(([name, value]) => [
      name,
      typeof value === 'string' && value.length > MAX_PARAM
        ? `${value.slice(0, MAX_PARAM - 1)}…`
        : value,
    ]),
  );
  return { key, params: cut };
}

/**
 * At most {@link MAX_CHECK_WORDS}: a long list (every refused ledger object, every failed smoke
 * check) keeps its first sentences and says how many more the evidence has, so a report is never
 * refused for its length.
 */
export function capCheckWords(words: readonly CheckWord[]): CheckWord[] {
  if (words.length <= MAX_CHECK_WORDS) return [...words];
  const kept = words.slice(0, MAX_CHECK_WORDS - 1);
  return [...kept, checkWord('more', { count: words.length - kept.length })];
}

export type CheckWordLang = 'de' | 'en';

export const CHECK_WORD_CATALOGS: Readonly<Record<CheckWordLang, CheckWordCatalog>> = {
  de: deCheckWords,
  en: enCheckWords,
};

/** The catalog as the console's dictionaries hold it: every key under `checkWord.`. */
export type CheckWordMessages = { [K in CheckWordKey as `checkWord.${K}`]: string };

export function checkWordMessages(catalog: CheckWordCatalog): CheckWordMessages {
  return Object.fromEntries(
    CHECK_WORD_KEYS.map((key) => [`checkWord.${key}`, catalog[key]]),
  ) as CheckWordMessages;
}

/** Locales as the console formats them (renderer/lib/format.ts). */
const LOCALES: Record<CheckWordLang, string> = { de: 'de-DE', en: 'en-GB' };

export function isCheckWordKey(key: string): key is CheckWordKey {
  return (CHECK_WORD_KEYS as readonly string[]).includes(key);
}

/**
 * A check's words as sentences in `lang`, one space apart; null when a key is unknown here (a
 * newer agent's) or a message cannot be formatted: the caller then shows the stored detail.
 */
export function wordCheckDetail(
  lang: CheckWordLang,
  words: readonly CheckWord[] | undefined,
): string | null {
  if (!words || words.length === 0) return null;
  const out: string[] = [];
  for (const word of words) {
    if (!isCheckWordKey(word.key)) return null;
    try {
      const format = new IntlMessageFormat(
        CHECK_WORD_CATALOGS[lang][word.key],
        LOCALES[lang],
        undefined,
        {
          ignoreTag: true,
        },
      );
      out.push(String(format.format(word.params ?? {})));
    } catch {
      return null;
    }
  }
  return out.join(' ');
}
