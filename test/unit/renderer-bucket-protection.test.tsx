import { describe, expect, it, vi } from 'vitest';
import type { StorageCheckReport } from '../../shared/contract/storage';
import { translate } from '../../renderer/app/i18n/translate';
import type { Lang } from '../../renderer/lib/format';
import { tileTitleKey } from '../../renderer/features/dashboard/levels';
import { report } from './renderer-fakes';

// Issue 15 §3 in the renderer: the storage report shows the key-rights line red and the bucket's
// missing lock amber ("warning", never "passed"), in German and English; the status tile has a
// title in both. Rendered to static HTML with the language store's initial state.

async function html(lang: Lang, r: StorageCheckReport): Promise<string> {
  vi.resetModules();
  Object.assign(globalThis, { navigator: { language: lang } });
  const { createElement } = await import('react');
  const { renderToStaticMarkup } = await import('react-dom/server');
  const { StorageReportView } = await import('../../renderer/features/storage/StorageReportView');
  return renderToStaticMarkup(createElement(StorageReportView, { report: r }));
}

const exposed = report({
  protection: 'exposed',
  items: [
    { id: 'history', state: 'failed', detail: 'The key deleted an old version.' },
    { id: 'objectLock', state: 'warning', detail: 'Object Lock is not enabled.' },
  ],
});

describe('bucket protection in the renderer', () => {
  it('shows the key-rights line failed and the lock as a warning, in English', async () => {
    const en = await html('en', exposed);
    expect(en).toMatch(
      /data-testid="check-history" data-state="failed"><th scope="row">Keys cannot destroy old versions<\/th><td><span[^>]*>✗ failed/,
    );
    expect(en).toMatch(
      /data-testid="check-objectLock" data-state="warning"><th scope="row">Object Lock<\/th><td><span[^>]*>! warning/,
    );
  });

  it('and in German', async () => {
    const de = await html('de', exposed);
    expect(de).toContain('Schlüssel können alte Versionen nicht zerstören');
    expect(de).toMatch(/! Warnung/);
  });

  it('names the status tile in both languages', () => {
    expect(translate('de', tileTitleKey('bucketProtection'))).toBe('Schutz des Buckets');
    expect(translate('en', tileTitleKey('bucketProtection'))).toBe('Bucket protection');
  });
});
