import { describe, expect, it, vi } from 'vitest';
import type { Catalog } from '../../shared/contract/recovery';
import type { Lang } from '../../renderer/lib/format';
import {
  drawTimeline,
  LAYOUT,
  PALETTE,
  type DrawContext,
} from '../../renderer/features/timeline/timeline-draw';
import { buildIndex, timelineBounds } from '../../renderer/features/timeline/timeline-index';
import { viewAround } from '../../renderer/features/timeline/timeline-scale';
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
    expect(de).toContain('<th scope="col">Übung</th>');
    expect(de).toContain('>Übung fehlgeschlagen<');
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

describe('drill marks on the timeline canvas', () => {
  /** The stroke colours a drawing of the whole catalog uses. */
  function strokes(catalog: Catalog): string[] {
    const used: string[] = [];
    const noop = () => undefined;
    const ctx: DrawContext = {
      fillStyle: '',
      strokeStyle: '',
      lineWidth: 1,
      font: '',
      textAlign: 'left',
      textBaseline: 'alphabetic',
      setTransform: noop,
      clearRect: noop,
      fillRect: noop,
      beginPath: noop,
      moveTo: noop,
      lineTo: noop,
      rect: noop,
      closePath: noop,
      fill: noop,
      stroke: () => void used.push(String(ctx.strokeStyle)),
      fillText: noop,
      measureText: (text: string) => ({ width: text.length * 6 }),
    };
    const index = buildIndex(catalog);
    const now = Date.parse(catalog.builtAt);
    const bounds = timelineBounds(index, now);
    drawTimeline(ctx, {
      index,
      view: viewAround((bounds.start + bounds.end) / 2, bounds.end - bounds.start, bounds),
      width: 1200,
      height: LAYOUT.height,
      pixelRatio: 1,
      now,
      picked: null,
      lang: 'en',
      zone: 'UTC',
      labels: { now: 'now', lag: 'lag', tier: { daily: 'D', weekly: 'W', monthly: 'M' } },
    });
    return used;
  }

  it('rims the point whose last drill failed in red, and only that one', () => {
    const red = (c: Catalog) => strokes(c).filter((s) => s === PALETTE.drillFailed).length;
    expect(red(withMarks())).toBe(1);
    expect(red(syntheticCatalog({ backups: 3 }))).toBe(0);
  });
});
