import { describe, expect, it, vi } from 'vitest';
import type { Catalog } from '../../shared/contract/recovery';
import type { Lang } from '../../renderer/lib/format';
import { syntheticCatalog } from './renderer-fakes';

// Honest states (issue 16 §2): the gap list says "no gaps" only over WAL that is there; a
// catalog without any WAL says that nothing can be restored to the second yet, and what to do.

async function html(catalog: Catalog, lang: Lang): Promise<string> {
  vi.resetModules();
  Object.assign(globalThis, { navigator: { language: lang } });
  const { createElement } = await import('react');
  const { renderToStaticMarkup } = await import('react-dom/server');
  const { GapList } = await import('../../renderer/features/timeline/CatalogLists');
  return renderToStaticMarkup(createElement(GapList, { catalog, zone: 'UTC' }));
}

describe('gap list', () => {
  it('says "no gaps" over unbroken WAL', async () => {
    const page = await html(syntheticCatalog({ gap: false, segments: 100 }), 'de');
    expect(page).toContain('Keine Lücken');
  });

  it('never says "no gaps" without any WAL, in German and English', async () => {
    const empty: Catalog = {
      ...syntheticCatalog({ gap: false, segments: 100 }),
      coverage: [],
      gaps: [],
      segmentTimes: [],
      walSegments: 0,
      walBytes: 0,
    };
    const de = await html(empty, 'de');
    expect(de).not.toContain('Keine Lücken');
    expect(de).toContain('Noch kein WAL im Bucket');
    const en = await html(empty, 'en');
    expect(en).not.toContain('No gaps');
    expect(en).toContain('No WAL in the bucket yet');
  });
});
