import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildRenderer, launchChromium, screenshot } from '../harness/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { openVault } from '../../electron/services/secrets/vault';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { startPostgres, startSshd, type PostgresCluster, type SshdServer } from '../harness';
import { translate, type MessageKey, type Params } from '../../renderer/app/i18n/translate';
import { stopInOrder } from '../harness/stop-in-order';

// Browser mode end to end: the built renderer in headless Chromium, over the WebSocket bridge,
// against the real app core, a real sshd and a real PostgreSQL 15 cluster on this machine.

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = path.join(root, 'test-results');

let pg: PostgresCluster | undefined;
let sshd: SshdServer | undefined;
let core: AppCore | undefined;
let web: WebServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
let tmp: string;
const pageErrors: string[] = [];
const de = (key: MessageKey, params?: Params) => translate('de', key, params);

/** Full-page shots, except with a modal open: its fixed backdrop covers only the viewport. */
async function shot(name: string, fullPage = true): Promise<void> {
  await screenshot(page, path.join(shots, `e2e-add-server-${name}.png`), fullPage);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-e2e-'));
  fs.mkdirSync(shots, { recursive: true });
  const staticDir = path.join(tmp, 'renderer');
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir, { recursive: true });

  [pg, sshd] = await Promise.all([startPostgres(), startSshd(), buildRenderer(staticDir)]);
  const secrets = await openVault(path.join(dataDir, 'vault.json'), 'e2e vault passphrase');
  core = await createAppCore({ dataDir, secrets, transport: 'web' });
  web = await startWebServer({ core, staticDir });

  browser = await launchChromium();
  context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
});

afterAll(async () => {
  // Every piece is stopped even when an earlier one fails to.
  await stopInOrder([
    ['browser', () => browser?.close()],
    ['web server', () => web?.close()],
    ['core', () => core?.close()],
    ['sshd', () => sshd?.stop()],
    ['postgres', () => pg?.stop()],
  ]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('add a server in browser mode', () => {
  let firstFingerprint = '';

  it('opens with the token, then takes it out of the address bar', async () => {
    await page.goto(web!.url);
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Servers' }).isVisible())
      .toBe(true);
    expect(page.url()).not.toContain('token=');
    // A string, not a function: this file is type-checked without the DOM lib.
    expect(await page.evaluate("sessionStorage.getItem('kumiko.token')")).toBe(web!.token);
    await expect
      .poll(() => page.getByText('No servers yet').isVisible(), { timeout: 10_000 })
      .toBe(true);
  });

  it('adds the sshd with a pasted key and shows exactly its host key fingerprint', async () => {
    const s = sshd!;
    firstFingerprint = s.hostFingerprint;
    await page.getByRole('navigation').getByRole('button', { name: 'Add server' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Customer DB');
    const port = page.getByLabel('SSH port');
    expect(await port.inputValue()).toBe('22');
    await port.fill(String(s.port));
    expect(await page.getByLabel('SSH user').inputValue()).toBe('root');
    await page.getByLabel('Use my private key').check();
    await page.getByLabel('Private key', { exact: true }).fill(s.clientPrivateKey);
    const submit = page.locator('form').getByRole('button', { name: 'Add server' });

    // Main validates: a host with a space is INVALID_INPUT, worded per field from the catalog
    // (since 38f0f5f), with the code in the details.
    await page.getByLabel('Host name or IP address').fill('not a host');
    await submit.click();
    const error = page.getByRole('alert').filter({ hasText: 'INVALID_INPUT' });
    await error.waitFor();
    expect(await error.textContent()).toContain(
      'Host: this does not have the expected form. Check it for typing errors.',
    );
    await shot('0-invalid-input');

    await page.getByLabel('Host name or IP address').fill(s.host);
    await submit.click();

    const dialog = page.getByRole('dialog', { name: 'Verify the server’s host key' });
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    expect(await dialog.getByTestId('host-key-fingerprint').textContent()).toBe(firstFingerprint);
    await expect
      .poll(() => dialog.textContent())
      .toContain('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub');

    // Focus starts on Cancel and stays inside the dialog.
    expect(await page.locator(':focus').textContent()).toBe('Cancel');
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await dialog.locator(':focus').count()).toBe(1);
    }
    await shot('1-fingerprint', false);
  });

  it('trusts the key, connects and shows the detected PostgreSQL 15 cluster', async () => {
    await page.getByRole('button', { name: 'Trust and connect' }).click();
    await page.getByRole('heading', { level: 1, name: 'Customer DB' }).waitFor();
    const status = page.getByTestId('server-status');
    await expect.poll(() => status.textContent(), { timeout: 90_000 }).toBe('Connected');
    expect(await page.getByTestId('pinned-fingerprint').textContent()).toBe(firstFingerprint);

    // Other tests may run their own clusters on this machine: pick ours by data directory.
    const row = page.getByTestId('clusters').getByRole('row').filter({ hasText: pg!.dataDir });
    await row.waitFor();
    const cells = row.getByRole('cell');
    expect(await cells.nth(0).textContent()).toMatch(/^PostgreSQL 15/);
    expect(await cells.nth(2).textContent()).toBe(String(pg!.port));
    expect(await cells.nth(3).textContent()).toBe('on');
    expect(await cells.nth(4).textContent()).toBe('running');
    // Its databases and sizes, detected on connect (issue 16 §5).
    expect(await cells.nth(5).textContent()).toMatch(/databases?: .*\bpostgres \(\d[\d.,]* MB\)/);
    expect(await page.getByTestId('disks').getByRole('row').count()).toBeGreaterThan(1);
    expect(await page.getByTestId('detect-os').textContent()).not.toBe('');
    await shot('2-detected');
  });

  it('generates a key pair, asks again after Escape, connects, and removes the server', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Add server' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Generated key');
    await page.getByLabel('Host name or IP address').fill(sshd!.host);
    await page.getByLabel('SSH port').fill(String(sshd!.port));
    await page.getByLabel('Generate a key pair for me').check();
    await page.locator('form').getByRole('button', { name: 'Add server' }).click();

    const publicKey = await page.getByLabel('Public key', { exact: true }).inputValue();
    expect(publicKey).toMatch(/^ssh-ed25519 AAAA\S+ /);
    expect(
      await page.getByText('~/.ssh/authorized_keys', { exact: false }).count(),
    ).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Copy' }).waitFor();
    sshd!.addAuthorizedKey(publicKey);
    await page.getByRole('button', { name: 'I have installed the key, continue' }).click();

    // Escape cancels: nothing is trusted, the page says so.
    const dialog = page.getByRole('dialog');
    await dialog.waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('The host key was not trusted').waitFor();
    await page.getByRole('button', { name: 'Open server page' }).click();
    await page.getByRole('heading', { level: 1, name: 'Generated key' }).waitFor();
    expect(await page.getByText('not pinned yet').isVisible()).toBe(true);

    // The flow lived in memory only: after a reload the page still says the key was never
    // trusted and offers to check it (issue 16 §4; before, the hint was gone).
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Generated key' }).waitFor();
    const untrusted = page.getByTestId('host-key-untrusted');
    await untrusted.waitFor();
    expect(await untrusted.textContent()).toContain('Host key not trusted yet');
    await untrusted.getByRole('button', { name: 'Check host key' }).click();
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('host-key-fingerprint').textContent()).toBe(firstFingerprint);
    await dialog.getByRole('button', { name: 'Trust and connect' }).click();
    await expect
      .poll(() => page.getByTestId('server-status').textContent(), { timeout: 90_000 })
      .toBe('Connected');

    await page.getByRole('button', { name: 'Remove server' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove Generated key?' });
    await confirm.waitFor();
    await shot('2b-remove-dialog', false);
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Servers' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Generated key' }).count()).toBe(0);
    await shot('2c-list');
    await page.getByRole('button', { name: 'Customer DB' }).click();
    await page.getByRole('heading', { level: 1, name: 'Customer DB' }).waitFor();
  });

  it('refuses a changed host key with a red warning and both fingerprints', async () => {
    await sshd!.regenerateHostKey();
    const newFingerprint = sshd!.hostFingerprint;
    expect(newFingerprint).not.toBe(firstFingerprint);

    await page.getByRole('button', { name: 'Connect / re-detect' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'possible man-in-the-middle attack' });
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.textContent()).toContain(
      'The server’s host key has changed — possible man-in-the-middle attack. Connection refused.',
    );
    expect(await alert.getByTestId('host-key-old').textContent()).toBe(firstFingerprint);
    await expect
      .poll(() => alert.getByTestId('host-key-new').textContent(), { timeout: 30_000 })
      .toBe(newFingerprint);
    // No one-click accept.
    expect(await alert.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('button', { name: /trust|accept/i }).count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('server-status').textContent(), { timeout: 30_000 })
      .toBe('Host key changed');
    expect(await page.getByTestId('pinned-fingerprint').textContent()).toBe(firstFingerprint);
    await shot('3-host-key-changed');
  });

  it('switches to German, formats the German way and keeps the choice across a reload', async () => {
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('button', { name: 'Verbinden / neu erkennen' }).waitFor();
    expect(await page.getByTestId('server-status').textContent()).toBe('Host-Schlüssel geändert');
    expect(await page.getByRole('heading', { name: 'Erkanntes System' }).isVisible()).toBe(true);
    expect(await page.getByLabel('Sprache').inputValue()).toBe('de');
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    // German dates: dd.mm.yyyy, hh:mm.
    expect(await page.getByText(/^Erkannt am \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/).count()).toBe(1);
    await shot('4-german');

    // The token lives in sessionStorage, the language in localStorage, the page in the address:
    // a reload keeps all three. The server list is one click away.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Customer DB' }).waitFor();
    await expect
      .poll(() => page.getByTestId('server-status').textContent())
      .toBe('Host-Schlüssel geändert');
    await page
      .getByRole('navigation', { name: 'Hauptnavigation' })
      .getByRole('button', { name: 'Server', exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Server' }).waitFor();
    await page.getByRole('button', { name: 'Customer DB' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Customer DB' }).textContent()).toContain(
      'Host-Schlüssel geändert',
    );
  });

  it('words a refused SSH key as a German sentence with the next step, the code in small print', async () => {
    // A key the sshd does not know: the server refuses the login (SSH_AUTH_FAILED from main).
    const keyPath = path.join(tmp, 'unknown_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
    await page
      .getByRole('navigation', { name: de('app.nav') })
      .getByRole('button', { name: de('servers.add') })
      .click();
    await page.getByLabel(de('add.name'), { exact: true }).fill('Unbekannter Schlüssel');
    await page.getByLabel(de('add.host')).fill(sshd!.host);
    await page.getByLabel(de('add.port')).fill(String(sshd!.port));
    await page.getByLabel(de('add.auth.privateKey')).check();
    await page
      .getByLabel(de('add.privateKey'), { exact: true })
      .fill(fs.readFileSync(keyPath, 'utf8'));
    await page
      .locator('form')
      .getByRole('button', { name: de('add.submit') })
      .click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: de('hostKey.trust') })
      .click();

    const alert = page.getByTestId('connect-error');
    await alert.waitFor({ timeout: 90_000 });
    const heading = (await alert.locator('.alert__title').innerText()).trim();
    expect(heading).toBe(de('error.SSH_AUTH_FAILED'));
    expect(heading).toMatch(/^Der Server hat die SSH-Anmeldung abgelehnt\. Prüfen Sie /);
    const shown = await alert.innerText();
    expect(shown).toContain(
      de('error.SSH_AUTH_FAILED.keyRefused', { where: `${sshd!.host}:${sshd!.port}` }),
    );
    // The code only in small print, main's English message only folded away.
    expect(shown.split('SSH_AUTH_FAILED')).toHaveLength(2);
    expect(shown).toContain(de('common.errorCode', { code: 'SSH_AUTH_FAILED' }));
    expect(shown).not.toContain('refused the SSH key');
    // The jobs panel words the job by its kind, not with main's English title.
    const job = page.locator('.job').filter({ hasText: 'Unbekannter Schlüssel' });
    expect(await job.locator('.job__title').innerText()).toBe(
      de('jobs.title.server.detect', { name: 'Unbekannter Schlüssel' }),
    );
    expect(await job.innerText()).toContain(de('error.SSH_AUTH_FAILED'));
    await shot('5-german-auth-error');

    // After a reload the failure is still worded: the server keeps it as code and reason.
    await page.reload();
    const status = page.locator('.status-message');
    await status.waitFor();
    expect(await status.innerText()).toContain(de('error.SSH_AUTH_FAILED'));
    expect(await status.innerText()).not.toContain('refused the SSH key');
  });

  it('shows Help and About (version, licences of the bundled packages) from the navigation', async () => {
    const nav = page.getByRole('navigation', { name: de('app.nav') });
    await nav.getByRole('button', { name: de('help.nav'), exact: true }).click();
    await page.getByRole('heading', { level: 1, name: de('help.title') }).waitFor();
    expect(await page.getByTestId('help-drill').innerText()).toContain('docs/DESIGN.md §5');
    expect(
      await nav
        .getByRole('button', { name: de('help.nav'), exact: true })
        .getAttribute('aria-current'),
    ).toBe('page');
    await shot('6-help');

    await nav.getByRole('button', { name: de('about.nav'), exact: true }).click();
    await page.getByRole('heading', { level: 1, name: de('about.title') }).waitFor();
    // A deep link survives a reload.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: de('about.title') }).waitFor();
    await expect.poll(() => page.getByTestId('about-version').innerText()).toBe('0.1.0');
    const rows = page.getByTestId('about-licences').getByRole('row');
    expect(await rows.count()).toBeGreaterThan(50);
    const react = rows.filter({ has: page.getByRole('rowheader', { name: 'react', exact: true }) });
    expect(await react.getByRole('cell').last().innerText()).toBe('MIT');
    await shot('7-about', false);
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
