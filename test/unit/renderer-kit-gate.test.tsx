import { describe, expect, it, vi } from 'vitest';
import type { Lang } from '../../renderer/lib/format';
import { DATA_DIR, detection, NOW } from './renderer-fakes';

// Issue 15 §3 on the server page: the cluster the agent protects shows amber "not protected
// yet: recovery kit not confirmed" until the kit is confirmed, green "protected" after; an
// unprotected cluster stays "not protected". Rendered to static HTML in German and English.

async function clustersHtml(lang: Lang, kitAcknowledgedAt: string | null): Promise<string> {
  vi.resetModules();
  Object.assign(globalThis, { navigator: { language: lang } });
  const { createElement } = await import('react');
  const { renderToStaticMarkup } = await import('react-dom/server');
  const { DetectionView } = await import('../../renderer/features/servers/DetectionView');
  return renderToStaticMarkup(
    createElement(DetectionView, {
      detection: detection(),
      protectedDataDirectory: DATA_DIR,
      kitAcknowledgedAt,
    }),
  );
}

/** The protected cluster's row: from its <tr> to the next. */
function row(html: string, dataDirectory: string): string {
  const at = html.indexOf(`>${dataDirectory}<`);
  return html.slice(html.lastIndexOf('<tr', at), html.indexOf('</tr>', at));
}

describe('the Protection column and the recovery kit', () => {
  it('is amber until the kit is confirmed (German first)', async () => {
    const de = await clustersHtml('de', null);
    expect(row(de, DATA_DIR)).toContain('data-protected="false" data-protection="kitUnconfirmed"');
    expect(row(de, DATA_DIR)).toMatch(
      /badge--warn[^>]*>noch nicht geschützt: Notfallblatt nicht bestätigt</,
    );
    expect(row(de, '/old')).toContain('nicht geschützt');
    const en = await clustersHtml('en', null);
    expect(row(en, DATA_DIR)).toContain('not protected yet: recovery kit not confirmed');
  });

  it('is green once it is confirmed', async () => {
    const de = await clustersHtml('de', NOW);
    expect(row(de, DATA_DIR)).toContain('data-protected="true" data-protection="protected"');
    expect(row(de, DATA_DIR)).toMatch(/badge--ok[^>]*>geschützt</);
    expect(row(de, '/old')).toContain('data-protection="unprotected"');
  });
});
