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

describe('install plan scripts (issue 15 §2)', () => {
  async function scripts(lang: Lang): Promise<string> {
    vi.resetModules();
    Object.assign(globalThis, { navigator: { language: lang } });
    const { createElement } = await import('react');
    const { renderToStaticMarkup } = await import('react-dom/server');
    const { InstallScriptsView } =
      await import('../../renderer/features/agent-install/InstallScriptsView');
    return renderToStaticMarkup(createElement(InstallScriptsView, { plan: plan() }));
  }

  it('lists each script with its user, why root, its SHA-256 and its text to copy', async () => {
    const shown = await scripts('en');
    expect(shown).toContain('2 scripts; 1 of them as root');
    expect(shown).toContain(`SHA-256 ${'c'.repeat(64)}`); // the agent program
    // The cluster-user step: no root badge, no reason.
    const read = shown.slice(shown.indexOf('data-testid="script-read-settings"'));
    expect(read).toMatch(
      /^data-testid="script-read-settings" data-run-as="cluster-user"><p><span class="badge badge--info">as postgres<\/span>/,
    );
    // The root step: marked, with the catalog's reason, the hash and the script in a block.
    const root = shown.slice(shown.indexOf('data-testid="script-write-restic-password"'));
    expect(root).toContain('<span class="badge badge--warn">as root</span>');
    expect(root).toContain(
      'Why root: Only root may read it: the agent backs up attached files of any owner as root',
    );
    expect(root).toContain(
      `<summary><span class="mono">SHA-256 ${'b'.repeat(64)}</span></summary>`,
    );
    expect(root).toContain(
      '<pre class="mono script-text">set -e\ncat &gt; /etc/kumiko-agent/restic.pass',
    );
    expect(root).toContain('&lt;secret: restic repository password&gt;');
    expect(root).toContain('<button');
  });

  it('says it in German too', async () => {
    const shown = await scripts('de');
    expect(shown).toContain(
      '<h3>Skripte, die das Installationsprogramm auf dem Server ausführt</h3>',
    );
    expect(shown).toContain('<span class="badge badge--warn">als root</span>');
    expect(shown).toContain('Warum root: Nur root darf es lesen');
    expect(shown).toContain('Schreibt das Passwort des restic-Repositorys (Modus 600).');
  });
});
