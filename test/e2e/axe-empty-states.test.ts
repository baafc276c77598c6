import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { AppError } from '../../electron/services/app-error';
import { openVault } from '../../electron/services/secrets/vault';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { buildRenderer, launchChromium } from '../harness/browser';
import { translate } from '../../renderer/app/i18n/translate';
import { problems, walkConsole, type WalkPage } from './axe-walk';
import { stopInOrder } from '../harness/stop-in-order';

// The axe walk (issue 16) over the states a console shows before and without data: a server
// record whose SSH port has nothing listening (no agent, so "Nicht gesichert", disabled
// actions with their reasons, the connection error worded), its every page, the add-server
// form, jobs and scratch environments, in German and English. The pages filled with data (a
// protected server, its timeline, a drill report) are walked by drills.test.ts, which has
// them. No SSH, PostgreSQL or S3 here: the browser and the app core only.

let core: AppCore | undefined;
let web: WebServer | undefined;
let browser: Browser | undefined;
let page: Page;
let tmp: string;
let serverId = '';
const uncaught: string[] = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-e2e-axe-'));
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
  // A job that failed as a connect to the closed port does, so the jobs page has a row and
  // a worded error to show (servers.connect refuses a server whose key nobody confirmed).
  const job = core.jobs.start({
    kind: 'server.detect',
    title: 'Connect to Customer DB',
    subjectId: serverId,
    run: () => {
      throw new AppError('SSH_UNREACHABLE', 'connect ECONNREFUSED 127.0.0.1:1');
    },
  });
  await core.jobs.wait(job.id);
  web = await startWebServer({ core, staticDir });
  browser = await launchChromium();
  const context = await browser.newContext({
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1440, height: 900 },
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

describe('axe walk without data', () => {
  it('finds no WCAG 2.1 A/AA violation, no English sentence and no raw code on any page', async () => {
    await page.goto(web!.url);
    await page.locator('h1').first().waitFor();
    const id = encodeURIComponent(serverId);
    const pages: WalkPage[] = [
      { name: 'empty-overview', path: '/fleet' },
      { name: 'empty-servers', path: '/servers' },
      { name: 'empty-add-server', path: '/servers/new' },
      { name: 'empty-server', path: `/servers/${id}` },
      { name: 'empty-status', path: `/servers/${id}/status` },
      { name: 'empty-timeline', path: `/servers/${id}/timeline` },
      { name: 'empty-restore', path: `/servers/${id}/restore` },
      { name: 'empty-drills', path: `/servers/${id}/drills` },
      { name: 'empty-install', path: `/servers/${id}/install` },
      { name: 'empty-scratch', path: '/scratch' },
      { name: 'empty-jobs', path: '/jobs' },
      { name: 'verify-report', path: '/reports/verify' },
      { name: 'help', path: '/help' },
      { name: 'about', path: '/about' },
      { name: 'settings', path: '/settings' },
      { name: 'not-found', path: '/no/such/page' },
    ];
    const findings = await walkConsole(page, new URL(web!.url).origin, pages);
    expect(findings).toHaveLength(pages.length * 2);
    expect(problems(findings)).toEqual([]);
    expect(uncaught).toEqual([]);
  }, 240_000);

  it('settings: reached from the navigation, the language chosen there is remembered', async () => {
    await page.goto(web!.url);
    await page.locator('h1').first().waitFor();
    await page.getByRole('button', { name: /^(Einstellungen|Settings)$/ }).click();
    expect(new URL(page.url()).hash).toBe('#/settings');
    await page.getByRole('radio', { name: 'Deutsch' }).check();
    await expect
      .poll(() => page.locator('h1').first().textContent())
      .toBe(translate('de', 'settings.title'));
    expect(
      await page
        .getByRole('button', { name: translate('de', 'settings.nav') })
        .getAttribute('aria-current'),
    ).toBe('page');
    await page.reload();
    await expect
      .poll(() => page.locator('h1').first().textContent())
      .toBe(translate('de', 'settings.title'));
    expect(await page.evaluate('document.documentElement.lang')).toBe('de');
    expect(await page.getByTestId('settings-reports-dir').textContent()).toBe(
      path.join(tmp, 'data', 'reports'),
    );
    expect(await page.getByTestId('settings-drill-interval').textContent()).toBe(
      'alle 91 Tage (vierteljährlich)',
    );
    expect(uncaught).toEqual([]);
  });
});
