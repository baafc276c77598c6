import { describe, expect, it, vi } from 'vitest';
import type { Catalog } from '../../shared/contract/recovery';
import type { Lang } from '../../renderer/lib/format';
import { syntheticCatalog } from './renderer-fakes';

// The recovery points on the timeline page show what drills say about each (issue 14): proven,
// failed drill (with the checks and why), never drilled. Rendered to static HTML in German (the
// first language) and English, the language picked through the browser's as the app does.

function withMarks(): Catalog {
  const catalog = syntheticCatalog({ backups: 3 });
  const [oldest, middle, newest] = catalog.backups;
  if (!oldest || !middle || !newest) throw new Error('three backups expected');
  oldest.drill = {
    mark: 'never-drilled',
    drillId: null,
    at: null,
    failedChecks: [],
    verified: false,
    unverifiedPasses: 0,
  };
  middle.drill = {
    mark: 'failed',
    drillId: 'drill-20261120T031500Z',
    at: '2026-11-20T03:15:00.000Z',
    failedChecks: [{ id: 'cluster-starts', detail: 'pgbackrest restore exited with code 38' }],
    verified: true,
    unverifiedPasses: 0,
  };
  newest.drill = {
    mark: 'proven',
    drillId: 'drill-20261125T031500Z',
    at: '2026-11-25T03:15:00.000Z',
    failedChecks: [],
    verified: true,
    unverifiedPasses: 0,
  };
  return catalog;
}

async function html(lang: Lang): Promise<string> {
  vi.resetModules();
  Object.assign(globalThis, { navigator: { language: lang } });
  const { createElement } = await import('react');
  const { renderToStaticMarkup } = await import('react-dom/server');
  const { RecoveryPointList } = await import('../../renderer/features/timeline/CatalogLists');
  const { buildIndex } = await import('../../renderer/features/timeline/timeline-index');
  return renderToStaticMarkup(
    createElement(RecoveryPointList, {
      index: buildIndex(withMarks()),
      zone: 'UTC',
      onPick: () => undefined,
    }),
  );
}

const markOf = (page: string, label: string): string | undefined =>
  new RegExp(`data-label="${label}".*?data-testid="point-drill" data-mark="([a-z-]+)"`).exec(
    page,
  )?.[1];

describe('drill marks on the recovery points', () => {
  it('shows proven, failed drill with its checks, and never drilled (German first)', async () => {
    const de = await html('de');
    const labels = withMarks().backups.map((b) => b.label);
    expect(labels.map((l) => markOf(de, l))).toEqual(['never-drilled', 'failed', 'proven']);
    expect(de).toContain('<th scope="col">Probe</th>');
    expect(de).toContain('>Probe fehlgeschlagen<');
    expect(de).toContain('<span class="mono">cluster-starts</span>: pgbackrest restore exited');
    expect(de).toContain('>erprobt<');
    expect(de).toContain('>nie erprobt<');
  });

  it('says it in English too', async () => {
    const en = await html('en');
    expect(en).toContain('>failed drill<');
    expect(en).toContain('>proven<');
    expect(en).toContain('>never drilled<');
  });
});
