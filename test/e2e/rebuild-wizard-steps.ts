import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AppCore } from '../../electron/ipc/app-core';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { buildRenderer, launchChromium, screenshot } from '../harness/browser';
import { repoRoot } from '../harness/paths';
import type { SshdServer } from '../harness/sshd';
import { stopInOrder } from '../harness/stop-in-order';
import { checkShownPage, problems } from './axe-walk';

// The disaster-recovery wizard (issue 19) driven in headless Chromium, in German, against an
// app core a test already has: the console's browser mode on it, every step checked with axe
// (WCAG 2.1 A/AA) and for English in the German page, a screenshot per step under
// test-results/e2e-rebuild-*.png. A helper, not a test file: test/integration/
// rebuild-from-kit.test.ts runs the rebuild through it, so CI pays for one rebuild fixture
// (old server with agent, kit, destroyed server, new host), not two.

const SHOTS = path.join(repoRoot, 'test-results');

/** The new cluster as the plan step shows it, and the pre-flight checks by name. */
export interface ShownPlan {
  checks: string[];
  dataDirectory: string;
}

export interface RebuildWizardBrowser {
  page: Page;
  /** Start page → kit step: the kit's text copy as a file, the bucket vouched for as own. */
  importKit(kitPath: string): Promise<void>;
  /** Target (latest) → host step: the new host added, its host key compared, the port. */
  addHost(host: SshdServer, name: string, port: number): Promise<void>;
  /** The pre-flight and plan, read once they are ready (all checks passed). */
  readPlan(): Promise<ShownPlan>;
  /** Start: refused without the confirmation, then confirmed; the run step shows. */
  start(hostName: string): Promise<void>;
  /** The run step: phases, axe; cancel asked and the rebuild kept running. */
  watchRun(): Promise<void>;
  /**
   * The hand-over: RTO, RPO, archiving check, what is left, the verdict and the zip; the jobs
   * panel names the rebuild's restore of `sourceName` in German.
   */
  checkHandover(timeoutMs: number, sourceName: string): Promise<void>;
  /** Errors the page logged (none expected). */
  pageErrors: string[];
  /** Seconds each step took (opening included), for the test's log: what the browser costs. */
  seconds: Record<string, number>;
  close(): Promise<void>;
}

/** Builds the renderer, serves `core` in browser mode and opens it in German in Chromium. */
export async function openRebuildWizard(core: AppCore): Promise<RebuildWizardBrowser> {
  const opening = Date.now();
  fs.mkdirSync(SHOTS, { recursive: true });
  const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-rebuild-wizard-'));
  let web: WebServer | undefined;
  let browser: Browser | undefined;
  const close = () =>
    stopInOrder([
      ['browser', () => browser?.close()],
      ['web server', () => web?.close()],
      ['renderer build', () => fs.rmSync(staticDir, { recursive: true, force: true })],
    ]);
  try {
    await buildRenderer(staticDir);
    web = await startWebServer({ core, staticDir });
    browser = await launchChromium();
  } catch (err) {
    await close();
    throw err;
  }
  const context = await browser.newContext({
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1280, height: 1000 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  const origin = new URL(web.url).origin;
  const url = web.url;
  const heading = (name: string | RegExp) => page.getByRole('heading', { name });
  const shot = (name: string) => screenshot(page, path.join(SHOTS, `e2e-rebuild-${name}.png`));
  const axe = async (step: string) =>
    expect(problems([await checkShownPage(page, origin, `rebuild-${step}`, 'de')])).toEqual([]);
  const seconds: Record<string, number> = { open: (Date.now() - opening) / 1000 };
  /** The step, its time recorded under its name. */
  const timed =
    <A extends unknown[], R>(name: string, step: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = Date.now();
      try {
        return await step(...args);
      } finally {
        seconds[name] = (Date.now() - started) / 1000;
      }
    };

  const steps = {
    async importKit(kitPath: string): Promise<void> {
      await page.goto(url);
      await page.getByTestId('start-rebuild').click();
      await heading('Notfallblatt einlesen').waitFor();
      await axe('kit');
      await shot('1-kit');
      // The values typed from the printed sheet (CA and earlier keys included), opened: axe
      // checks the fields a closed section hides.
      await page.getByText('Werte vom Ausdruck abtippen').click();
      await page.getByTestId('rebuild-kit-earlier-keys').waitFor();
      await axe('kit-typed');
      await page.getByText('Werte vom Ausdruck abtippen').click();
      await page.getByTestId('rebuild-kit-file').setInputFiles(kitPath);
      await expect
        .poll(() => page.getByTestId('rebuild-kit-text').inputValue())
        .toContain('SHA256:');
      // The bucket is the test's own S3 server (its own CA), vouched for as own storage.
      await page.getByLabel(/unser eigener Speicher/).check();
      await page.getByTestId('rebuild-kit-import').click();
      await heading(/^Was von .* wiederhergestellt wird$/).waitFor({ timeout: 60_000 });
      // The kit's secrets do not stay in the page once main has them.
      expect(await page.content()).not.toContain('repo1-cipher-pass:');
      expect(await page.getByTestId('rebuild-imported-summary').textContent()).toMatch(
        /Wiederherstellungspunkt.* im Bucket, \d+ mit geprüfter Signatur/,
      );
      await axe('target');
      await shot('2-target');
      await page.getByTestId('rebuild-target-next').click();
    },

    async addHost(host: SshdServer, name: string, port: number): Promise<void> {
      await heading('Der neue Host').waitFor();
      const form = page.getByTestId('rebuild-host-form');
      await form.getByLabel('Name', { exact: true }).fill(name);
      await form.getByLabel('Hostname oder IP-Adresse').fill(host.host);
      await form.getByLabel('SSH-Port').fill(String(host.port));
      await form.getByLabel('SSH-Benutzer').fill(host.user);
      await form.getByLabel('Privater Schlüssel').fill(host.clientPrivateKey);
      await axe('host');
      await page.getByTestId('rebuild-host-add').click();
      // The host key is shown and trusted only after comparing it, as when adding a server.
      const dialog = page.getByTestId('host-key-dialog');
      await dialog.waitFor({ timeout: 30_000 });
      expect(await dialog.getByTestId('host-key-fingerprint').textContent()).toBe(
        host.hostFingerprint,
      );
      await shot('3-host-key');
      await dialog.getByRole('button', { name: 'Vertrauen und verbinden' }).click();
      const chosen = page.getByTestId('rebuild-hosts').getByRole('radio', { name });
      await expect.poll(() => chosen.isChecked(), { timeout: 60_000 }).toBe(true);
      await page.getByTestId('rebuild-port').fill(String(port));
      await shot('4-host');
      await page.getByTestId('rebuild-host-next').click();
    },

    async readPlan(): Promise<ShownPlan> {
      await heading('Vorabprüfung und Plan').waitFor();
      const preflight = page.getByTestId('rebuild-preflight');
      await preflight.waitFor({ timeout: 60_000 });
      const rows = preflight.locator('tbody tr');
      const checks: string[] = [];
      for (const row of await rows.all()) {
        checks.push(((await row.getAttribute('data-testid')) ?? '').replace(/^preflight-/, ''));
      }
      expect(await preflight.locator('tbody tr[data-ok="false"]').count()).toBe(0);
      expect(await page.getByTestId('rebuild-estimate').textContent()).toMatch(/\d/);
      const facts = (await page.getByTestId('rebuild-plan').textContent()) ?? '';
      const dataDirectory = / in (\/\S+), Port \d+/.exec(facts)?.[1] ?? '';
      await axe('plan');
      await shot('5-plan');
      return { checks, dataDirectory };
    },

    async start(hostName: string): Promise<void> {
      // Starting without the confirmation is refused at the box.
      await page.getByTestId('rebuild-start').click();
      await page.getByText('Bestätigen Sie zuerst den Neuaufbau.').waitFor();
      await page.getByLabel(`Den verlorenen Server auf ${hostName} neu aufbauen`).check();
      await page.getByTestId('rebuild-start').click();
      await heading('Neuaufbau läuft').waitFor();
    },

    async watchRun(): Promise<void> {
      await page
        .getByTestId('rebuild-phases')
        .getByText('Datenbank und Dateien aus dem Bucket wiederherstellen')
        .waitFor();
      await axe('run');
      await shot('6-run');
      // Cancel asks first; keeping it running changes nothing.
      await page.getByRole('button', { name: 'Neuaufbau abbrechen' }).click();
      const cancel = page.getByTestId('rebuild-cancel-dialog');
      await cancel.waitFor();
      await shot('7-cancel-asked');
      await cancel.getByRole('button', { name: 'Weiterlaufen lassen' }).click();
      await cancel.waitFor({ state: 'detached' });
    },

    async checkHandover(timeoutMs: number, sourceName: string): Promise<void> {
      await heading('Übergabe').waitFor({ timeout: timeoutMs });
      const facts = page.getByTestId('rebuild-handover-facts');
      expect(await page.getByTestId('rebuild-rto').textContent()).toMatch(/\d/);
      expect(await facts.textContent()).toMatch(
        /Daten wiederhergestellt bis \(RPO\)\d{2}\.\d{2}\./,
      );
      expect(await page.getByTestId('check-archiving').getAttribute('data-ok')).toBe('true');
      expect(await page.getByTestId('rebuild-left-to-admin').textContent()).toContain(
        'Verbindungszeichenfolge',
      );
      // The console verifies the signed hand-over it offers, and the zip is a zip.
      const verdict = page.getByTestId('rebuild-handover-verdict');
      await verdict.waitFor({ timeout: 30_000 });
      expect(await verdict.textContent()).toContain('Übergabebericht signiert und unverändert');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('rebuild-handover-download').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^kumiko-handover-.*\.zip$/);
      const zip = fs.readFileSync((await download.path()) as string);
      expect(zip.subarray(0, 2).toString()).toBe('PK');
      // The jobs panel words the rebuild's jobs from the catalog, the restore of the imported
      // server too (main's titles are English; an unknown server leaves main's title).
      const titles = await page.locator('.jobs-panel .job__title').allTextContents();
      expect(titles).toContain(`${sourceName} in eine Testumgebung wiederherstellen`);
      expect(titles.filter((title) => /^(Restore|Rebuild|Connect) /.test(title))).toEqual([]);
      await axe('handover');
      await shot('8-handover');
    },
  };
  return {
    page,
    pageErrors,
    seconds,
    close,
    importKit: timed('importKit', steps.importKit),
    addHost: timed('addHost', steps.addHost),
    readPlan: timed('readPlan', steps.readPlan),
    start: timed('start', steps.start),
    watchRun: timed('watchRun', steps.watchRun),
    checkHandover: timed('checkHandover', steps.checkHandover),
  };
}
