import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { buildRenderer, launchChromium, screenshot } from '../harness/browser';
import { startInstalledAgent, type InstalledAgent } from '../harness/installed-agent';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';
import { checkShownPage, problems } from './axe-walk';
import { stopInOrder } from '../harness/stop-in-order';

// Issue 18 §2, §3 in the console, browser mode: a server with the agent installed over SSH
// (PostgreSQL 15 with Chinook behind a private sshd) and the audit trail installed, a writer
// committing beside. In headless Chromium: find a changed track by its new name, see its
// history, preview going back (statements and diff), apply with a reason, and read the row in
// PostgreSQL; then, in German, a rollback the row changed under after the preview is refused
// with the catalog's sentence and nothing changes. Screenshots: test-results/e2e-records-*.png.

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = path.join(root, 'test-results');

let agent: InstalledAgent | undefined;
let load: WriteLoad | undefined;
let web: WebServer | undefined;
let browser: Browser | undefined;
let page: Page;
let tmp: string;
const pageErrors: string[] = [];

async function shot(name: string): Promise<void> {
  await screenshot(page, path.join(shots, `e2e-records-${name}.png`));
}

const trackRow = (id: number) =>
  agent!.pg.psql(`SELECT to_jsonb(t) FROM track t WHERE track_id = ${id}`, 'chinook');

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-e2e-records-'));
  fs.mkdirSync(shots, { recursive: true });
  const staticDir = path.join(tmp, 'renderer');
  [agent] = await Promise.all([
    startInstalledAgent({ attachedFiles: false }),
    buildRenderer(staticDir),
  ]);
  load = await startWriteLoad(agent.pg, { markerDb: 'chinook', pgbenchDb: null });
  await agent.call('audit.install', { serverId: agent.serverId, db: 'chinook', dryRun: false });
  web = await startWebServer({ core: agent.core, staticDir });
  browser = await launchChromium();
  const context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1280, height: 1000 },
  });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
}, 300_000);

afterAll(async () => {
  // Reverse order of start: nothing is left talking to a service that is already gone.
  await stopInOrder([
    ['browser', () => browser?.close()],
    ['web server', () => web?.close()],
    ['write load', () => load?.stop()],
    ['installed agent', () => agent?.stop()],
  ]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}, 180_000);

async function findByName(name: string): Promise<void> {
  const form = page.getByTestId('record-find');
  await form.locator('input[name="db"]').fill('chinook');
  await form.locator('input[name="table"]').fill('track');
  await form.locator('select[name="mode"]').selectOption('column');
  await form.locator('input[name="column"]').fill('name');
  await form.locator('input[name="value"]').fill(name);
  await form.locator('button[type="submit"]').click();
}

describe('record history page in browser mode', () => {
  it('finds a changed record, shows its history, previews and applies the rollback', async () => {
    const before = await trackRow(3);
    await agent!.pg.psql(
      "UPDATE track SET name = 'wrong', milliseconds = 1 WHERE track_id = 3",
      'chinook',
    );

    await page.goto(web!.url);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.goto(`${new URL(web!.url).origin}/#/servers/${agent!.serverId}/status`);
    await page.getByRole('link', { name: 'Record history' }).click();
    await page.getByRole('heading', { level: 1, name: 'Record history: db1' }).waitFor();

    await findByName('wrong');
    const open = page.getByTestId('matches-now').getByRole('button', {
      name: 'Show history of track_id=3',
    });
    await open.waitFor({ timeout: 30_000 });
    await open.click();
    const version = page.getByTestId('record-version');
    await version.first().waitFor({ timeout: 30_000 });
    expect(await version.count()).toBe(1);
    expect(await version.first().getAttribute('data-op')).toBe('U');
    const changed = version.first().getByTestId('version-diff').locator('tbody tr');
    expect(
      await Promise.all((await changed.all()).map((row) => row.getAttribute('data-column'))),
    ).toEqual(['name', 'milliseconds']);
    expect(await version.first().textContent()).toContain('by postgres');
    await shot('history');

    await version
      .first()
      .getByRole('button', { name: 'Preview: back to before this change' })
      .click();
    const preview = page.getByTestId('rollback-preview');
    await preview.waitFor({ timeout: 30_000 });
    expect(await preview.getAttribute('data-action')).toBe('update');
    expect(await page.getByTestId('rollback-statements').textContent()).toMatch(/^UPDATE /);
    const old = JSON.parse(before) as { name: string };
    const nameRow = page.getByTestId('rollback-diff').locator('tr[data-column="name"]');
    expect(await nameRow.locator('td').allTextContents()).toEqual(['wrong', old.name]);
    await shot('preview');

    await preview.getByRole('button', { name: 'Apply rollback…' }).click();
    const dialog = page.getByTestId('rollback-confirm');
    const confirm = dialog.getByRole('button', { name: 'Roll back now' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog
      .getByLabel('Reason (recorded with your name in the audit trail)')
      .fill('ticket 4711');
    await shot('confirm');
    await confirm.click();
    await page.getByTestId('rollback-applied').waitFor({ timeout: 30_000 });

    expect(await trackRow(3)).toBe(before);
    // The rollback itself is the newest version now, with who asked and why.
    await page.locator('[data-testid="record-version"]').nth(1).waitFor({ timeout: 30_000 });
    expect(await version.first().textContent()).toContain('ticket 4711');
    expect(await version.first().textContent()).toContain('kumiko rollback');
    await shot('applied');
    // The page with data, as it stands: axe's WCAG 2.1 AA rules (axe-walk.ts).
    expect(
      problems([await checkShownPage(page, new URL(web!.url).origin, 'records', 'en')]),
    ).toEqual([]);
  });

  it('shows a refusal in German when the row changed after the preview, and changes nothing', async () => {
    await page.getByLabel('Language').selectOption('de');
    await agent!.pg.psql("UPDATE track SET name = 'bad' WHERE track_id = 5", 'chinook');
    await findByName('bad');
    const open = page.getByTestId('matches-now').getByRole('button', {
      name: 'Verlauf von track_id=5 zeigen',
    });
    await open.waitFor({ timeout: 30_000 });
    await open.click();
    const version = page.getByTestId('record-version');
    await version.first().waitFor({ timeout: 30_000 });
    await version
      .first()
      .getByRole('button', { name: 'Vorschau: zurück vor diese Änderung' })
      .click();
    await page.getByTestId('rollback-preview').waitFor({ timeout: 30_000 });

    await agent!.pg.psql("UPDATE track SET name = 'someone else' WHERE track_id = 5", 'chinook');
    await page.getByRole('button', { name: 'Rücknahme ausführen…' }).click();
    const dialog = page.getByTestId('rollback-confirm');
    await dialog
      .getByLabel('Grund (mit Ihrem Namen im Änderungsprotokoll vermerkt)')
      .fill('Ticket 4712');
    await dialog.getByRole('button', { name: 'Jetzt zurücksetzen' }).click();

    const refusal = page.getByTestId('rollback-refusal').first();
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.locator('[data-refusal]').getAttribute('data-refusal')).toBe(
      'changed-after-preview',
    );
    const { de } = await import('../../renderer/app/i18n/de');
    expect(await refusal.locator('[data-refusal]').textContent()).toBe(
      de['phrase.rollback.refusal.changedAfterPreview'],
    );
    expect(await agent!.pg.psql('SELECT name FROM track WHERE track_id = 5', 'chinook')).toBe(
      'someone else',
    );
    await shot('refused-de');
    // In German: axe, no sentence of the English catalog, no raw error code.
    expect(
      problems([await checkShownPage(page, new URL(web!.url).origin, 'records', 'de')]),
    ).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('restores one customer as of a moment: progress, preview by table, apply', async () => {
    await page.getByLabel('Sprache').selectOption('en');
    await agent!.call('gdpr.map', {
      serverId: agent!.serverId,
      database: 'chinook',
      root: 'customer.customer_id',
      save: true,
    });
    const company = (id: number) =>
      agent!.pg.psql(`SELECT company FROM customer WHERE customer_id = ${id}`, 'chinook');
    const before = await company(5);
    // The moment, a whole second, as the admin reads it in Berlin; then the bad batch.
    const second = Math.ceil((Date.now() + 1) / 1000) * 1000;
    await new Promise((resolve) => setTimeout(resolve, second - Date.now() + 1100));
    await agent!.pg.psql(
      "UPDATE customer SET company = 'Batch GmbH' WHERE customer_id IN (5, 6)",
      'chinook',
    );
    const wal = await agent!.pg.psql('SELECT pg_walfile_name(pg_switch_wal())', 'chinook');
    for (let i = 0; i < 120; i++) {
      const last = await agent!.pg.psql('SELECT last_archived_wal FROM pg_stat_archiver');
      if (last >= wal) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const berlin = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    }).format(new Date(second));
    const [date, time] = berlin.split(' ') as [string, string];

    const panel = page.getByTestId('subject-restore');
    await panel.getByRole('heading', { name: 'One customer as of a moment' }).waitFor();
    expect(await page.getByTestId('subject-duration').textContent()).toContain(
      'This takes minutes, not seconds',
    );
    const form = page.getByTestId('subject-form');
    await form.locator('input[name="subject-db"]').fill('chinook');
    await form.locator('input[name="subject-value"]').fill('5');
    await form.locator('input[name="subject-date"]').fill(date);
    await form.locator('input[name="subject-time"]').fill(time);
    await form.locator('button[type="submit"]').click();
    const preview = page.getByTestId('subject-preview');
    await preview.waitFor({ timeout: 120_000 });
    const customer = preview.locator('[data-table="public.customer"] h4');
    expect(await customer.textContent()).toBe(
      'public.customer: 0 to insert, 1 to change, 0 to delete',
    );
    expect(
      await preview
        .locator('[data-table="public.customer"] tr[data-column="company"] td')
        .allTextContents(),
    ).toEqual(['Batch GmbH', before]);
    await shot('subject-preview');

    await preview.getByRole('button', { name: 'Apply these changes…' }).click();
    const dialog = page.getByTestId('subject-confirm');
    await dialog
      .getByLabel('Reason (recorded with your name in the audit trail)')
      .fill('ticket 4713');
    await dialog.getByRole('button', { name: 'Restore now' }).click();
    await page.getByTestId('subject-applied').waitFor({ timeout: 30_000 });
    await shot('subject-applied');
    expect(await company(5)).toBe(before);
    expect(await company(6)).toBe('Batch GmbH');
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
