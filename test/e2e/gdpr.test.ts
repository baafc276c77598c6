import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { openVault } from '../../electron/services/secrets/vault';
import { startWebServer, type WebServer } from '../../electron/web/server';
import {
  loadChinook,
  startPostgres,
  startS3,
  startSshd,
  type PostgresCluster,
  type S3Server,
  type SshdServer,
} from '../harness';
import { buildRenderer, launchChromium, screenshot } from '../harness/browser';
import { addServerWithInstallRecord } from '../harness/recorded-server';
import { stopInOrder } from '../harness/stop-in-order';
import { checkShownPage, problems, walkConsole } from './axe-walk';

// The DPO workspace end to end in browser mode (issue 17 §4): real PostgreSQL 15 with Chinook
// behind a real sshd, the ledger bucket on the TLS S3 server, headless Chromium. The DPO opens
// the Data protection page of the server, maps customer 5, saves the map, exports (the zip
// exists), runs the dry run and then the erasure behind its confirmation, and the rows are gone
// from PostgreSQL. As in gdpr-service.test.ts the agent's install record is written to the
// store directly: these commands read only its data directory and retention, and a real
// install would cost CI a minute for nothing used here. Screenshots: test-results/e2e-gdpr-*.png.

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = path.join(root, 'test-results');

let pg: PostgresCluster | undefined;
let sshd: SshdServer | undefined;
let s3: S3Server | undefined;
let core: AppCore | undefined;
let web: WebServer | undefined;
let browser: Browser | undefined;
let page: Page;
let tmp: string;
let serverId: string;
const pageErrors: string[] = [];

async function shot(name: string): Promise<void> {
  await screenshot(page, path.join(shots, `e2e-gdpr-${name}.png`));
}

/** An attribute of every element a locator finds, in order (the node type-check has no DOM types). */
async function attributes(found: Locator, name: string): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (let i = 0; i < (await found.count()); i++) out.push(await found.nth(i).getAttribute(name));
  return out;
}

async function customerRows(): Promise<{ customers: number; invoices: number }> {
  const [row] = await pg!.query<{ customers: number; invoices: number }>(
    `SELECT (SELECT count(*) FROM customer WHERE customer_id = 5)::int AS customers,
            (SELECT count(*) FROM invoice WHERE customer_id = 5)::int AS invoices`,
    [],
    'chinook',
  );
  return row!;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-e2e-gdpr-'));
  fs.mkdirSync(shots, { recursive: true });
  const staticDir = path.join(tmp, 'renderer');
  [pg, sshd, s3] = await Promise.all([startPostgres(), startSshd(), startS3()]);
  await Promise.all([loadChinook(pg), buildRenderer(staticDir)]);
  const dataDir = path.join(tmp, 'app');
  const secrets = await openVault(path.join(dataDir, 'secrets.vault'), 'gdpr-e2e-passphrase');
  core = await createAppCore({ dataDir, secrets, transport: 'cli' });
  serverId = await addServerWithInstallRecord(core, dataDir, secrets, { pg, sshd, s3 });

  web = await startWebServer({ core, staticDir });
  browser = await launchChromium();
  const context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1280, height: 900 },
  });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
}, 240_000);

afterAll(async () => {
  // Browser first (it holds the web server's socket), then the app, then what it talks to.
  await stopInOrder([
    ['browser', () => browser?.close()],
    ['web server', () => web?.close()],
    ['app core', () => core?.close()],
    ['sshd', () => sshd?.stop()],
    ['postgres', () => pg?.stop()],
    ['s3', () => s3?.stop()],
  ]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}, 120_000);

describe('DPO workspace in browser mode', () => {
  it('asks for the name for the log at first start, once, and shows it in Settings', async () => {
    await page.goto(web!.url);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    // No name stored yet: the console asks, without blocking the page.
    const reminder = page.getByTestId('actor-reminder');
    await reminder.getByRole('button', { name: 'Enter your name…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your name for the log' });
    await dialog.getByLabel('Your name').fill('Dana DPO');
    await dialog.getByRole('button', { name: 'Save name' }).click();
    await reminder.waitFor({ state: 'detached' });
    // Asked once: after a new start Settings shows the name (so it was read) and nobody asks.
    await page.reload();
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('button', { name: 'Settings', exact: true })
      .click();
    const card = page.getByTestId('settings-actor');
    await card.getByText(/^Entries are recorded as Dana DPO \(/).waitFor();
    expect(await page.getByTestId('actor-reminder').count()).toBe(0);
  });

  it('opens the Data protection page and maps customer 5 of Chinook, shown as a graph', async () => {
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('button', { name: 'Overview', exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('button', { name: 'Servers', exact: true })
      .click();
    await page.getByRole('button', { name: 'db1' }).click();
    await page.getByRole('link', { name: 'Data protection' }).click();
    await page.getByRole('heading', { level: 1, name: 'Data protection: db1' }).waitFor();
    expect(page.url()).toContain(`#/servers/${serverId}/gdpr`);

    // The subject form; the requests card above has its own Database and key fields.
    const form = page.getByTestId('gdpr-subject');
    await form.getByLabel('Database').fill('chinook');
    await form.getByLabel('Table and key column').fill('customer.customer_id');
    await form.getByLabel('Key of the person').fill('5');
    await page.getByRole('button', { name: 'Show subject map' }).click();
    // The graph first: a box per table, a labelled line per path.
    const graph = page.getByTestId('gdpr-map-graph');
    await graph.waitFor();
    expect(await attributes(graph.getByTestId('gdpr-graph-node'), 'data-table')).toEqual([
      'public.customer',
      'public.invoice',
      'public.invoice_line',
    ]);
    const edges = graph.getByTestId('gdpr-graph-edge');
    expect(await edges.count()).toBe(2);
    expect(await edges.nth(1).textContent()).toBe('invoice_line.invoice_id → invoice.invoice_id');
    await shot('map-graph');
    // The same map as the list.
    await page.getByRole('button', { name: 'List', exact: true }).click();
    const rows = page.getByTestId('gdpr-map').getByTestId('gdpr-map-table');
    expect(await attributes(rows, 'data-table')).toEqual([
      'public.customer',
      'public.invoice',
      'public.invoice_line',
    ]);
    await shot('1-map');
    await page.getByRole('button', { name: 'Graph', exact: true }).click();
    await page.getByRole('button', { name: 'Save this map' }).click();
    await page.getByTestId('gdpr-map-saved').waitFor();
    // Shown again, the map is recognised as the saved one: no second save asked for.
    await page.getByRole('button', { name: 'Show subject map' }).click();
    await page.getByTestId('gdpr-map-saved').waitFor();
    expect(await page.getByTestId('gdpr-map-unsaved').count()).toBe(0);
  });

  it('exports after the size estimate, and the zip exists', async () => {
    const card = page.getByTestId('gdpr-export');
    await card.getByRole('button', { name: 'Estimate size' }).click();
    await card.getByTestId('gdpr-estimate').waitFor();
    expect(await card.getByTestId('gdpr-estimate').textContent()).toMatch(/rows in 3 tables/);
    await card.getByRole('button', { name: 'Export', exact: true }).click();
    const done = card.getByTestId('gdpr-export-done');
    await done.waitFor({ timeout: 60_000 });
    const zip = /Export written: (.+\.zip)/.exec((await done.textContent()) ?? '')?.[1];
    expect(zip).toBeDefined();
    expect(fs.statSync(zip!).size).toBeGreaterThan(0);
    await shot('2-exported');
  });

  it('records an overdue access request, answers it by the export and saves its evidence', async () => {
    const requests = page.getByTestId('gdpr-requests');
    await requests.getByLabel('Kind of request').selectOption('access');
    await requests.getByLabel('Database').fill('chinook');
    await requests.getByLabel('Key of the person').fill('6');
    // Received 40 days ago: one month has passed, so the request is overdue.
    const received = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    await requests.getByLabel('Received on').fill(received);
    await requests.getByLabel('Note (optional)').fill('letter, filed under 2026/17');
    await requests.getByRole('button', { name: 'Record request' }).click();
    const row = requests.locator('[data-testid="gdpr-request"][data-overdue="true"]');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/days overdue/);
    await requests.getByRole('button', { name: 'Overdue', exact: true }).click();
    await row.waitFor();
    await shot('6-request-overdue');

    await row.getByRole('button', { name: 'Work on it' }).click();
    await page.getByTestId('gdpr-working-on').waitFor();
    await page.getByTestId('gdpr-map-saved').waitFor();
    // An access request is answered by the export; the erasure is not offered for it.
    expect(await page.getByTestId('gdpr-erase').count()).toBe(0);
    const card = page.getByTestId('gdpr-export');
    await card.getByRole('button', { name: 'Estimate size' }).click();
    await card.getByTestId('gdpr-estimate').waitFor();
    await card.getByRole('button', { name: 'Export', exact: true }).click();
    await card.getByTestId('gdpr-export-done').waitFor({ timeout: 60_000 });

    await requests.getByRole('button', { name: 'Done', exact: true }).click();
    const answered = requests.locator('[data-testid="gdpr-request"][data-status="answered"]');
    await answered.waitFor();
    const download = page.waitForEvent('download');
    await answered.getByRole('button', { name: 'Save export' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/^gdpr-export-.+\.zip$/);
    const file = path.join(tmp, saved.suggestedFilename());
    await saved.saveAs(file);
    // The evidence is the zip the export wrote (same bytes), found by the request, not a path.
    const zip = /Export written: (.+\.zip)/.exec(
      (await card.getByTestId('gdpr-export-done').textContent()) ?? '',
    )?.[1];
    expect(fs.readFileSync(file).equals(fs.readFileSync(zip!))).toBe(true);
    await shot('7-request-answered');
    // Back to the plain workspace for the erasure: show customer 5 again, not the request.
    await requests.getByRole('button', { name: 'All', exact: true }).click();
    const form = page.getByTestId('gdpr-subject');
    await form.getByLabel('Key of the person').fill('5');
    await form.getByRole('button', { name: 'Show subject map' }).click();
    await page.getByTestId('gdpr-map-saved').waitFor();
    expect(await page.getByTestId('gdpr-working-on').count()).toBe(0);
  });

  it('runs the dry run, then erases after the confirmation naming the subject', async () => {
    const before = await customerRows();
    expect(before.customers).toBe(1);
    expect(before.invoices).toBeGreaterThan(0);
    const card = page.getByTestId('gdpr-erase');
    await card.getByRole('button', { name: 'Dry run' }).click();
    const dry = card.getByTestId('gdpr-dry-run');
    await dry.waitFor();
    expect(await dry.locator('[data-table="public.invoice"]').getAttribute('data-rows')).toBe(
      String(before.invoices),
    );
    // The dry run changed nothing.
    expect(await customerRows()).toEqual(before);
    await shot('3-dry-run');

    await card.getByRole('button', { name: 'Erase…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase data subject 5?' });
    await dialog.waitFor();
    await shot('4-confirm');
    await dialog.getByRole('button', { name: 'Erase 5' }).click();
    await card.getByTestId('gdpr-erase-done').waitFor({ timeout: 60_000 });
    expect(await card.getByTestId('gdpr-erase-done').textContent()).toMatch(
      /gone from every backup by \d{2}\/\d{2}\/\d{4}/,
    );
    expect(await customerRows()).toEqual({ customers: 0, invoices: 0 });
    // The erasure is listed with its due date, not final yet.
    await page.locator('[data-testid="gdpr-erasure"][data-final="false"]').waitFor();
    await shot('5-erased');
    expect(pageErrors).toEqual([]);
  });

  it('edits the map in the graph by keyboard, sees the same state in the list, saves it', async () => {
    const form = page.getByTestId('gdpr-subject');
    await form.getByLabel('Key of the person').fill('7');
    await form.getByRole('button', { name: 'Show subject map' }).click();
    await page.getByTestId('gdpr-map-saved').waitFor();
    const graph = page.getByTestId('gdpr-map-graph');
    // Tab reaches the tables and paths after the graph's own button; Enter opens the edit.
    await graph.getByRole('button', { name: 'Add a link…' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').getAttribute('data-table')).toBe('public.customer');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    const path = 'invoice_line.invoice_id → invoice.invoice_id';
    expect(await page.locator(':focus').textContent()).toBe(path);
    await shot('map-graph-focus');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: path });
    await dialog.getByRole('button', { name: 'Exclude this path' }).waitFor();
    const axeDialog = await checkShownPage(page, new URL(web!.url).origin, 'gdpr-graph-path', 'en');
    await dialog.getByRole('button', { name: 'Exclude this path' }).click();
    // Without that path invoice_line is no longer the subject's; the change is not saved yet.
    await page.getByTestId('gdpr-map-unsaved').waitFor();
    await expect.poll(() => graph.getByTestId('gdpr-graph-node').count()).toBe(2);
    await graph.getByRole('button', { name: /^Follow public\.invoice_line\..+ again$/ }).waitFor();
    expect(await page.getByTestId('gdpr-export').count()).toBe(0);
    await shot('8-map-edited-graph');

    // The list shows the same state: two tables, the path unticked under "Excluded".
    await page.getByRole('button', { name: 'List', exact: true }).click();
    const rows = page.getByTestId('gdpr-map').getByTestId('gdpr-map-table');
    expect(await attributes(rows, 'data-table')).toEqual(['public.customer', 'public.invoice']);
    const editor = page.getByTestId('gdpr-map-editor');
    const excluded = editor.getByLabel(/^Excluded: public\.invoice_line\./);
    expect(await excluded.isChecked()).toBe(false);
    await shot('8-map-edited');
    await page.getByRole('button', { name: 'Save this map' }).click();
    await page.getByText('Saved map, version 2. Export and erasure use it.').waitFor();
    const card = page.getByTestId('gdpr-export');
    await card.getByRole('button', { name: 'Estimate size' }).click();
    expect(await card.getByTestId('gdpr-estimate').textContent()).toMatch(/rows in 2 tables/);
    expect(problems([axeDialog])).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('passes axe on the graph in German and English', async () => {
    await page.getByRole('button', { name: 'Graph', exact: true }).click();
    await page.getByTestId('gdpr-map-graph').waitFor();
    const origin = new URL(web!.url).origin;
    const findings = [await checkShownPage(page, origin, 'gdpr-graph', 'en')];
    // The language switch in the header keeps the map shown.
    await page.locator('#language').selectOption('de');
    await page.getByRole('button', { name: 'Liste', exact: true }).waitFor();
    findings.push(await checkShownPage(page, origin, 'gdpr-graph', 'de'));
    await page.locator('#language').selectOption('en');
    expect(problems(findings)).toEqual([]);
  });

  it("names the person entered at first start as the log's who", async () => {
    await page.goto(`${new URL(web!.url).origin}/#/accountability`);
    const saved = page.locator('[data-testid="activity-log"] tr[data-action="gdpr.mapSave"]');
    await saved.first().waitFor();
    expect(await saved.count()).toBe(2);
    for (let i = 0; i < 2; i++)
      expect(await saved.nth(i).locator('td').nth(1).textContent()).toMatch(/^Dana DPO \(.+\)$/);
  });

  it('passes the axe walk in German and English, with its erasure listed', async () => {
    const pages = [
      { name: 'gdpr', path: `/servers/${serverId}/gdpr`, ready: '[data-testid="gdpr-erasure"]' },
    ];
    const findings = await walkConsole(page, new URL(web!.url).origin, pages);
    expect(findings).toHaveLength(2);
    expect(problems(findings)).toEqual([]);
  });
});
