import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/contract';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { AppError } from '../../electron/services/app-error';
import { openVault } from '../../electron/services/secrets/vault';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { buildRenderer, launchChromium, screenshot } from '../harness/browser';
import { stopInOrder } from '../harness/stop-in-order';

// Honest states and jobs as history (issue 16 §2, §4), in German, in browser mode against the
// real app core. The one server is a record whose SSH port has nothing listening and no agent:
// it is red "Nicht gesichert" (never grey "unknown"), and restoring from it is shown disabled
// with the reason and the next step. A job it ran (a failed connect) is in the history after
// the app restarts (a new app core over the same store), with who started it and a link to
// its result; a dismissed job stays gone after a reload.

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = path.join(root, 'test-results');
const VAULT_PASSPHRASE = 'e2e vault passphrase';

let core: AppCore | undefined;
let web: WebServer | undefined;
let browser: Browser | undefined;
let page: Page;
let tmp: string;
let dataDir: string;
let staticDir: string;
let serverId = '';
const uncaught: string[] = [];

async function shot(name: string): Promise<void> {
  await screenshot(page, path.join(shots, `e2e-honest-${name}.png`));
}

function address(): string {
  return decodeURIComponent(new URL(page.url()).hash.replace(/^#/, ''));
}

/** The app as it starts: the store in dataDir, the console served with a fresh token. */
async function startApp(): Promise<void> {
  const secrets = await openVault(path.join(dataDir, 'vault.json'), VAULT_PASSPHRASE);
  core = await createAppCore({ dataDir, secrets, transport: 'web' });
  web = await startWebServer({ core, staticDir });
}

async function stopApp(): Promise<void> {
  await web?.close();
  await core?.close();
  web = undefined;
  core = undefined;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-e2e-honest-'));
  fs.mkdirSync(shots, { recursive: true });
  staticDir = path.join(tmp, 'renderer');
  dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  await buildRenderer(staticDir);
  await startApp();
  const added = await core!.dispatch('servers.add', {
    name: 'Kunden-DB',
    host: '127.0.0.1',
    port: 1,
    user: 'root',
    auth: { kind: 'generate' },
  });
  if (!added.ok) throw new Error(`servers.add failed: ${JSON.stringify(added)}`);
  serverId = (added.value as { id: string }).id;

  browser = await launchChromium();
  const context = await browser.newContext({
    locale: 'de-DE',
    viewport: { width: 1440, height: 900 },
  });
  page = await context.newPage();
  page.on('pageerror', (err) => uncaught.push(err.message));
});

afterAll(async () => {
  await stopInOrder([
    ['browser', () => browser?.close()],
    ['app', () => stopApp()],
  ]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a server without backups', () => {
  it('is red "Nicht gesichert" in the overview, with the way to set backups up', async () => {
    await page.goto(web!.url);
    await page.getByRole('heading', { level: 1, name: 'Übersicht' }).waitFor();
    const row = page.getByTestId('fleet').locator('tr', { hasText: 'Kunden-DB' });
    await row.getByText('Nicht gesichert').waitFor();
    expect(await row.getAttribute('data-level')).toBe('notProtected');
    expect(await row.locator('.badge--danger').textContent()).toContain('Nicht gesichert');
    expect(await row.textContent()).not.toContain('Unbekannt');
    await row.getByRole('button', { name: 'Sicherung einrichten: Kunden-DB' }).waitFor();
    await shot('1-fleet-not-protected');
  });

  it('offers restore disabled, says why, and leads to the setup', async () => {
    await page.goto(`${new URL(web!.url).origin}/#/servers/${serverId}/timeline`);
    await page
      .getByRole('heading', { level: 1, name: 'Zeitleiste und Wiederherstellung: Kunden-DB' })
      .waitFor();
    const state = page.getByTestId('not-set-up-state');
    await state.waitFor();
    expect(await page.getByTestId('overall-level').textContent()).toContain('Nicht gesichert');
    const restore = state.getByRole('button', { name: 'Wiederherstellen' });
    expect(await restore.isDisabled()).toBe(true);
    // The disabled button is described by the reason, for screen readers too.
    const why = await restore.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${why}"]`).textContent()).toContain(
      'Auf Kunden-DB ist keine Sicherung eingerichtet',
    );
    expect(
      await state.getByRole('button', { name: 'Wiederherstellungspunkt jetzt' }).isDisabled(),
    ).toBe(true);
    await shot('2-restore-disabled');

    // Drills: run and settings disabled the same way; the status page says it in red too.
    await page.goto(`${new URL(web!.url).origin}/#/servers/${serverId}/drills`);
    await page
      .getByRole('heading', { level: 1, name: 'Wiederherstellungsübungen: Kunden-DB' })
      .waitFor();
    expect(
      await page.getByRole('button', { name: 'Wiederherstellungsübung starten' }).isDisabled(),
    ).toBe(true);
    expect(await page.getByTestId('drills-error').count()).toBe(0);

    await page
      .getByTestId('not-set-up-state')
      .getByRole('button', { name: 'Sicherung einrichten' })
      .click();
    await expect.poll(address).toBe(`/servers/${serverId}/install`);
  });
});

describe('jobs as history', () => {
  it('keeps a job across an app restart, with who started it and a link to its result', async () => {
    // A connect that fails as one to this server does once its host key is confirmed (nothing
    // listens on port 1); started on the app's own job runner, since servers.connect refuses a
    // server whose key nobody confirmed before any job exists.
    const job = core!.jobs.start({
      kind: 'server.detect',
      title: 'Connect to Kunden-DB',
      subjectId: serverId,
      run: () => {
        throw new AppError('SSH_UNREACHABLE', 'connect ECONNREFUSED 127.0.0.1:1');
      },
    });
    const jobId = job.id;
    const ended = (await core!.jobs.wait(jobId)) as Job;
    expect(ended.state).toBe('failed');

    await stopApp();
    await startApp();
    await page.goto(`${web!.url}#/jobs`);
    await page.getByRole('heading', { level: 1, name: 'Auftragsverlauf' }).waitFor();
    const row = page.locator(`tr[data-job-id="${jobId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-job-state')).toBe('failed');
    expect(await row.getByRole('rowheader').textContent()).toContain('Mit Kunden-DB verbinden');
    // The phase it failed in, in German (the runner's 'starting', not shown in English).
    expect(await row.getByTestId('job-phase').textContent()).toBe(
      'Fehlgeschlagen in Phase: Wird gestartet',
    );
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toBe('Kunden-DB');
    expect(cells[1]).toContain('fehlgeschlagen');
    // Started and ended as German dates, a duration, and the app's OS user.
    expect(cells[2]).toMatch(/\d{2}\.\d{2}\.\d{4}/);
    expect(cells[3]).toMatch(/\d{2}\.\d{2}\.\d{4}/);
    expect(cells[5]).toBe(os.userInfo().username);
    // A failed job says what to do, in German, with the code in small print.
    expect(await row.locator('[data-error-code]').count()).toBe(1);
    await shot('3-job-history-after-restart');

    // The filter narrows the list; nothing matches "erfolgreich".
    await page.getByLabel('Zustand').selectOption('succeeded');
    await page.getByText('Kein Auftrag passt zu diesem Filter.').waitFor();
    await page.getByLabel('Zustand').selectOption('failed');
    await row.waitFor();

    await row.getByRole('link', { name: 'Ergebnis öffnen: Mit Kunden-DB verbinden' }).click();
    await expect.poll(address).toBe(`/servers/${serverId}`);
    await page.goBack();
    await row.waitFor();

    await row.getByRole('button', { name: 'Ausblenden: Mit Kunden-DB verbinden' }).click();
    await row.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Auftragsverlauf' }).waitFor();
    await page.locator('p.empty', { hasText: 'Noch keine Aufträge.' }).waitFor();
    expect(await page.locator(`tr[data-job-id="${jobId}"]`).count()).toBe(0);
  });

  it('raised no uncaught errors in the page', () => {
    expect(uncaught).toEqual([]);
  });
});
