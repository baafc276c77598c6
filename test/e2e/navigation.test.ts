import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { openVault } from '../../electron/services/secrets/vault';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { buildRenderer, launchChromium, screenshot } from '../harness/browser';
import { stopInOrder } from '../harness/stop-in-order';

// Navigation like an application (issue 16 §3), in browser mode: the built renderer in headless
// Chromium against the real app core. Every page has an address after '#': a deep link opens
// it, a reload stays on it, Back/Forward walk it, unknown addresses say so, and both
// navigations mark where you are. Routing needs no server behind the pages: the one server is
// a record whose SSH port has nothing listening, so its pages show their own errors.

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = path.join(root, 'test-results');

let core: AppCore | undefined;
let web: WebServer | undefined;
let browser: Browser | undefined;
let page: Page;
let tmp: string;
let serverId = '';
const uncaught: string[] = [];

const AT = '2026-12-01T09:30:00.000Z';
const DRILL = 'drill-20261201T093000Z';

async function shot(name: string): Promise<void> {
  await screenshot(page, path.join(shots, `e2e-navigation-${name}.png`));
}

/** The address after '#', as the app reads it. */
function address(): string {
  return decodeURIComponent(new URL(page.url()).hash.replace(/^#/, ''));
}

function open(hashPath: string): Promise<unknown> {
  return page.goto(`${new URL(web!.url).origin}/#${hashPath}`);
}

function heading(name: string) {
  return page.getByRole('heading', { level: 1, name });
}

const mainNav = () => page.getByRole('navigation', { name: 'Main navigation' });
const serverNav = () => page.getByRole('navigation', { name: 'Pages of Customer DB' });

/** The names of the items marked aria-current="page" in a navigation. */
async function current(nav: ReturnType<typeof mainNav>): Promise<string[]> {
  return nav.locator('[aria-current="page"]').allTextContents();
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-e2e-nav-'));
  fs.mkdirSync(shots, { recursive: true });
  const staticDir = path.join(tmp, 'renderer');
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  await buildRenderer(staticDir);
  const secrets = await openVault(path.join(dataDir, 'vault.json'), 'e2e vault passphrase');
  core = await createAppCore({ dataDir, secrets, transport: 'web' });
  const added = await core.dispatch('servers.add', {
    name: 'Customer DB',
    host: '127.0.0.1',
    port: 1,
    user: 'root',
    auth: { kind: 'generate' },
  });
  if (!added.ok) throw new Error(`servers.add failed: ${JSON.stringify(added)}`);
  serverId = (added.value as { id: string }).id;
  web = await startWebServer({ core, staticDir });

  browser = await launchChromium();
  const context = await browser.newContext({
    locale: 'en-GB',
    viewport: { width: 1280, height: 900 },
  });
  page = await context.newPage();
  page.on('pageerror', (err) => uncaught.push(err.message));
});

afterAll(async () => {
  await stopInOrder([
    ['browser', () => browser?.close()],
    ['web server', () => web?.close()],
    ['core', () => core?.close()],
  ]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('navigation by address', () => {
  it('opens on the overview and writes its address', async () => {
    await page.goto(web!.url);
    await heading('Overview').waitFor();
    await expect.poll(address).toBe('/fleet');
    expect(new URL(page.url()).search).toBe('');
    expect(await current(mainNav())).toEqual(['Overview']);
  });

  it('opens a deep link to a timeline moment, and a reload stays there', async () => {
    const link = `/servers/${serverId}/timeline?at=${encodeURIComponent(AT)}`;
    await open(link);
    await heading('Timeline and restore: Customer DB').waitFor();
    expect(await current(serverNav())).toEqual(['Timeline']);
    expect(await current(mainNav())).toEqual(['Overview']);
    await shot('1-timeline-deep-link');

    await page.reload();
    await heading('Timeline and restore: Customer DB').waitFor();
    expect(address()).toBe(`/servers/${serverId}/timeline?at=${AT}`);
    expect(await current(serverNav())).toEqual(['Timeline']);
  });

  it('walks the server pages with Back and Forward', async () => {
    await serverNav().getByRole('link', { name: 'Restore drills' }).click();
    await heading('Restore drills: Customer DB').waitFor();
    expect(address()).toBe(`/servers/${serverId}/drills`);
    expect(await current(serverNav())).toEqual(['Restore drills']);

    await serverNav().getByRole('link', { name: 'Connection' }).click();
    await heading('Customer DB').waitFor();
    expect(address()).toBe(`/servers/${serverId}`);
    expect(await current(serverNav())).toEqual(['Connection']);
    expect(await current(mainNav())).toEqual(['Servers']);

    await page.goBack();
    await heading('Restore drills: Customer DB').waitFor();
    await page.goBack();
    await heading('Timeline and restore: Customer DB').waitFor();
    expect(address()).toBe(`/servers/${serverId}/timeline?at=${AT}`);
    await page.goForward();
    await heading('Restore drills: Customer DB').waitFor();
    expect(await current(serverNav())).toEqual(['Restore drills']);
    await page.goForward();
    await heading('Customer DB').waitFor();
  });

  it('gives a drill report its own address: a deep link opens it, Back closes it', async () => {
    await open(`/servers/${serverId}/status`);
    await heading('Backup status: Customer DB').waitFor();
    expect(await current(serverNav())).toEqual(['Status']);
    await open(`/servers/${serverId}/drills/${DRILL}`);
    const report = page.getByRole('dialog', { name: `Drill report ${DRILL}` });
    await report.waitFor();
    await page.reload();
    await report.waitFor();
    await shot('2-report-deep-link');

    await page.goBack();
    await report.waitFor({ state: 'detached' });
    await heading('Backup status: Customer DB').waitFor();
    await page.goForward();
    await report.waitFor();
    await report.getByRole('button', { name: 'Close' }).click();
    await report.waitFor({ state: 'detached' });
    expect(address()).toBe(`/servers/${serverId}/drills`);
    await heading('Restore drills: Customer DB').waitFor();
  });

  it('marks the top navigation for each section', async () => {
    await mainNav().getByRole('button', { name: 'Add server' }).click();
    expect(address()).toBe('/servers/new');
    expect(await current(mainNav())).toEqual(['Add server']);
    expect(await serverNav().count()).toBe(0);
    await mainNav().getByRole('button', { name: 'Scratch environments' }).click();
    await heading('Scratch environments').waitFor();
    expect(address()).toBe('/scratch');
    expect(await current(mainNav())).toEqual(['Scratch environments']);
    await page.goBack();
    await page.getByLabel('Name', { exact: true }).waitFor();
    expect(await current(mainNav())).toEqual(['Add server']);
  });

  it('keeps the top navigation on one line at 1280 px, in German and English', async () => {
    // Every item on the same row and no label broken over two lines: a Range over a label's
    // text has one box per line it takes. In-page code as text (no DOM types in node's tsconfig).
    const lines = (): Promise<{ name: string; top: number; lines: number }[]> =>
      page.evaluate(`[...document.querySelectorAll('nav.nav > *')].map((item) => {
        const range = document.createRange();
        range.selectNodeContents(item);
        return { name: item.textContent, top: item.offsetTop, lines: range.getClientRects().length };
      })`);
    for (const lang of ['de', 'en']) {
      await page.getByRole('combobox', { name: /^(Sprache|Language)$/ }).selectOption(lang);
      await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe(lang);
      const items = await lines();
      expect(items).toHaveLength(10);
      expect(items.filter((i) => i.lines !== 1 || i.top !== items[0]?.top)).toEqual([]);
      await shot(`2b-navigation-${lang}`);
    }
  });

  it('says "page not found" for an unknown address and links home', async () => {
    for (const junk of ['/nope', `/servers/${serverId}/unknown`, '/servers/x/timeline?at=soon']) {
      await open(junk);
      await heading('Page not found').waitFor();
      expect(await current(mainNav())).toEqual([]);
    }
    await shot('3-not-found');
    await page.getByRole('link', { name: 'Go to the overview' }).click();
    await heading('Overview').waitFor();
    expect(address()).toBe('/fleet');

    await page.getByLabel('Language').selectOption('de');
    await open('/nope');
    await heading('Seite nicht gefunden').waitFor();
    await page.getByRole('link', { name: 'Zur Übersicht' }).waitFor();
  });

  it('raised no uncaught errors in the page', () => {
    expect(uncaught).toEqual([]);
  });
});
