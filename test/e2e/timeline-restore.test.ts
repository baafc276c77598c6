import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Browser, type Page } from 'playwright-core';
import { buildRenderer, launchChromium, screenshot } from '../harness/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog, ScratchEnvironment } from '../../shared/contract';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { toLocalInput } from '../../renderer/lib/zoned-time';
import { startInstalledAgent, type InstalledAgent } from '../harness';
import { stopInOrder } from '../harness/stop-in-order';

// Point-in-time restore end to end in browser mode: a server with the agent installed over SSH
// (PostgreSQL 15 with Chinook behind a private sshd, its bucket on the TLS S3 server), marker
// rows written every second, then in headless Chromium: open the timeline, zoom to a minute,
// pick a second, run the restore wizard into a scratch database on the same server, see every
// verification check pass, drop the scratch environment. The timeline's frame time is read
// from the Performance API measures its draw function takes.

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = path.join(root, 'test-results');
const ZONE = 'Europe/Berlin';
/** Seconds of marker rows, so that a whole minute is covered by archived WAL. */
const MARKER_SECONDS = 100;
const CAPTURE_TIMEOUT_MS = 240_000;
const RESTORE_TIMEOUT_MS = 300_000;

let agent: InstalledAgent | undefined;
let web: WebServer | undefined;
let browser: Browser | undefined;
let page: Page;
let tmp: string;
let pickedIso: string | null = null;
const pageErrors: string[] = [];

async function shot(name: string, fullPage = true): Promise<void> {
  await screenshot(page, path.join(shots, `e2e-timeline-${name}.png`), fullPage);
}

/** One marker row a second, each with the time it was written, plus WAL switches. */
async function writeMarkers(a: InstalledAgent): Promise<void> {
  await a.pg.query(
    'CREATE TABLE IF NOT EXISTS restore_marker (id serial PRIMARY KEY, at timestamptz NOT NULL)',
  );
  for (let i = 0; i < MARKER_SECONDS; i++) {
    await a.pg.query('INSERT INTO restore_marker (at) VALUES (clock_timestamp())');
    if (i % 30 === 29) await a.pg.query('SELECT pg_switch_wal()');
    await new Promise((r) => setTimeout(r, 1000));
  }
  await a.pg.query('SELECT pg_switch_wal()');
}

/**
 * Waits until the catalog shows more than a minute and a half of restorable time. Returns
 * early (and lets the page show the error) when the catalog command fails outright.
 */
async function waitForCoverage(a: InstalledAgent): Promise<void> {
  const deadline = Date.now() + CAPTURE_TIMEOUT_MS;
  for (;;) {
    let catalog: Catalog;
    try {
      catalog = await a.call<Catalog>('catalog.get', { serverId: a.serverId, refresh: true });
    } catch (err) {
      console.warn(`catalog.get failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const first = catalog.firstRestorable ? Date.parse(catalog.firstRestorable) : null;
    const last = catalog.lastRestorable ? Date.parse(catalog.lastRestorable) : null;
    if (first !== null && last !== null && last - first > 90_000) return;
    if (Date.now() > deadline)
      throw new Error(
        `no 90 s of coverage in time: ${catalog.firstRestorable} … ${catalog.lastRestorable}`,
      );
    await new Promise((r) => setTimeout(r, 5_000));
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-e2e-timeline-'));
  fs.mkdirSync(shots, { recursive: true });
  const staticDir = path.join(tmp, 'renderer');
  [agent] = await Promise.all([startInstalledAgent(), buildRenderer(staticDir)]);
  await writeMarkers(agent);
  await waitForCoverage(agent);
  web = await startWebServer({ core: agent.core, staticDir });

  browser = await launchChromium();
  // The admin sits in Berlin: times show in CET/CEST with UTC beside them.
  const context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: ZONE,
    viewport: { width: 1280, height: 1000 },
  });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
}, 900_000);

afterAll(async () => {
  await stopInOrder([
    ['browser', () => browser?.close()],
    ['web server', () => web?.close()],
    ['installed agent', () => agent?.stop()],
  ]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const slider = () => page.getByTestId('timeline-slider');
const pickedTime = async () => {
  const value = await slider().getAttribute('data-picked');
  return value ? Date.parse(value) : null;
};

describe('timeline and point-in-time restore in browser mode', () => {
  it('opens the timeline of the server from its detail page', async () => {
    await page.goto(web!.url);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('button', { name: 'Servers', exact: true })
      .click();
    await page.getByRole('button', { name: 'db1' }).click();
    await page.getByRole('heading', { level: 1, name: 'db1' }).waitFor();
    await page.getByRole('button', { name: 'Timeline / Restore' }).click();
    await page.getByRole('heading', { level: 1, name: 'Timeline and restore: db1' }).waitFor();

    const canvas = page.getByTestId('timeline-canvas');
    const failed = page.getByTestId('catalog-error');
    await canvas.or(failed).waitFor({ timeout: 60_000 });
    if (await failed.isVisible()) {
      await shot('0-catalog-error');
      throw new Error(`the catalog did not load: ${await failed.textContent()}`);
    }
    expect(await page.getByTestId('catalog-summary').textContent()).toContain('every second from');
    expect(await slider().getAttribute('aria-label')).toBe('Recovery timeline');
    await shot('1-opened');
  });

  it('zooms with the wheel and the buttons down to one minute', async () => {
    const box = await slider().boundingBox();
    if (!box) throw new Error('timeline not visible');
    const spanOf = async () =>
      Number(await page.getByTestId('timeline-range').getAttribute('data-span'));
    const before = await spanOf();
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    for (let i = 0; i < 5; i++) {
      await page.mouse.wheel(0, -200);
      await page.waitForTimeout(50);
    }
    await expect.poll(spanOf).toBeLessThan(before);
    // A drag pans without picking.
    await page.mouse.down();
    for (let i = 1; i <= 10; i++)
      await page.mouse.move(box.x + box.width * 0.9 - i * 20, box.y + 40);
    await page.mouse.up();

    // End picks the last restorable moment; the 1-minute preset zooms around it.
    await slider().focus();
    await page.keyboard.press('End');
    await page.getByTestId('zoom-1min').click();
    await expect.poll(spanOf).toBe(60_000);
    expect(await page.getByTestId('zoom-1min').getAttribute('aria-pressed')).toBe('true');
    await shot('2-one-minute');
  });

  it('picks a second with the mouse and the keyboard, and shows what restoring it means', async () => {
    const box = await slider().boundingBox();
    if (!box) throw new Error('timeline not visible');
    const last = (await pickedTime()) as number;
    // The view is one minute centred on the last restorable moment: 20 s earlier is a third in.
    await page.mouse.click(box.x + box.width * (0.5 - 20 / 60), box.y + 45);
    await expect.poll(pickedTime).not.toBe(last);
    const clicked = (await pickedTime()) as number;
    expect(clicked % 1000).toBe(0);
    expect(Math.abs(clicked - (last - 20_000))).toBeLessThanOrEqual(2_000);

    await slider().focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(pickedTime).toBe(clicked - 1_000);
    expect(await slider().getAttribute('aria-valuetext')).toContain('Restorable to the second');

    // Typing the moment (in the admin's zone, as the language writes it) picks it too, with
    // UTC beside it.
    const typed = clicked - 5_000;
    await page.getByTestId('moment-input').fill(toLocalInput(typed, ZONE, 'en'));
    await expect.poll(pickedTime).toBe(typed);
    const utc = new Date(typed).toISOString().slice(0, 19).replace('T', ' ');
    expect(await page.getByTestId('moment-panel').getByTestId('moment-utc').textContent()).toBe(
      `${utc} UTC`,
    );

    const plan = page.getByTestId('restore-plan');
    const refused = page.getByTestId('moment-refused');
    await plan.or(refused).waitFor({ timeout: 60_000 });
    if (await refused.isVisible()) {
      await shot('3b-refused');
      throw new Error(`a covered second was refused: ${await refused.textContent()}`);
    }
    expect(await page.getByTestId('plan-target').textContent()).toContain(`${utc} UTC`);
    expect(Number(await plan.getAttribute('data-wal-segments'))).toBeGreaterThan(0);
    pickedIso = new Date(typed).toISOString();
    await shot('3-picked');
  });

  it('runs the wizard into a scratch database and sees every check pass', async () => {
    await slider().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Restore: db1' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'What to restore' }).waitFor();
    expect(await page.getByTestId('target-moment').inputValue()).toBe(
      toLocalInput(Date.parse(pickedIso as string), ZONE, 'en'),
    );
    await shot('4-wizard-target');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { level: 2, name: 'Where to restore it' }).waitFor();
    expect(await page.getByLabel('A scratch environment on db1').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { level: 2, name: 'Summary' }).waitFor();
    await page.getByTestId('restore-plan').waitFor({ timeout: 60_000 });

    // Start needs the explicit confirmation.
    await page.getByTestId('start-restore').click();
    await page.getByText('Tick this box to confirm the restore.').waitFor();
    await page.getByLabel('Remove the scratch environment after … hours').fill('2');
    await page.getByLabel(/Restore into a new scratch environment on db1/).check();
    await shot('5-wizard-summary');
    await page.getByTestId('start-restore').click();

    await page.getByRole('heading', { level: 2, name: 'Restoring' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('restore-phases').waitFor();
    await shot('6-wizard-running');

    const result = page.getByTestId('restore-result');
    const failed = page.getByTestId('restore-failed').or(page.getByTestId('restore-cancelled'));
    await result.or(failed).waitFor({ timeout: RESTORE_TIMEOUT_MS });
    if (await failed.isVisible()) {
      await shot('6b-restore-failed');
      throw new Error(`restore did not succeed: ${await failed.textContent()}`);
    }
    await shot('7-result');
    expect(await result.getAttribute('data-passed')).toBe('true');
    const rows = page.getByTestId('restore-checks').locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      expect(await row.getAttribute('data-ok'), (await row.textContent()) ?? '').toBe('true');
    }
    expect(await page.getByTestId('check-stopped-at-target').getAttribute('data-ok')).toBe('true');

    // The scratch cluster answers on the port shown, with no marker written after the target.
    const port = Number(await page.getByTestId('scratch-port').textContent());
    expect(port).not.toBe(agent!.pg.port);
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
    });
    await client.connect();
    try {
      const { rows: markers } = await client.query<{ n: string; last: Date | null }>(
        'SELECT count(*) AS n, max(at) AS last FROM restore_marker',
      );
      expect(Number(markers[0]?.n)).toBeGreaterThan(0);
      expect(markers[0]?.last?.getTime()).toBeLessThanOrEqual(
        Date.parse(pickedIso as string) + 999,
      );
    } finally {
      await client.end();
    }
  });

  it('drops the scratch environment after a confirmation', async () => {
    await page.getByTestId('drop-scratch').click();
    const dialog = page.getByTestId('drop-scratch-dialog');
    await dialog.waitFor();
    await shot('8-drop-dialog', false);
    await dialog.getByRole('button', { name: 'Drop', exact: true }).click();
    await page.getByText('The scratch environment was dropped').waitFor({ timeout: 120_000 });
    const list = await agent!.call<ScratchEnvironment[]>('scratch.list', {});
    expect(list.filter((s) => s.state === 'running')).toEqual([]);
    await shot('9-dropped');
  });

  it('asks for the database name before restoring over production', async () => {
    await page.getByRole('button', { name: 'Restore another moment' }).click();
    await page.getByRole('heading', { level: 2, name: 'What to restore' }).waitFor();
    await page.getByLabel('The latest moment captured').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { level: 2, name: 'Where to restore it' }).waitFor();
    // A separate danger section, not a third choice beside scratch and another host.
    expect(await page.getByTestId('destination-choices').getByRole('radio').count()).toBe(2);
    await page.getByTestId('open-production').click();
    const dialog = page.getByRole('dialog', { name: 'Restore over production: db1' });
    const plan = dialog.getByTestId('production-plan');
    await plan.waitFor({ timeout: 60_000 });
    const name = (await plan.getAttribute('data-confirm-name')) as string;
    expect(name).toBe('chinook');
    const start = dialog.getByTestId('start-production');
    expect(await start.isDisabled()).toBe(true);
    // The field has the focus: typing the name is all it takes to enable the button.
    await expect
      .poll(() => page.evaluate("document.activeElement?.getAttribute('data-testid')"))
      .toBe('production-confirm-input');
    await page.keyboard.type(name);
    expect(await start.isEnabled()).toBe(true);
    await shot('10-production-confirm', false);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    // Focus goes back to the button that opened the dialog.
    expect(await page.evaluate("document.activeElement?.getAttribute('data-testid')")).toBe(
      'open-production',
    );
  });

  it('draws every timeline frame well under 100 ms (Performance API)', async () => {
    const durations = (await page.evaluate(
      "performance.getEntriesByName('kumiko:timeline-draw').map((e) => e.duration)",
    )) as number[];
    expect(durations.length).toBeGreaterThan(5);
    const sorted = [...durations].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    const max = sorted[sorted.length - 1] as number;
    console.log(
      `timeline frame ms: ${max.toFixed(2)} (max of ${sorted.length} frames, median ${median.toFixed(2)})`,
    );
    expect(max).toBeLessThan(100);
  });

  // After the frame timings: a reload clears the Performance entries read above.
  it('keeps the page and the picked moment in the address, across a reload', async () => {
    const address = () => decodeURIComponent(new URL(page.url()).hash);
    const serverPath = /^#(\/servers\/[^/?]+)\/restore$/.exec(address())?.[1];
    expect(serverPath).toBeDefined();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Restore: db1' }).waitFor();

    const at = pickedIso as string;
    await page.goto(`${new URL(web!.url).origin}/#${serverPath}/timeline?at=${at}`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Timeline and restore: db1' }).waitFor();
    await expect.poll(pickedTime, { timeout: 30_000 }).toBe(Date.parse(at));
    await page.getByTestId('restore-plan').waitFor({ timeout: 60_000 });
    expect(address()).toBe(`#${serverPath}/timeline?at=${at}`);
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
