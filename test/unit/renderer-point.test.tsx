import { describe, expect, it, vi } from 'vitest';
import type { Catalog } from '../../shared/contract/recovery';
import type { Lang } from '../../renderer/lib/format';
import type { PointCardViewProps } from '../../renderer/features/timeline/PointCardView';
import { syntheticCatalog } from './renderer-fakes';

// A recovery point on demand in the console (issue 21 §1): the button, its steps and outcome,
// a busy agent said as such, and after a WAL gap from when restores are possible again, or,
// with no point after the gap yet, the offer to take one. Rendered to static HTML in German
// (the first language) and English, the language picked through the browser's as the app does.

/** The synthetic catalog with its gap left open: no recovery point after it yet. */
function openGapCatalog(): Catalog {
  const catalog = syntheticCatalog({ backups: 3 });
  const gap = catalog.gaps[0];
  if (!gap) throw new Error('a gap expected');
  gap.to = null;
  return catalog;
}

async function render(
  lang: Lang,
  what: 'card' | 'gaps' | 'points',
  props: Partial<PointCardViewProps> = {},
  catalog: Catalog = syntheticCatalog({ backups: 3 }),
): Promise<string> {
  vi.resetModules();
  Object.assign(globalThis, { navigator: { language: lang } });
  const { createElement } = await import('react');
  const { renderToStaticMarkup } = await import('react-dom/server');
  const lists = await import('../../renderer/features/timeline/CatalogLists');
  const { buildIndex } = await import('../../renderer/features/timeline/timeline-index');
  const { PointCardView } = await import('../../renderer/features/timeline/PointCardView');
  if (what === 'gaps')
    return renderToStaticMarkup(createElement(lists.GapList, { catalog, zone: 'UTC' }));
  if (what === 'points') {
    return renderToStaticMarkup(
      createElement(lists.RecoveryPointList, {
        index: buildIndex(catalog),
        zone: 'UTC',
        onPick: () => undefined,
      }),
    );
  }
  return renderToStaticMarkup(
    createElement(PointCardView, {
      run: { status: 'idle' },
      job: null,
      catalog,
      zone: 'UTC',
      note: '',
      onNote: () => undefined,
      onStart: () => undefined,
      onHeal: () => undefined,
      onCancel: () => undefined,
      ...props,
    }),
  );
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('recovery point now in the console', () => {
  it('offers the action; after a gap with no point yet it says so and makes it the primary one', async () => {
    const quiet = await render('de', 'card');
    expect(quiet).toContain('Jetzt Wiederherstellungspunkt anlegen');
    expect(quiet).not.toContain('data-testid="point-open-gap"');
    expect(quiet).toContain('btn--secondary');

    const catalog = openGapCatalog();
    const from = catalog.gaps[0]?.from.slice(0, 19).replace('T', ' ');
    const de = text(await render('de', 'card', {}, catalog));
    expect(de).toMatch(/Seit .* fehlt WAL: Nichts danach lässt sich wiederherstellen/);
    expect(de).toContain(`${from} UTC`);
    const en = await render('en', 'card', {}, catalog);
    expect(text(en)).toMatch(/WAL is missing since .*: nothing after that can be restored/);
    expect(en).toContain('btn--primary');
  });

  it('says "restorable again from" the first point after a gap, and offers one when none follows', async () => {
    const closed = syntheticCatalog({ backups: 3 });
    const to = closed.gaps[0]?.to?.slice(0, 19).replace('T', ' ');
    expect(text(await render('de', 'gaps', {}, closed))).toContain(`Wieder wiederherstellbar ab `);
    expect(text(await render('en', 'gaps', {}, closed))).toMatch(
      new RegExp(`Restorable again from .*${to} UTC`),
    );
    expect(text(await render('en', 'gaps', {}, openGapCatalog()))).toContain(
      'No recovery point after this gap yet: nothing after it can be restored. Take a recovery point now.',
    );
  });

  it('names a busy agent as such, shows the steps, the new point and its label', async () => {
    const busy = await render('de', 'card', {
      run: {
        status: 'failed',
        jobId: 'j1',
        phases: ['backup'],
        error: { code: 'AGENT_BUSY', message: 'busy' },
        result: null,
      },
    });
    expect(busy).toContain('data-testid="point-busy"');
    expect(text(busy)).toContain('Auf diesem Server läuft gerade eine Sicherung');

    const running = await render('en', 'card', {
      run: {
        status: 'running',
        jobId: 'j2',
        phases: ['backup', 'files'],
        error: null,
        result: null,
      },
      job: null,
    });
    expect(running).toMatch(/data-status="done" data-phase="backup"/);
    expect(running).toMatch(/data-status="current" data-phase="files"/);
    expect(running).toMatch(/data-status="pending" data-phase="catalog"/);
    expect(running).toContain('Back up the attached files (restic)');

    const done = text(
      await render('de', 'card', {
        run: {
          status: 'succeeded',
          jobId: 'j3',
          phases: ['backup', 'files', 'manifest', 'catalog'],
          error: null,
          result: {
            serverId: '00000000-0000-4000-8000-000000000001',
            label: '20261206-064500F_20261206-071000I',
            at: '2026-12-06T07:10:30.000Z',
            type: 'incr',
            note: 'vor dem Upgrade',
            manifestKey: 'k',
            sha256: 'a'.repeat(64),
            seconds: 9.5,
            inCatalog: true,
          },
        },
      }),
    );
    expect(done).toContain(
      'Wiederherstellungspunkt 20261206-064500F_20261206-071000I angelegt: wiederherstellbar ab',
    );
    expect(done).toContain('Bezeichnung: vor dem Upgrade');
  });

  it('refuses a label that is too long or not one line, saying why', async () => {
    const long = text(await render('en', 'card', { note: 'x'.repeat(201) }));
    expect(long).toContain('The label is longer than 200 characters.');
    const lines = await render('de', 'card', { note: 'zwei\nZeilen' });
    expect(text(lines)).toContain('Die Bezeichnung muss eine Zeile');
    expect(lines).toMatch(
      /data-testid="point-button"[^>]*disabled=""|disabled=""[^>]*data-testid="point-button"/,
    );
  });

  it('names the point job’s steps in the jobs panel', async () => {
    vi.resetModules();
    Object.assign(globalThis, { navigator: { language: 'de' } });
    const { phaseLabel, hasPhaseLabels } =
      await import('../../renderer/features/agent-install/phase-label');
    const { translate } = await import('../../renderer/app/i18n/translate');
    expect(hasPhaseLabels('point.create')).toBe(true);
    expect(phaseLabel((k, p) => translate('de', k, p), 'files', 'point.create')).toBe(
      'Angehängte Dateien sichern (restic)',
    );
  });

  it('shows a point’s label in the list of recovery points', async () => {
    const catalog = syntheticCatalog({ backups: 3 });
    const newest = catalog.backups.at(-1);
    if (!newest?.manifest) throw new Error('a manifest expected');
    newest.manifest.note = 'before the 4.2 upgrade';
    expect(text(await render('en', 'points', {}, catalog))).toContain(
      'Label: before the 4.2 upgrade',
    );
  });

  // Issue 21 §2: a point whose attached files depend on data gone from the bucket offers the
  // heal, in German and English, from its own failure or from the health tile.
  it('offers the heal after a point whose attached files are missing', async () => {
    const failed = {
      status: 'failed' as const,
      jobId: 'j1',
      phases: ['backup', 'files'],
      error: { code: 'POINT_FILES_MISSING', message: 'pack 1b546e3d gone' },
      result: null,
    };
    const de = text(await render('de', 'card', { run: failed }));
    expect(de).toContain('Reparieren und neuen Wiederherstellungspunkt anlegen');
    expect(de).toContain('restic baut seinen Index neu auf');
    const en = await render('en', 'card', { filesMissing: true });
    expect(en).toContain('data-testid="point-heal"');
    expect(text(en)).toContain('Heal and take a new recovery point');
    // Not for other failures, nor while the heal runs (its steps start with the index).
    const other = await render('en', 'card', {
      run: { ...failed, error: { code: 'POINT_FAILED', message: 'x' } },
    });
    expect(other).not.toContain('point-heal');
    const healing = await render('en', 'card', {
      filesMissing: true,
      run: { ...failed, status: 'running', heal: true, phases: ['heal'], error: null },
    });
    expect(healing).not.toContain('data-testid="point-heal"');
    expect(text(healing)).toContain('Rebuild the attached files’ index (restic)');
  });
});
