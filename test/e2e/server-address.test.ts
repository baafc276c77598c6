import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../shared/contract';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { openVault } from '../../electron/services/secrets/vault';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { translate, type MessageKey, type Params } from '../../renderer/app/i18n/translate';
import { buildRenderer, launchChromium } from '../harness/browser';
import { startSshd, type SshdServer } from '../harness/sshd';
import { checkShownPage, problems } from './axe-walk';
import { stopInOrder } from '../harness/stop-in-order';

// An unreachable server (issue 16 §5): its page says what to check (host, port, firewall, sshd)
// and lets the admin correct host, port and user; main's refusal of a bad port is worded in
// German; after the move the console connects and asks to confirm the host key; a new host
// drops the pin, so its key is confirmed again. A real sshd on 127.0.0.1; no PostgreSQL or S3.

const de = (key: MessageKey, params?: Params): string => translate('de', key, params);

let core: AppCore | undefined;
let web: WebServer | undefined;
let browser: Browser | undefined;
let sshd: SshdServer | undefined;
let page: Page;
let tmp: string;
let serverId = '';
const uncaught: string[] = [];

/** The server as main has it now. */
async function server(): Promise<Server> {
  const listed = await core!.dispatch('servers.list', {});
  if (!listed.ok) throw new Error(`servers.list failed: ${JSON.stringify(listed)}`);
  const found = (listed.value as Server[]).find((s) => s.id === serverId);
  if (!found) throw new Error('server gone');
  return found;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-e2e-address-'));
  const staticDir = path.join(tmp, 'renderer');
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const [started] = await Promise.all([startSshd(), buildRenderer(staticDir)]);
  sshd = started;
  const secrets = await openVault(path.join(dataDir, 'vault.json'), 'e2e vault passphrase');
  core = await createAppCore({ dataDir, secrets, transport: 'web' });
  // Port 1: nothing listens there, as when the admin typed the wrong port.
  const added = await core.dispatch('servers.add', {
    name: 'Kundendatenbank',
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
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1440, height: 900 },
  });
  page = await context.newPage();
  page.on('pageerror', (err) => uncaught.push(err.message));
}, 120_000);

afterAll(async () => {
  await stopInOrder([
    ['browser', () => browser?.close()],
    ['web server', () => web?.close()],
    ['core', () => core?.close()],
    ['sshd', () => sshd?.stop()],
  ]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('an unreachable server', () => {
  it('says what to check, and the check passes axe in German and English', async () => {
    await page.goto(web!.url);
    await page.locator('h1').first().waitFor();
    await page.goto(`${new URL(web!.url).origin}/#/servers/${encodeURIComponent(serverId)}`);
    await page.getByRole('button', { name: de('detail.connect') }).click();
    const hint = page.getByTestId('unreachable-hint');
    await hint.waitFor({ timeout: 30_000 });
    const text = await hint.textContent();
    expect(text).toContain(de('address.hint.title'));
    expect(text).toContain(de('address.hint.firewall', { port: 1 }));
    expect(text).toContain(de('address.hint.sshd'));
    // The hint and the open form, checked by axe as they stand, in German and in English (the
    // language switched in the page, which keeps both open).
    await hint.getByRole('button', { name: de('address.edit') }).click();
    await page.getByTestId('address-form').waitFor();
    const origin = new URL(web!.url).origin;
    const findings = [await checkShownPage(page, origin, 'server-unreachable', 'de')];
    const language = page.getByRole('combobox', {
      name: new RegExp(`^(${de('app.language')}|${translate('en', 'app.language')})$`),
    });
    await language.selectOption('en');
    await page.getByText(translate('en', 'address.hint.title')).waitFor();
    findings.push(await checkShownPage(page, origin, 'server-unreachable', 'en'));
    await language.selectOption('de');
    await page.getByText(de('address.hint.title')).waitFor();
    expect(problems(findings)).toEqual([]);
    await page
      .getByTestId('address-form')
      .getByRole('button', { name: de('common.cancel') })
      .click();
  }, 120_000);

  it('words main’s refusal of an invalid port in German', async () => {
    await page.getByTestId('address-edit').click();
    const form = page.getByTestId('address-form');
    await form.getByLabel(de('add.port')).fill('');
    await form.getByRole('button', { name: de('address.save') }).click();
    const error = page.getByTestId('address-error');
    await error.waitFor();
    expect(await error.getByTestId('error-details').textContent()).toBe(
      'Port: Bitte eine Zahl ab 1 eingeben.',
    );
    expect((await server()).port).toBe(1);
  });

  it('moves to the right port, connects and asks to confirm the host key', async () => {
    const form = page.getByTestId('address-form');
    await form.getByLabel(de('add.port')).fill(String(sshd!.port));
    await form.getByRole('button', { name: de('address.save') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('host-key-fingerprint').textContent()).toBe(
      sshd!.hostFingerprint,
    );
    expect((await server()).port).toBe(sshd!.port);
    await dialog.getByRole('button', { name: de('hostKey.trust') }).click();
    await expect
      .poll(async () => (await server()).hostKey?.fingerprint, { timeout: 30_000 })
      .toBe(sshd!.hostFingerprint);
    await expect.poll(() => page.getByTestId('unreachable-hint').count()).toBe(0);
  });

  it('drops the pin for a new host: its key is confirmed again', async () => {
    await page.getByTestId('address-edit').click();
    const form = page.getByTestId('address-form');
    await form.getByLabel(de('detail.host')).fill('localhost');
    await page.getByTestId('address-new-host').waitFor();
    await form.getByRole('button', { name: de('address.save') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor({ timeout: 30_000 });
    expect((await server()).host).toBe('localhost');
    expect((await server()).hostKey).toBeNull();
    await dialog.getByRole('button', { name: de('common.cancel') }).click();
    expect((await server()).hostKey).toBeNull();
    expect(uncaught).toEqual([]);
  });
});
