import { describe, expect, it, vi } from 'vitest';

// An error in the German console (issue 16 item 1): the heading is the catalog's sentence with
// the next step, the reason worded too, the code in small print, main's English message folded.

describe('ErrorAlert', () => {
  it('shows a German sentence as the heading and the code only in small print', async () => {
    vi.resetModules();
    Object.assign(globalThis, { navigator: { language: 'de-DE' } });
    const { createElement } = await import('react');
    const { renderToStaticMarkup } = await import('react-dom/server');
    const { ErrorAlert } = await import('../../renderer/components/ErrorAlert');
    const { ApiError } = await import('../../renderer/lib/api-client');
    const html = renderToStaticMarkup(
      createElement(ErrorAlert, {
        error: new ApiError(
          'SSH_UNREACHABLE',
          'Cannot reach SSH on db1:22: ECONNREFUSED',
          undefined,
          {
            key: 'cannotConnect',
            params: { where: 'db1:22' },
          },
        ),
      }),
    );
    expect(html).toMatch(/class="alert__title">Der Server ist per SSH nicht erreichbar\./);
    expect(html).toContain('Zu db1:22 ließ sich keine Verbindung öffnen.');
    expect(html).toMatch(/<p class="error-code"[^>]*>Fehlercode SSH_UNREACHABLE<\/p>/);
    // main's English message only inside the folded technical details, marked as English
    expect(html).toMatch(
      /<details[^>]*><summary>Technische Angaben \(auf Englisch\)<\/summary><p lang="en">Cannot reach SSH/,
    );
  });
});
