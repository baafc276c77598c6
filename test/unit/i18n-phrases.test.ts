import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  bucketProtectionTile,
  judgeBucketProtection,
  type BucketProtectionFacts,
} from '../../shared/agent/bucket-protection';
import { evaluateHealth } from '../../shared/agent/health';
import type { Heartbeat } from '../../shared/agent/heartbeat';
import { clockTile } from '../../shared/agent/server-clock';
import { HealthTile, PHRASE_KEYS, type Phrase } from '../../shared/contract';
import { dictionaries, translate } from '../../renderer/app/i18n/translate';
import { formatAge, wordPhrase } from '../../renderer/app/i18n/word-phrase';

// Main's status tiles and bucket findings travel as phrases (issue 16 §1) and are worded in the
// renderer. Every phrase the contract can carry has German and English words; every tile main
// makes, in every state below, carries its words; German words are German (not the English
// catalog's sentence, no raw key, no unfilled {argument}).

const now = new Date('2026-11-26T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

function facts(over: Partial<BucketProtectionFacts> = {}): BucketProtectionFacts {
  return {
    versioning: 'Enabled',
    objectLock: { state: 'Enabled', mode: 'COMPLIANCE', days: 100 },
    lifecycle: { state: 'none', expirationDays: null, noncurrentDays: null },
    versionDelete: 'denied',
    notes: [],
    ...over,
  };
}

function heartbeat(over: Partial<Heartbeat> = {}): Heartbeat {
  return {
    serverId: 's1',
    agentVersion: '0.1.0',
    at: ago(5),
    archiver: {
      archivedCount: 10,
      lastArchivedWal: '000000010000000000000010',
      lastArchivedAt: ago(30),
      failedCount: 0,
      lastFailedWal: null,
      lastFailedAt: null,
      secondsSinceLastArchive: 30,
    },
    repository: { reachable: true, statusCode: 0, message: '', newestWal: null, backupCount: 1 },
    lastRecoveryPoint: { label: '20261126-023000F', at: ago(9 * 3600), ok: true },
    lastRecoveryPointError: null,
    lastRetention: null,
    spool: { path: '/var/lib/kumiko-agent/spool', bytes: 0, queuedFiles: 0 },
    disk: { path: '/var/lib/postgresql', freeBytes: 50e9, totalBytes: 100e9 },
    scheduler: { mode: 'daemon', running: true, nextSnapshotAt: null },
    lastDrill: {
      drillId: 'drill-20261120T031500Z',
      startedAt: ago(6 * 86_400),
      at: ago(6 * 86_400 - 600),
      passed: true,
      backupLabel: '20261120-023000F',
      failedChecks: [],
      failure: null,
    },
    drill: { intervalSeconds: 91 * 86_400, scheduleSince: ago(60 * 86_400), lastAttempt: null },
    bucketProtection: judgeBucketProtection(facts(), 93, new Date(ago(3600))),
    incidents: {},
    ...over,
  };
}

const archiver = heartbeat().archiver;
const failedDrill = {
  ...heartbeat().lastDrill!,
  passed: false,
  failedChecks: ['rowCounts', 'amcheck'],
  failure: 'rowCounts: 3 of 40 tables differ',
};

/** Heartbeats in the states the tiles distinguish. */
const HEARTBEATS: Heartbeat[] = [
  heartbeat(),
  heartbeat({
    archiver: { ...archiver, failedCount: 2, lastFailedWal: 'W', lastFailedAt: ago(10) },
  }),
  heartbeat({ archiver: { ...archiver, failedCount: 2, lastFailedAt: ago(600) } }),
  heartbeat({
    archiver: { ...archiver, lastArchivedAt: null, secondsSinceLastArchive: null },
    lastRecoveryPoint: null,
  }),
  heartbeat({ archiver: { ...archiver, secondsSinceLastArchive: 200 } }),
  heartbeat({ lastRecoveryPoint: null, lastRecoveryPointError: 'pgBackRest exited 82' }),
  heartbeat({ lastRecoveryPointError: 'pgBackRest exited 82' }),
  heartbeat({ lastRecoveryPointError: 'pgbackrest backup: exited with code 82.' }),
  heartbeat({ lastRecoveryPoint: null, lastRecoveryPointError: 'table checksums: timed out' }),
  heartbeat({ lastRecoveryPoint: { label: 'L', at: ago(30 * 3600), ok: true } }),
  heartbeat({ lastDrill: failedDrill }),
  heartbeat({ lastDrill: { ...failedDrill, backupLabel: null, failedChecks: [], failure: null } }),
  heartbeat({ lastDrill: { ...failedDrill, startedAt: ago(200 * 86_400), passed: true } }),
  heartbeat({
    lastDrill: null,
    drill: { intervalSeconds: 86_400, scheduleSince: ago(10 * 86_400), lastAttempt: null },
  }),
  heartbeat({
    drill: {
      intervalSeconds: 91 * 86_400,
      scheduleSince: ago(60 * 86_400),
      lastAttempt: { at: ago(60), ok: false, error: 'no recovery point' },
    },
  }),
  heartbeat({ drill: { intervalSeconds: 0, scheduleSince: null, lastAttempt: null } }),
  heartbeat({
    lastDrill: { ...heartbeat().lastDrill!, backupLabel: null },
    drill: { intervalSeconds: 0, scheduleSince: null, lastAttempt: null },
  }),
  heartbeat({
    lastDrill: null,
    drill: { intervalSeconds: 0, scheduleSince: null, lastAttempt: null },
  }),
  heartbeat({
    lastDrill: null,
    drill: { intervalSeconds: 86_400, scheduleSince: ago(600), lastAttempt: null },
  }),
  heartbeat({ lastDrill: null, drill: undefined }),
  heartbeat({
    lastDrill: null,
    drill: { intervalSeconds: 86_400, scheduleSince: null, lastAttempt: null },
  }),
  heartbeat({ bucketProtection: undefined }),
  heartbeat({
    repository: {
      reachable: false,
      statusCode: null,
      message: '',
      newestWal: null,
      backupCount: 0,
    },
  }),
  heartbeat({
    repository: {
      reachable: true,
      statusCode: 2,
      message: 'missing stanza path',
      newestWal: null,
      backupCount: 0,
    },
  }),
  heartbeat({ spool: { path: '/s', bytes: 1, queuedFiles: 1 } }),
  heartbeat({ spool: { path: '/s', bytes: 1, queuedFiles: 40 } }),
  heartbeat({ disk: { path: '/var/lib/postgresql', freeBytes: 3e9, totalBytes: 100e9 } }),
  heartbeat({ at: ago(3600) }),
  heartbeat({ scheduler: { mode: 'systemd', running: false, nextSnapshotAt: null } }),
];

/** Bucket facts for every finding's wording. */
const BUCKETS: BucketProtectionFacts[] = [
  facts(),
  facts({ versionDelete: 'allowed', versioning: 'Suspended' }),
  facts({ versionDelete: 'noVersion', versioning: 'Disabled' }),
  facts({ versionDelete: 'noVersion', objectLock: { state: 'Enabled', mode: null, days: 100 } }),
  facts({ versionDelete: 'noVersion', objectLock: { state: 'Disabled', mode: null, days: null } }),
  facts({ versionDelete: 'error', notes: ['probe: timed out'] }),
  facts({
    versionDelete: 'error',
    versioning: 'unknown',
    notes: ['versioning: not reported (NotImplemented)'],
    objectLock: { state: 'unknown', mode: null, days: null },
    lifecycle: { state: 'unknown', expirationDays: null, noncurrentDays: null },
  }),
  facts({ versioning: 'unknown', versionDelete: 'denied' }),
  facts({ objectLock: { state: 'Disabled', mode: null, days: null } }),
  facts({ objectLock: { state: 'Enabled', mode: 'GOVERNANCE', days: 0 } }),
  facts({ objectLock: { state: 'Enabled', mode: 'GOVERNANCE', days: 30 } }),
  facts({ objectLock: { state: 'Enabled', mode: 'GOVERNANCE', days: 100 } }),
  facts({ lifecycle: { state: 'rules', expirationDays: 10, noncurrentDays: 2 } }),
  facts({ lifecycle: { state: 'rules', expirationDays: null, noncurrentDays: 30 } }),
  facts({ lifecycle: { state: 'rules', expirationDays: 400, noncurrentDays: null } }),
];

function allTiles(): HealthTile[] {
  return [
    ...HEARTBEATS.flatMap((hb) => evaluateHealth(hb, now)),
    ...BUCKETS.map((f) => bucketProtectionTile(judgeBucketProtection(f, 93, now))),
    clockTile({ offsetSeconds: 600.4, uncertaintySeconds: 0.05, measuredAt: now.toISOString() }),
    clockTile({ offsetSeconds: -42, uncertaintySeconds: 0.05, measuredAt: now.toISOString() }),
    clockTile({ offsetSeconds: 0.2, uncertaintySeconds: 0.05, measuredAt: now.toISOString() }),
  ];
}

/** Every finding's phrases: a tile shows only the worst findings, the storage check all. */
const FINDINGS: Phrase[] = BUCKETS.flatMap((f) =>
  judgeBucketProtection(f, 93, now).findings.flatMap((x) => x.phrases ?? []),
);

const phrasesOf = (tile: HealthTile): Phrase[] =>
  tile.words ? [tile.words.value, ...tile.words.reason] : [];

/** Phrases whose words are the same in both languages: numbers, durations, names, tools' own. */
const SAME_IN_BOTH = new Set([
  'value.none',
  'value.duration',
  'value.count',
  'value.signedSeconds',
  'value.agent',
  'detail',
]);

describe('phrases from main (status tiles, bucket findings)', () => {
  it('has German and English words for every phrase the contract can carry', () => {
    for (const key of PHRASE_KEYS) {
      for (const lang of ['de', 'en'] as const) {
        const words = (dictionaries[lang] as Record<string, string>)[`phrase.${key}`];
        expect(words, `${lang}: phrase.${key}`).toBeTypeOf('string');
        expect(words!.length, `${lang}: phrase.${key}`).toBeGreaterThan(0);
      }
    }
  });

  it('every tile main makes carries words, and every phrase key is reached by some state', () => {
    const reached = new Set<string>();
    for (const tile of allTiles()) {
      expect(HealthTile.parse(tile).words, `${tile.id}: ${tile.reason}`).toBeDefined();
      for (const phrase of phrasesOf(tile)) reached.add(phrase.key);
    }
    for (const phrase of FINDINGS) reached.add(phrase.key);
    // The storage check's phrases come from main's S3 checks (storage.test.ts words them), the
    // gaps' and restore plans' from the catalog (i18n-plan-words.test.ts), the rollback refusals
    // from shared/audit/refusal-phrase.ts (rollback-refusal-phrase.test.ts).
    const tileKeys = PHRASE_KEYS.filter((key) => !/^(storage|gap|plan|rollback)\./.test(key));
    expect(tileKeys.filter((key) => !reached.has(key))).toEqual([]);
  });

  it('every storage-check phrase is said by the storage checks', () => {
    const dir = fileURLToPath(new URL('../../electron/services/storage', import.meta.url));
    const source = fs
      .readdirSync(dir)
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
    const unused = PHRASE_KEYS.filter(
      (key) => key.startsWith('storage.') && !source.includes(`'${key}'`),
    );
    expect(unused).toEqual([]);
  });

  it('words them in German without English sentences, raw keys or unfilled arguments', () => {
    const t = (lang: 'de' | 'en') => (key: Parameters<typeof translate>[1], params?: object) =>
      translate(lang, key, params as never);
    const findingTile = { id: 'storage' } as unknown as HealthTile;
    const cases: Array<[HealthTile, Phrase[]]> = [
      ...allTiles().map((tile): [HealthTile, Phrase[]] => [tile, phrasesOf(tile)]),
      [findingTile, FINDINGS],
    ];
    for (const [tile, phrases] of cases) {
      for (const phrase of phrases) {
        const german = wordPhrase(t('de'), 'de', phrase);
        const english = wordPhrase(t('en'), 'en', phrase);
        const where = `${tile.id} ${phrase.key}: ${german}`;
        expect(german, where).not.toMatch(/[{}]|phrase\./);
        expect(english, where).not.toMatch(/[{}]|phrase\./);
        if (!SAME_IN_BOTH.has(phrase.key)) expect(german, where).not.toBe(english);
      }
    }
  });

  it('writes times and ages in the language: German dates, German units', () => {
    const tile = evaluateHealth(heartbeat({ lastDrill: failedDrill }), now).find(
      (x) => x.id === 'drill',
    )!;
    const t = (key: Parameters<typeof translate>[1], params?: object) =>
      translate('de', key, params as never);
    const german = tile.words!.reason.map((p) => wordPhrase(t, 'de', p)).join(' ');
    expect(german).toContain('20.11.2026');
    expect(german).toContain('rowCounts, amcheck');
    expect(formatAge(3 * 86_400, 'de')).toBe('3 Tage');
    expect(formatAge(3 * 86_400, 'en')).toBe('3 days');
    expect(formatAge(45, 'de')).toBe('45 s');
    expect(formatAge(30 * 3600, 'de')).toBe('30 h');
    expect(formatAge(1234 * 86_400, 'de')).toBe('1.234 Tage');
  });
});
