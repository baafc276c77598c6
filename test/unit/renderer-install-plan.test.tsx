import { describe, expect, it, vi } from 'vitest';
import type { Lang } from '../../renderer/lib/format';
import { plan } from './renderer-fakes';

// The install plan as the review step shows it: an optional package says why it is offered.
// Rendered to static HTML, which renders the language store's initial state: the language is
// chosen through the browser's (Node 20 has no navigator), with the modules loaded afresh.

async function html(
  lang: Lang,
  packagesToInstall: string[],
  warnings: string[] = [],
): Promise<string> {
  vi.resetModules();
  Object.assign(globalThis, { navigator: { language: lang } });
  const { createElement } = await import('react');
  const { renderToStaticMarkup } = await import('react-dom/server');
  const { PlanView } = await import('../../renderer/features/agent-install/PlanView');
  return renderToStaticMarkup(
    createElement(PlanView, { plan: plan({ packagesToInstall, warnings }) }),
  );
}

describe('install plan packages', () => {
  it('explains eatmydata (apt) and libeatmydata (dnf), and nothing for required packages', async () => {
    const apt = await html('en', ['pgbackrest', 'eatmydata']);
    expect(apt).toContain(
      '<span class="mono">eatmydata</span><span class="muted"> — optional: restore drills then skip fsync',
    );
    expect(apt).toContain('<li><span class="mono">pgbackrest</span></li>');
    expect(await html('en', ['libeatmydata'])).toContain(
      'libeatmydata</span><span class="muted"> — optional:',
    );
  });

  it('says it in German too', async () => {
    const de = await html('de', ['eatmydata']);
    expect(de).toContain('<h3>Änderungen auf dem Server</h3>');
    expect(de).toContain('— optional: Wiederherstellungsübungen sparen sich dann fsync');
  });
});

describe('install plan warnings', () => {
  it('lists each warning in one warning box, and shows no box without warnings', async () => {
    const shown = await html('en', [], ['Disk is 91 % full', 'Clock is 3 s off']);
    expect(shown).toContain(
      '<div role="status" class="alert alert--warning" data-testid="plan-warnings">',
    );
    expect(shown).toContain(
      '<ul class="alert__list"><li>Disk is 91 % full</li><li>Clock is 3 s off</li></ul>',
    );
    expect(await html('en', [])).not.toContain('plan-warnings');
  });
});
