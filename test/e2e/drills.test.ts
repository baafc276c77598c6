import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { buildRenderer, launchChromium, screenshot } from '../harness/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { startInstalledAgent, type InstalledAgent } from '../harness';
import { readZip } from '../../electron/services/reports/zip-reader';
import { zipArchive } from '../../electron/services/reports/zip-writer';
import { checkShownPage, problems, walkConsole, type WalkPage } from './axe-walk';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { parseArchiveFileName } from '../../shared/catalog';
import type { Catalog, DrillReportEntry, ReportDetail } from '../../shared/contract';
import { translate, type MessageKey } from '../../renderer/app/i18n/translate';
import { stopInOrder } from '../harness/stop-in-order';

// Practiced restore end to end in browser mode: a server with the agent installed over SSH
// (PostgreSQL 15 with Chinook behind a private sshd, its bucket on the TLS S3 server), then in
// headless Chromium: open the Drills page, run a drill after the confirmation, watch its phases,
// open the archived report and download its PDF (first page rendered with pdftoppm), and edit
// the smoke checks with their validation and switch on the deep index check. Screenshots go to test-results/e2e-drills-*.png.

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = path.join(root, 'test-results');
const run = promisify(execFile);
const DRILL_TIMEOUT_MS = 240_000;

let agent: InstalledAgent | undefined;
let web: WebServer | undefined;
let browser: Browser | undefined;
let page: Page;
let tmp: string;
const pageErrors: string[] = [];

async function shot(name: string, fullPage = true): Promise<void> {
  await screenshot(page, path.join(shots, `e2e-drills-${name}.png`), fullPage);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-e2e-drills-'));
  fs.mkdirSync(shots, { recursive: true });
  const staticDir = path.join(tmp, 'renderer');
  [agent] = await Promise.all([startInstalledAgent(), buildRenderer(staticDir)]);
  web = await startWebServer({ core: agent.core, staticDir });
  browser = await launchChromium();
  const context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
}, 300_000);

afterAll(async () => {
  await stopInOrder([
    ['browser', () => browser?.close()],
    ['web server', () => web?.close()],
    ['installed agent', () => agent?.stop()],
  ]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}, 180_000);

describe('drills page in browser mode', () => {
  it('opens the Drills page of the server from its detail page', async () => {
    await page.goto(web!.url);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('button', { name: 'Servers', exact: true })
      .click();
    await page.getByRole('button', { name: 'db1' }).click();
    await page.getByRole('heading', { level: 1, name: 'db1' }).waitFor();
    await page.getByRole('button', { name: 'Restore drills' }).click();
    await page.getByRole('heading', { level: 1, name: 'Restore drills: db1' }).waitFor();
    await page.getByTestId('drill-schedule').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('drill-interval').textContent()).toBe('every 91 days');
    expect(await page.getByTestId('drill-amcheck-mode').textContent()).toBe(
      'pg_amcheck: tables and B-tree indexes',
    );
    await page.getByTestId('drill-history-empty').waitFor();
    await shot('1-empty');
  });

  it(
    'runs a drill after a confirmation and shows its phases live',
    async () => {
      await page.getByTestId('drill-run-button').click();
      const dialog = page.getByRole('dialog', { name: 'Run a restore drill on db1?' });
      await dialog.waitFor();
      await shot('2-confirm', false);
      // The confirmation has focus on its primary action: Enter starts the drill.
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });

      const progress = page.getByTestId('drill-progress');
      await progress.waitFor();
      await page
        .getByTestId('drill-phases')
        .locator('[data-status="current"]')
        .first()
        .waitFor({ timeout: 60_000 });
      await shot('3-running');
      const done = page.locator('[data-testid="drill-progress"]:not([data-state="running"])');
      await done.waitFor({ timeout: DRILL_TIMEOUT_MS });
      await shot('4-finished');
      const failed = page.getByTestId('drill-failed');
      if (await failed.isVisible())
        throw new Error(`the drill failed: ${await failed.textContent()}`);
      await page.getByTestId('drill-succeeded').waitFor();
      // Through Locator APIs, not DOM calls: @types/react's global stubs of HTMLElement (in
      // the node type-check since the renderer's route tests) hide the DOM methods here.
      const phases = await attributes(
        page.getByTestId('drill-phases').locator('li'),
        'data-status',
      );
      expect(phases.every((s) => s === 'done')).toBe(true);
      // The history lists it, passed.
      await page.locator('[data-testid^="drill-row-"][data-passed="true"]').first().waitFor();
    },
    DRILL_TIMEOUT_MS + 60_000,
  );

  it('opens the report with its summary and checks, and downloads the PDF', async () => {
    await page
      .getByTestId('drill-succeeded')
      .getByRole('button', { name: 'Open the report' })
      .click();
    const dialog = page.getByTestId('drill-report');
    await dialog.getByTestId('report-checks').waitFor();
    expect(await dialog.getByTestId('report-rto').textContent()).toMatch(/\d+ s/);
    // Every check that decides the drill passed; the advisory bucket-protection check fails on
    // the harness's s3rver, which keeps no versions (its key can destroy history).
    const rows = dialog.locator('[data-testid^="report-check-"]');
    const ids = await attributes(rows, 'data-testid');
    const passed = await attributes(rows, 'data-passed');
    const deciding = ids.flatMap((id, i) =>
      id === 'report-check-bucket-protection' ? [] : [passed[i]],
    );
    expect(deciding.length).toBeGreaterThanOrEqual(5);
    expect(deciding.every((p) => p === 'true')).toBe(true);
    expect(passed[ids.indexOf('report-check-bucket-protection')]).toBe('false');
    await shot('5-report', false);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByTestId('report-pdf').click(),
    ]);
    const pdf = path.join(tmp, download.suggestedFilename());
    await download.saveAs(pdf);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    await run('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      pdf,
      path.join(shots, 'e2e-drill-report-page1'),
    ]);
    expect(fs.statSync(path.join(shots, 'e2e-drill-report-page1.png')).size).toBeGreaterThan(5_000);

    // The agent signed the report: the admin countersigns it with the app's key, the summary
    // says so and the button is gone.
    await dialog.getByTestId('report-countersign').click();
    await dialog.getByText('+ app countersignature').waitFor();
    expect(await dialog.getByTestId('report-countersign').count()).toBe(0);
    await shot('5b-report-countersigned', false);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('saves the report bundle and verifies it on the verify page, then names a changed file', async () => {
    await page
      .getByTestId('drill-succeeded')
      .getByRole('button', { name: 'Open the report' })
      .click();
    const dialog = page.getByTestId('drill-report');
    await dialog.getByTestId('report-checks').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByTestId('report-zip').click(),
    ]);
    const zipPath = path.join(tmp, download.suggestedFilename());
    await download.saveAs(zipPath);
    expect(zipPath).toMatch(/kumiko-db1-drill-[^/]+\.zip$/);
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByTestId('report-json').click(),
    ]);
    const jsonPath = path.join(tmp, json.suggestedFilename());
    await json.saveAs(jsonPath);
    expect(JSON.parse(fs.readFileSync(jsonPath, 'utf8')).drill.server.name).toBe('db1');

    // The auditor's way: the verify page, reached from the report and from the navigation.
    await dialog.getByTestId('report-verify-link').click();
    await page.getByRole('heading', { level: 1, name: 'Verify a drill report' }).waitFor();
    expect(
      await page
        .getByRole('navigation', { name: 'Main navigation' })
        .getByRole('button', { name: 'Verify reports' })
        .getAttribute('aria-current'),
    ).toBe('page');
    await page.getByLabel('Report bundle (.zip)').setInputFiles(zipPath);
    await page.getByTestId('verify-run').click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-status')).toBe('valid');
    const fingerprints = await page.getByTestId('verify-fingerprint').allTextContents();
    expect(fingerprints[0]).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(await page.getByTestId('verify-signature').first().textContent()).toContain(
      'pinned key',
    );
    await shot('5c-verify-valid');

    // One byte more in the PDF: the verdict is "not valid" and the finding names report.pdf.
    const entries = [...readZip(fs.readFileSync(zipPath)).files].map(([name, data]) => ({
      name,
      data: name.endsWith('/report.pdf')
        ? Buffer.concat([Buffer.from(data), Buffer.from(' ')])
        : Buffer.from(data),
    }));
    const tampered = path.join(tmp, 'tampered.zip');
    fs.writeFileSync(tampered, zipArchive(entries, new Date()));
    await page.getByLabel('Report bundle (.zip)').setInputFiles(tampered);
    await page.getByTestId('verify-run').click();
    await page.locator('[data-testid="verify-result"][data-status="invalid"]').waitFor();
    const finding = page.getByTestId('verify-findings').locator('[data-code="hash-mismatch"]');
    expect(await finding.textContent()).toMatch(
      /^tampered\.zip\/.*\/report\.pdf: The file was changed/,
    );
    await shot('5d-verify-invalid');
    // Back returns to the open report, Escape to the drills page.
    await page.goBack();
    await dialog.getByTestId('report-checks').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: 'Restore drills: db1' }).waitFor();
  });

  it('validates smoke checks before saving them into the agent config', async () => {
    const settings = page.getByTestId('drill-settings');
    const deep = settings.getByLabel('Deep index check (pg_amcheck --heapallindexed; slower)');
    expect(await deep.isChecked()).toBe(false);
    await deep.check();
    await settings.getByRole('button', { name: 'Add smoke check' }).click();
    // Focus moves to the new check's name field.
    expect(await page.locator('#smoke-check-0-name:focus').count()).toBe(1);
    await settings.getByRole('button', { name: 'Save to the agent' }).click();
    await settings.getByTestId('drill-settings-invalid').waitFor();
    expect(await settings.getByText('Give the check a name.').count()).toBe(1);
    expect(await settings.getByText('Enter the query.').count()).toBe(1);
    await settings.getByTestId('smoke-check-0').scrollIntoViewIfNeeded();
    await shot('6-settings-invalid');

    const check = settings.getByTestId('smoke-check-0');
    await check.getByLabel('Name').fill('Tracks exist');
    await check.getByLabel('Database').fill('chinook');
    await check.getByLabel('SQL query').fill('SELECT count(*) FROM track');
    await check.getByLabel('Expect the value to be').selectOption('atLeast');
    await check.getByLabel('Value', { exact: true }).fill('lots');
    await settings.getByRole('button', { name: 'Save to the agent' }).click();
    await check.getByText('“At least” and “at most” compare numbers: enter a number.').waitFor();
    await check.getByLabel('Value', { exact: true }).fill('1');
    await settings.getByRole('button', { name: 'Save to the agent' }).click();
    await settings.getByTestId('drill-settings-saved').waitFor({ timeout: 60_000 });
    const drill = JSON.parse(
      fs.readFileSync(path.join(agent!.remoteRoot, 'etc/kumiko-agent/config.json'), 'utf8'),
    ).drill;
    expect(drill.amcheckHeapAllIndexed).toBe(true);
    // The page reloads the settings from the agent: the schedule card and the editor show it.
    await page
      .getByTestId('drill-amcheck-mode')
      .getByText('pg_amcheck with the deep index check (--heapallindexed)')
      .waitFor();
    expect(
      await page
        .getByTestId('drill-settings')
        .getByLabel('Deep index check (pg_amcheck --heapallindexed; slower)')
        .isChecked(),
    ).toBe(true);
    expect(drill.smokeChecks).toEqual([
      {
        name: 'Tracks exist',
        database: 'chinook',
        sql: 'SELECT count(*) FROM track',
        expect: 'atLeast',
        value: '1',
      },
    ]);
    await shot('7-settings-saved');
  });

  it(
    'runs a second drill with the smoke check and shows the RTO/RPO trend',
    async () => {
      await page.getByTestId('drill-run-button').click();
      await page.getByRole('dialog', { name: 'Run a restore drill on db1?' }).waitFor();
      await page.getByRole('button', { name: 'Run drill', exact: true }).click();
      await page.getByTestId('drill-succeeded').waitFor({ state: 'detached' });
      await page.getByTestId('drill-succeeded').waitFor({ timeout: DRILL_TIMEOUT_MS });
      const trend = page.getByTestId('drill-trend');
      await trend.waitFor({ timeout: 60_000 });
      expect(await page.locator('[data-testid^="drill-row-"]').count()).toBe(2);
      expect(await trend.locator('circle').count()).toBe(4); // two drills, RTO and RPO
      expect(await trend.getByRole('img').first().getAttribute('aria-label')).toMatch(
        /^RTO \(start to verified\) of the last 2 drills, oldest first: \d/,
      );
      await trend.scrollIntoViewIfNeeded();
      await shot('8-trend', false);
    },
    DRILL_TIMEOUT_MS + 60_000,
  );

  it('reads in German', async () => {
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('heading', { level: 1, name: 'Wiederherstellungsübungen: db1' }).waitFor();
    await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await shot('9-german');
    await page.getByLabel('Sprache').selectOption('en');
  });

  it('walks every page with data in German and English: no axe violation, no English in German', async () => {
    // The axe walk (issue 16) over what this file has built: a protected server with its
    // status, timeline, two drill reports and jobs (axe-walk.ts; the empty states are
    // walked by axe-empty-states.test.ts).
    const row = await page
      .locator('[data-testid^="drill-row-"]')
      .first()
      .getAttribute('data-testid');
    const drillId = (row ?? '').replace(/^drill-row-/, '');
    expect(drillId).not.toBe('');
    const id = encodeURIComponent(agent!.serverId);
    const pages: WalkPage[] = [
      { name: 'overview', path: '/fleet', ready: '[data-testid="fleet"]' },
      { name: 'servers', path: '/servers' },
      // A protected server's page: with the agent-update card.
      { name: 'server', path: `/servers/${id}`, ready: '[data-testid="update-card"]' },
      { name: 'status', path: `/servers/${id}/status`, ready: '[data-testid="tiles"]' },
      { name: 'timeline', path: `/servers/${id}/timeline` },
      { name: 'restore', path: `/servers/${id}/restore` },
      { name: 'drills', path: `/servers/${id}/drills`, ready: '[data-testid="drill-schedule"]' },
      {
        name: 'drill-report',
        path: `/servers/${id}/drills/${encodeURIComponent(drillId)}`,
        ready: '[data-testid="report-checks"]',
      },
      { name: 'install', path: `/servers/${id}/install` },
      { name: 'scratch', path: '/scratch' },
      { name: 'jobs', path: '/jobs' },
      // Settings with a protected server: the test e-mail/webhook card offers it.
      { name: 'settings', path: '/settings', ready: '[data-testid="settings-alert-test"] select' },
    ];
    const origin = new URL(web!.url).origin;
    const findings = await walkConsole(page, origin, pages);
    expect(findings).toHaveLength(pages.length * 2);
    // The agent-update card after "check for update" (a state only a click reaches): the
    // installed agent is the bundled one, so it says so.
    for (const lang of ['de', 'en'] as const) {
      await page.evaluate(`localStorage.setItem('kumiko.lang', '${lang}')`);
      await page.reload();
      await page.goto(`${origin}/#/servers/${id}`);
      const card = page.getByTestId('update-card');
      await card.getByRole('button', { name: translate(lang, 'update.check') }).click();
      await page
        .locator('[data-testid="update-card"] .alert, [data-testid="update-review"]')
        .first()
        .waitFor({ timeout: 60_000 });
      findings.push(await checkShownPage(page, origin, 'server-update-checked', lang));
    }
    await page.evaluate(`localStorage.setItem('kumiko.lang', 'en')`);
    await page.reload();
    expect(problems(findings)).toEqual([]);
  }, 300_000);

  it('words every check of the report in German, no English detail, and exports German PDFs', async () => {
    // Issue 16: a check's finding travels as codes with parameters in the signed report.json
    // and is worded from the de/en catalogs on the page and in the PDF.
    const a = agent!;
    // The newest report: the second drill's, with its smoke check.
    const archived = await a.call<DrillReportEntry[]>('reports.list', { serverId: a.serverId });
    const drillId = [...archived].sort((x, y) => y.sequence - x.sequence)[0]?.drillId ?? '';
    expect(drillId).not.toBe('');
    const detail = await a.call<ReportDetail>('reports.get', { serverId: a.serverId, drillId });
    const say = (
      lang: 'de' | 'en',
      words: NonNullable<ReportDetail['drill']['checks'][number]['words']>,
    ) => words.map((w) => translate(lang, `checkWord.${w.key}` as MessageKey, w.params)).join(' ');
    const origin = new URL(web!.url).origin;
    await page.evaluate(`localStorage.setItem('kumiko.lang', 'de')`);
    await page.reload();
    await page.goto(
      `${origin}/#/servers/${encodeURIComponent(a.serverId)}/drills/${encodeURIComponent(drillId)}`,
    );
    const dialog = page.getByTestId('drill-report');
    await dialog.getByTestId('report-checks').waitFor({ timeout: 60_000 });
    const table = (await dialog.getByTestId('report-checks').textContent()) ?? '';
    const english: string[] = [];
    for (const check of detail.drill.checks) {
      const words = check.words ?? [];
      expect(words.length, check.id).toBeGreaterThan(0);
      const cell = dialog.getByTestId(`report-check-${check.id}`).getByTestId('check-detail');
      expect(await cell.getAttribute('data-worded'), check.id).toBe('true');
      expect(await cell.textContent(), check.id).toBe(say('de', words));
      // Neither the English wording of any sentence nor the stored English detail.
      for (const w of words) {
        const en = say('en', [w]);
        if (en !== say('de', [w])) english.push(en);
      }
      english.push(check.detail);
    }
    expect(english.filter((text) => table.includes(text))).toEqual([]);
    await shot('12-report-german', false);

    // The PDF: a German reading copy made from the signed report.json, and the signed one
    // (German first, then English).
    const pdfText = async (choice: '' | 'de'): Promise<string> => {
      await dialog.getByTestId('report-pdf-language').selectOption(choice);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        dialog.getByTestId('report-pdf').click(),
      ]);
      const file = path.join(tmp, `${choice || 'signed'}-${download.suggestedFilename()}`);
      await download.saveAs(file);
      const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
      return stdout.replace(/\s+/g, ' ');
    };
    const starts = detail.drill.checks.find((c) => c.id === 'cluster-starts')?.words ?? [];
    const german = await pdfText('de');
    expect(german).toContain('Lesefassung auf Deutsch');
    expect(german).toContain(say('de', starts));
    expect(german).not.toContain(say('en', starts));
    expect(german).not.toContain('accepts connections');
    const signed = await pdfText('');
    expect(signed).toContain(say('de', starts));
    expect(signed).toContain(say('en', starts));
    expect(signed).not.toContain('Lesefassung');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.evaluate(`localStorage.setItem('kumiko.lang', 'en')`);
    await page.reload();
  }, 120_000);

  // Last: it takes a WAL segment out of the bucket, which breaks restores past it.
  it('words a gap’s cause and a restore plan’s warning in German, none of it in English', async () => {
    // A gap as fault 6 (wal-segment-deleted) makes one: three new segments, the middle one
    // deleted from the bucket. Its cause and "latest ends at the gap" travel as phrases.
    const a = agent!;
    const de = (key: MessageKey) => translate('de', key);
    await a.pg.query('CREATE TABLE IF NOT EXISTS gap_marker (at timestamptz)');
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      await a.pg.query('INSERT INTO gap_marker VALUES (clock_timestamp())');
      made.push(await a.pg.psql('SELECT pg_walfile_name(pg_switch_wal())'));
    }
    await expect
      .poll(() => a.pg.psql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver"), {
        timeout: 60_000,
        interval: 250,
      })
      .toSatisfy((archived: string) => archived >= (made[2] as string));
    const victim = made[1] as string;
    const key = a.s3
      .listKeys(a.bucket, `${bucketLayout.pgbackrestPrefix(a.serverId)}archive/`)
      .find(
        (k) =>
          parseArchiveFileName(k.slice(k.lastIndexOf('/') + 1))?.kind === 'segment' &&
          k.includes(`/${victim}-`),
      );
    if (!key) throw new Error(`segment ${victim} not in the bucket`);
    // s3rver keeps an object as files beside each other: remove them all, as a DELETE would.
    const objectDir = path.dirname(path.join(a.s3.dataDir, a.bucket, key));
    for (const file of fs.readdirSync(objectDir))
      if (file.startsWith(path.basename(key))) fs.rmSync(path.join(objectDir, file));
    const catalog = await a.call<Catalog>('catalog.get', { serverId: a.serverId, refresh: true });
    expect(catalog.gaps.map((g) => g.missingSegment)).toContain(victim);

    await page.goto(web!.url);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.evaluate(`localStorage.setItem('kumiko.lang', 'de')`);
    await page.reload();
    const id = encodeURIComponent(a.serverId);
    const origin = new URL(web!.url).origin;
    // The timeline's gap list: the cause in German.
    await page.goto(`${origin}/#/servers/${id}/timeline`);
    const gaps = page.getByTestId('gap-list');
    const cause = translate('de', 'phrase.gap.missing', { segment: victim, count: 1 });
    await gaps.getByText(cause, { exact: true }).waitFor({ timeout: 60_000 });
    const gapText = (await gaps.textContent()) ?? '';
    for (const english of [
      translate('en', 'phrase.gap.missing', { segment: victim, count: 1 }),
      'missing from the bucket',
    ])
      expect(gapText).not.toContain(english);
    await gaps.scrollIntoViewIfNeeded();
    await shot('10-gap-german', false);

    // The restore wizard's plan for the latest moment: its warning in German.
    await page.goto(`${origin}/#/servers/${id}/restore`);
    await page.getByRole('heading', { level: 2, name: de('restore.target.title') }).waitFor();
    await page.getByLabel(de('restore.target.latest')).check();
    await page.getByRole('button', { name: de('wizard.next') }).click();
    await page.getByRole('heading', { level: 2, name: de('restore.destination.title') }).waitFor();
    await page.getByRole('button', { name: de('wizard.next') }).click();
    const warnings = page.getByTestId('restore-plan').getByTestId('plan-warnings');
    await warnings.waitFor({ timeout: 60_000 });
    const warningText = (await warnings.textContent()) ?? '';
    expect(warningText).toContain(`lässt sich nicht wiederherstellen (Segment ${victim}`);
    expect(warningText).toContain(
      'Eine Wiederherstellung auf den neuesten erfassten Zeitpunkt endet dort, nicht beim neuesten archivierten WAL.',
    );
    for (const english of [
      `cannot be restored (segment ${victim}`,
      'a restore to the latest moment captured ends there',
      'is not restorable',
    ])
      expect(warningText).not.toContain(english);
    await warnings.scrollIntoViewIfNeeded();
    await shot('11-plan-warning-german', false);
    await page.evaluate(`localStorage.setItem('kumiko.lang', 'en')`);
    await page.reload();
  }, 120_000);

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});

/** One attribute of every element a locator matches, in order. */
async function attributes(locator: Locator, name: string): Promise<(string | null)[]> {
  return Promise.all((await locator.all()).map((element) => element.getAttribute(name)));
}
