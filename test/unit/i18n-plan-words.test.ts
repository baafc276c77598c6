import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pointFailure } from '../../shared/agent/point-failure';
import { clockPlanSaid } from '../../shared/agent/server-clock';
import {
  buildCatalogModel,
  resolveRecoveryTarget,
  type CatalogModel,
  type DrillReportInput,
  type ResolvedRecovery,
} from '../../shared/catalog';
import { PHRASE_KEYS, type Phrase } from '../../shared/contract';
import { withVerifiedFiles } from '../../electron/services/restore/manifest-loader';
import {
  buildProductionPlan,
  productionConfirmation,
} from '../../electron/services/restore/production-plan';
import { translate } from '../../renderer/app/i18n/translate';
import { wordPhrase, wordWarnings, withWordedGaps } from '../../renderer/app/i18n/word-phrase';
import {
  MINUTE,
  segmentTime,
  synthBackup,
  synthListing,
  synthManifest,
  T0,
} from './catalog-fixtures';

// A gap's cause and a restore plan's warnings travel as phrases beside main's English (issue 16
// §1): the console words them from its catalogs. Every such phrase is made by the catalog or
// the restore services, each is made here by the real code in some state, and each reads as
// German in German (not the English sentence, no raw key, no unfilled argument).

const iso = (ms: number) => new Date(ms).toISOString();
const t = (lang: 'de' | 'en') => (key: Parameters<typeof translate>[1], params?: object) =>
  translate(lang, key, params as never);
const word = (lang: 'de' | 'en', p: Phrase) => wordPhrase(t(lang), lang, p);

function model(
  options: {
    missing?: number[];
    backups?: number[];
    drills?: DrillReportInput[];
    noFiles?: boolean;
    signature?: 'missing';
    timeline2?: boolean;
  } = {},
): CatalogModel {
  const minutes = 600;
  const backups = (options.backups ?? [10, 300]).map((m) =>
    synthBackup(m, {
      ...(options.noFiles ? { snapshotId: null } : {}),
      ...(options.signature ? { signature: options.signature } : {}),
    }),
  );
  return buildCatalogModel({
    serverId: 'srv-1',
    now: segmentTime(minutes - 1) + 45_000,
    archive: synthListing({ minutes, missing: options.missing ?? [] }),
    backups,
    events: [],
    ...(options.drills ? { drills: options.drills } : {}),
    timeZone: 'UTC',
  });
}

function resolved(m: CatalogModel, target: Parameters<typeof resolveRecoveryTarget>[1]) {
  const r = resolveRecoveryTarget(m, target);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

const drill = (over: Partial<DrillReportInput>): DrillReportInput => ({
  drillId: 'drill-20261101T100000Z',
  startedAt: '2026-11-01T10:00:00.000Z',
  finishedAt: '2026-11-01T10:05:00.000Z',
  passed: false,
  backupLabel: '',
  failedChecks: [{ id: 'amcheck', detail: 'corruption in t' }],
  signature: 'valid',
  ...over,
});

/** Every gap and plan phrase the real code makes, in the states that make them. */
function madePhrases(): Phrase[] {
  const gapped = model({ missing: [100] });
  const label0 = gapped.backups[0]!.label;
  const plans: ResolvedRecovery[] = [
    resolved(gapped, { kind: 'time', time: iso(T0 + 99 * MINUTE + 30_000) }),
    resolved(model(), { kind: 'time', time: iso(T0 + 599 * MINUTE + 30_000) }),
    resolved(model({ missing: [400] }), { kind: 'latest' }),
    resolved(model(), { kind: 'latest' }),
    resolved(model({ noFiles: true }), { kind: 'time', time: iso(T0 + 200 * MINUTE) }),
    resolved(model({ noFiles: true }), { kind: 'latest' }),
    resolved(model({ noFiles: true }), { kind: 'point', label: label0 }),
    resolved(model({ drills: [drill({ backupLabel: label0 })] }), { kind: 'point', label: label0 }),
    resolved(model({ drills: [drill({ backupLabel: label0, signature: 'no-pinned-key' })] }), {
      kind: 'point',
      label: label0,
    }),
    resolved(
      model({ drills: [drill({ backupLabel: label0, passed: true, signature: 'invalid' })] }),
      { kind: 'point', label: label0 },
    ),
  ];
  // Drill reports known, none of this point: never drilled.
  plans.push(resolved(model({ drills: [] }), { kind: 'latest' }));
  // A point known only from pgBackRest's files (no manifest): its details are derived.
  const m300 = synthManifest(300);
  const archive = synthListing({ minutes: 600 });
  archive.backupHistory.push({
    name: `${m300.pgbackrest.walStart}.00000028.backup`,
    time: T0 + 300 * MINUTE + 51_000,
    size: 300,
  });
  const derived = buildCatalogModel({
    serverId: 'srv-1',
    now: segmentTime(599) + 45_000,
    archive,
    backups: [
      synthBackup(10),
      { label: m300.label, manifest: null, repoManifestTime: T0 + 300 * MINUTE + 52_000 },
    ],
    events: [],
    timeZone: 'UTC',
  });
  plans.push(resolved(derived, { kind: 'latest' }));
  // After a timeline switch with the old timeline going on: the moment is on both.
  const switched = buildCatalogModel({
    serverId: 'srv-1',
    now: segmentTime(599) + 10_000,
    archive: synthListing({
      minutes: 600,
      timelineSwitch: { minute: 250, timeline: 2 },
      parentContinues: true,
    }),
    backups: [synthBackup(10)],
    events: [],
  });
  plans.push(resolved(switched, { kind: 'time', time: iso(T0 + 400 * MINUTE + 30_000) }));
  // No capture lag known (the catalog could not say it): the warning leaves it out.
  const noLag = model();
  noLag.catalog.captureLagSeconds = null;
  plans.push(resolved(noLag, { kind: 'latest' }));
  // The same points, their manifests unsigned in the bucket: the files are left out.
  const unsigned = model({ signature: 'missing' });
  plans.push(
    withVerifiedFiles(unsigned, resolved(model(), { kind: 'time', time: iso(T0 + 200 * MINUTE) })),
  );
  for (const plan of plans) expect(plan.warningWords).toHaveLength(plan.warnings.length);
  const production = buildProductionPlan(
    { serverId: 'srv-1', target: { kind: 'latest' } },
    resolved(model(), { kind: 'latest' }),
    productionConfirmation(null, 'db1'),
    { dataDirectory: '/var/lib/postgresql/15/main', port: 5432 },
  );
  expect(production.warningWords).toHaveLength(production.warnings.length);
  const clock = clockPlanSaid({
    offsetSeconds: -600,
    uncertaintySeconds: 0.1,
    measuredAt: iso(T0),
  });
  return [
    ...gapped.catalog.gaps.map((g) => g.causeWords!),
    ...model({ missing: [301] }).catalog.gaps.map((g) => g.causeWords!),
    ...plans.flatMap((p) => p.warningWords),
    ...production.warningWords!,
    clock!.words,
  ];
}

describe('gap causes and restore plan warnings in the language', () => {
  it('has German and English words for every gap and plan phrase, made by real code', () => {
    const keys = PHRASE_KEYS.filter((key) => /^(gap|plan)\./.test(key));
    expect(keys.length).toBeGreaterThan(20);
    const made = new Set(madePhrases().map((p) => p.key));
    // The scratch-host warnings need a second server: they are made by restore-service.ts.
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const service = fs.readFileSync(
      path.join(root, 'electron/services/restore/restore-service.ts'),
      'utf8',
    );
    const unmade = keys.filter((key) => !made.has(key) && !service.includes(`'${key}'`));
    expect(unmade).toEqual([]);
  });

  it('words each made phrase in German: not the English, no key, no unfilled argument', () => {
    const phrases = madePhrases();
    expect(phrases.length).toBeGreaterThan(10);
    for (const p of phrases) {
      const german = word('de', p);
      const english = word('en', p);
      expect(german, p.key).not.toMatch(/[{}]|phrase\./);
      expect(english, p.key).not.toMatch(/[{}]|phrase\./);
      expect(german, p.key).not.toBe(english);
    }
  });

  it('puts a gap and a plan warning in German where the console shows them', () => {
    const gapped = model({ missing: [100] });
    const german = withWordedGaps(t('de'), 'de', gapped.catalog).gaps[0]!.cause;
    expect(german).toMatch(/^WAL-Segment \w+ fehlt im Bucket \(1 Segment\)$/);
    expect(gapped.catalog.gaps[0]!.cause).toMatch(/missing from the bucket/);
    const plan = resolved(gapped, { kind: 'time', time: iso(T0 + 99 * MINUTE + 30_000) });
    const warnings = wordWarnings(t('de'), 'de', plan);
    expect(warnings.join(' ')).toContain('dem letzten vor einer Lücke im Archiv');
    expect(warnings.join(' ')).not.toMatch(/the last one before a gap/);
    // An older main without phrases: its English stays, nothing is dropped.
    expect(wordWarnings(t('de'), 'de', { warnings: plan.warnings })).toEqual(plan.warnings);
  });
});

describe('a failed recovery point in the language', () => {
  it('words the step that failed and keeps the tool’s own words after it', () => {
    const said = (message: string) => {
      const { step, detail } = pointFailure(message);
      return step
        ? word('de', { key: 'tile.recoveryPoint.failedStep', params: { step, detail } })
        : null;
    };
    expect(said('pgbackrest backup: exited with code 82')).toBe(
      'Der Wiederherstellungspunkt ist beim Schritt „Basissicherung mit pgBackRest“ fehlgeschlagen: exited with code 82. Beheben Sie die Ursache; der nächste planmäßige Lauf versucht es erneut.',
    );
    expect(pointFailure('restic backup: no summary')).toEqual({
      step: 'files',
      detail: 'no summary',
    });
    // A message that names no step the console knows stays whole.
    expect(pointFailure('spawn pgbackrest ENOENT')).toEqual({
      step: null,
      detail: 'spawn pgbackrest ENOENT',
    });
  });
});
