import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Catalog,
  DrillReportEntry,
  Result,
  Server,
  ServerHealth,
} from '../../shared/contract';
import { translate, type MessageKey, type Params } from '../../renderer/app/i18n/translate';
import { isAlive, pidsWithArgument, runCommand } from '../harness';
import { launchChromium, screenshot } from '../harness/browser';
import { checkShownPage, problems } from './axe-walk';

// The demo as a newcomer meets it: `npm run demo` in a checkout prints the console URL once
// the demo server is protected (agent installed, its recovery kit exported and confirmed, a
// recovery point, two minutes of captured WAL, a drill report, a second cluster left unprotected); the console, in German, walks from the
// overview to the timeline, restores one second into a scratch database, runs a drill and opens
// its report and PDF. Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stops
// everything; a second run reuses the demo folder.

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = path.join(root, 'test-results');
const FIRST_RUN_TIMEOUT_MS = 420_000;
const JOB_TIMEOUT_MS = 300_000;
const de = (key: MessageKey, params?: Params): string => translate('de', key, params);

interface RunningDemo {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  seconds: number;
}

/** `npm run demo -- --dir <dir>` in its own process group, resolved once it prints the URL. */
function startDemo(dir: string, timeoutMs = FIRST_RUN_TIMEOUT_MS): Promise<RunningDemo> {
  const started = Date.now();
  const child = spawn('npm', ['run', '-s', 'demo', '--', '--dir', dir], {
    cwd: root,
    env: { ...process.env, KUMIKO_FROM_SOURCE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL in time\n${stderr}`)), timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        child,
        url: match[1] as string,
        stderr: () => stderr,
        seconds: (Date.now() - started) / 1000,
      });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited ${code}\n${stderr}`));
    });
  });
}

/** Ctrl-C as a terminal sends it: SIGINT to npm, its shell and the demo alike. */
async function interrupt(demo: RunningDemo): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => demo.child.once('exit', resolve));
  process.kill(-(demo.child.pid as number), 'SIGINT');
  return exited;
}

/** Calls a contract command through the console's own HTTP API, with the URL's token. */
async function api<T>(url: string, name: string, input: unknown): Promise<T> {
  const token = new URL(url).searchParams.get('token') as string;
  const res = await fetch(new URL('/api/invoke', url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, input }),
  });
  const result = (await res.json()) as Result<T>;
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-demo-e2e-'));
fs.chmodSync(dir, 0o755);
let demo: RunningDemo | undefined;
let browser: Browser | undefined;
let page: Page;
let server: Server;
const pageErrors: string[] = [];

/** A table row as the page has it (the tests' tsconfig has no DOM types). */
type Row = { dataset: Record<string, string | undefined> };

async function shot(name: string, fullPage = true): Promise<void> {
  await screenshot(page, path.join(shots, `e2e-demo-${name}.png`), fullPage);
}

beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true });
  demo = await startDemo(dir);
  console.log(`demo first run: console URL after ${demo.seconds.toFixed(0)} s`);
  browser = await launchChromium();
  const context = await browser.newContext({
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1280, height: 1000 },
    acceptDownloads: true,
  });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, FIRST_RUN_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await browser?.close();
  if (demo && demo.child.exitCode === null) {
    try {
      process.kill(-(demo.child.pid as number), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const pid of pidsWithArgument(dir)) process.kill(pid, 'SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('kumiko demo, first run', () => {
  it('leaves a protected server with a recovery point, 2 minutes of WAL, a drill report and an unprotected second cluster', async () => {
    const url = (demo as RunningDemo).url;
    const servers = await api<Server[]>(url, 'servers.list', {});
    expect(servers.map((s) => s.name)).toEqual(['Demo (chinook)']);
    server = servers[0] as Server;
    expect(server.status).toBe('connected');
    const clusters = server.detection?.clusters ?? [];
    const protectedDir = path.join(dir, 'postgres', 'data');
    // The machine may run clusters of its own (Debian's default one): the demo's two are listed.
    expect(clusters.map((c) => c.dataDirectory)).toEqual(
      expect.arrayContaining([protectedDir, path.join(dir, 'postgres-spare', 'data')]),
    );
    expect(server.protectedDataDirectory).toBe(protectedDir);

    const catalog = await api<Catalog>(url, 'catalog.get', { serverId: server.id });
    expect(catalog.backups.length).toBeGreaterThanOrEqual(1);
    const covered =
      (Date.parse(catalog.lastRestorable ?? '') - Date.parse(catalog.firstRestorable ?? '')) / 1000;
    expect(covered).toBeGreaterThanOrEqual(120);
    const reports = await api<DrillReportEntry[]>(url, 'reports.list', { serverId: server.id });
    expect(reports.length).toBeGreaterThanOrEqual(1);
    expect(reports.every((r) => r.passed)).toBe(true);

    // Protected means the recovery kit is confirmed too (issue 15 §3): the demo exported it
    // and confirmed it through the console's commands, as an admin does.
    expect((demo as RunningDemo).stderr()).toContain('exporting the recovery kit to');
    const kit = await api<{ acknowledgedAt: string | null; acknowledgedBy: string | null }>(
      url,
      'recoveryKit.status',
      { serverId: server.id },
    );
    expect(kit.acknowledgedAt).not.toBeNull();
    expect(kit.acknowledgedBy).toBe(os.userInfo().username);
    expect(fs.readdirSync(path.join(dir, 'recovery-kit')).some((f) => f.endsWith('.pdf'))).toBe(
      true,
    );
    const health = await api<ServerHealth>(url, 'status.get', { serverId: server.id });
    expect(health.tiles.find((t) => t.id === 'recoveryKit')?.level).toBe('ok');
  });

  it('opens on the overview in German and shows which cluster is protected', async () => {
    await page.goto((demo as RunningDemo).url);
    await page.getByRole('heading', { level: 1, name: de('fleet.title') }).waitFor();
    await shot('1-overview');
    await page
      .getByRole('navigation', { name: de('app.nav') })
      .getByRole('button', { name: de('servers.title'), exact: true })
      .click();
    await page.getByRole('button', { name: 'Demo (chinook)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Demo (chinook)' }).waitFor();
    const rows = page.getByTestId('clusters').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    const spare = rows.filter({ hasText: path.join(dir, 'postgres-spare', 'data') });
    expect(await spare.getAttribute('data-protected')).toBe('false');
    expect(await spare.innerText()).toContain(de('detail.protection.no'));
    const main = rows.filter({ hasText: path.join(dir, 'postgres', 'data') });
    await expect
      .poll(() => main.getAttribute('data-protection'), { timeout: 20_000 })
      .toBe('protected');
    expect(await main.getAttribute('data-protected')).toBe('true');
    expect(await main.innerText()).toContain(de('detail.protection.yes'));
    expect(await page.getByTestId('kit-gate').count()).toBe(0);
    await shot('2-server');
  });

  it('shows the timeline with its coverage and restores one second into a scratch database', async () => {
    await page.getByRole('button', { name: de('timeline.nav') }).click();
    await page
      .getByRole('heading', { level: 1, name: de('timeline.title', { name: 'Demo (chinook)' }) })
      .waitFor();
    await page.getByTestId('timeline-canvas').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('catalog-summary').textContent()).toContain('jede Sekunde von');
    await shot('3-timeline');

    const slider = page.getByTestId('timeline-slider');
    await slider.focus();
    await page.keyboard.press('End');
    await page.getByTestId('zoom-1min').click();
    await slider.focus();
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowLeft');
    await page.getByTestId('restore-plan').waitFor({ timeout: 60_000 });
    await shot('4-second-picked');
    await slider.focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('heading', { level: 1, name: de('restore.title', { name: 'Demo (chinook)' }) })
      .waitFor();
    await page.getByRole('button', { name: de('wizard.next') }).click();
    await page.getByRole('heading', { level: 2, name: de('restore.destination.title') }).waitFor();
    await page.getByRole('button', { name: de('wizard.next') }).click();
    await page.getByRole('heading', { level: 2, name: de('restore.summary.title') }).waitFor();
    await page.getByTestId('restore-plan').waitFor({ timeout: 60_000 });
    await page.getByLabel(de('restore.summary.confirmScratch', { name: 'Demo (chinook)' })).check();
    await page.getByTestId('start-restore').click();
    const result = page.getByTestId('restore-result');
    const failed = page.getByTestId('restore-failed').or(page.getByTestId('restore-cancelled'));
    await result.or(failed).waitFor({ timeout: JOB_TIMEOUT_MS });
    await shot('5-restored');
    if (await failed.isVisible())
      throw new Error(`the restore failed: ${await failed.textContent()}`);
    expect(await result.getAttribute('data-passed')).toBe('true');

    // The scratch environment goes again, after a confirmation.
    await page.getByTestId('drop-scratch').click();
    const dialog = page.getByTestId('drop-scratch-dialog');
    await dialog.getByRole('button', { name: de('scratch.dropConfirm'), exact: true }).click();
    await page.getByText(de('result.dropped')).waitFor({ timeout: 120_000 });
  });

  it('runs a drill and opens its report and PDF', async () => {
    await page
      .getByRole('navigation', { name: de('app.nav') })
      .getByRole('button', { name: de('servers.title'), exact: true })
      .click();
    await page.getByRole('button', { name: 'Demo (chinook)' }).click();
    await page.getByRole('button', { name: de('drills.nav') }).click();
    await page
      .getByRole('heading', { level: 1, name: de('drills.title', { name: 'Demo (chinook)' }) })
      .waitFor();
    // The demo's own first drill is listed already.
    await page.locator('[data-testid^="drill-row-"][data-passed="true"]').first().waitFor();
    await page.getByTestId('drill-run-button').click();
    await page
      .getByRole('dialog', { name: de('drills.run.confirmTitle', { name: 'Demo (chinook)' }) })
      .waitFor();
    await page.keyboard.press('Enter');
    const done = page.locator('[data-testid="drill-progress"]:not([data-state="running"])');
    await done.waitFor({ timeout: JOB_TIMEOUT_MS });
    await shot('6-drill');
    const failed = page.getByTestId('drill-failed');
    if (await failed.isVisible())
      throw new Error(`the drill failed: ${await failed.textContent()}`);

    await page
      .getByTestId('drill-succeeded')
      .getByRole('button', { name: de('drills.run.openReport') })
      .click();
    const report = page.getByTestId('drill-report');
    await report.getByTestId('report-checks').waitFor();
    await shot('7-report', false);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      report.getByTestId('report-pdf').click(),
    ]);
    const pdf = path.join(dir, download.suggestedFilename());
    await download.saveAs(pdf);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    await runCommand('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      pdf,
      path.join(shots, 'e2e-demo-8-report-pdf'),
    ]);
    expect(fs.statSync(path.join(shots, 'e2e-demo-8-report-pdf.png')).size).toBeGreaterThan(5_000);
    expect(pageErrors).toEqual([]);
  });

  it("lists the demo's actions and this run's in the activity log, in German: filter, axe, signed export", async () => {
    // The drill report is still open as a dialog (the page behind it inert): go by address.
    await page.goto(`${new URL(demo!.url).origin}/#/jobs`);
    await page.getByRole('heading', { level: 1, name: de('jobs.history.title') }).waitFor();
    await page.getByRole('link', { name: de('activity.fromJobs') }).click();
    await page.getByRole('heading', { level: 1, name: de('activity.title') }).waitFor();
    const verdict = page.getByTestId('chain-verdict');
    await verdict.waitFor();
    expect(await verdict.textContent()).toContain(de('activity.chain.title.intact'));
    const rows = page.getByTestId('activity-log').locator('tbody tr');
    await rows.first().waitFor();
    const actions = await rows.evaluateAll((trs) =>
      trs.map((tr) => (tr as unknown as Row).dataset.action),
    );
    // The demo's setup (through the same commands an admin uses) and this test's restore and drill.
    expect(actions).toEqual(
      expect.arrayContaining([
        'server.add',
        'hostKey.trust',
        'storage.save',
        'agent.install',
        'kit.export',
        'kit.acknowledge',
        'restore.scratch',
        'scratch.drop',
        'drill.run',
      ]),
    );
    const who = os.userInfo().username;
    expect(await rows.first().innerText()).toContain(who);

    // A restore is a job: one entry when it started, one with its result.
    await page
      .getByLabel(de('activity.filter.action'), { exact: true })
      .selectOption('restore.scratch');
    await expect
      .poll(() => rows.evaluateAll((trs) => trs.map((tr) => (tr as unknown as Row).dataset.result)))
      .toEqual(['ok', 'started']);
    expect(await rows.first().innerText()).toContain(de('activity.action.restore.scratch'));
    await shot('9-activity-log');
    expect(
      problems([await checkShownPage(page, new URL(demo!.url).origin, 'activity', 'de')]),
    ).toEqual([]);

    await page.getByRole('button', { name: de('activity.export') }).click();
    await page.getByTestId('activity-exported').waitFor();
    const exports = path.join(dir, 'app', 'activity-exports');
    const [folder] = fs.readdirSync(exports);
    const exported = path.join(exports, folder as string);
    const manifest = fs.readFileSync(path.join(exported, 'MANIFEST.sha256'));
    await runCommand('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: exported });
    const log = JSON.parse(fs.readFileSync(path.join(exported, 'activity-log.json'), 'utf8')) as {
      entries: { action: string }[];
    };
    expect(log.entries.map((e) => e.action)).toEqual(['restore.scratch', 'restore.scratch']);
    const signers = path.join(dir, 'allowed_signers');
    const key = await api<{ principal: string; publicKey: string }>(
      demo!.url,
      'accountability.export',
      { action: 'log.export' },
    );
    fs.writeFileSync(
      signers,
      `${key.principal} ${key.publicKey.split(' ').slice(0, 2).join(' ')}\n`,
    );
    const verified = await runCommand(
      'ssh-keygen',
      [
        '-Y',
        'verify',
        '-f',
        signers,
        '-I',
        key.principal,
        '-n',
        'kumiko-report',
        '-s',
        'MANIFEST.sha256.sig',
      ],
      { cwd: exported, input: manifest },
    );
    expect(verified.stdout).toContain('Good');
    expect(pageErrors).toEqual([]);
  });

  it('stops everything it started on Ctrl-C', async () => {
    const running = demo as RunningDemo;
    const postmaster = Number(
      fs.readFileSync(path.join(dir, 'postgres', 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    expect(isAlive(postmaster)).toBe(true);
    expect(await interrupt(running), running.stderr()).toBe(0);
    expect(isAlive(postmaster)).toBe(false);
    expect(pidsWithArgument(dir)).toEqual([]);
  });
});

describe('kumiko demo, a later run', () => {
  it('reuses the demo folder and stops cleanly again', async () => {
    demo = await startDemo(dir, 100_000);
    console.log(`demo later run: console URL after ${demo.seconds.toFixed(0)} s`);
    const later = demo;
    await expect.poll(() => later.stderr(), { timeout: 10_000 }).toContain('The demo is ready');
    expect(later.stderr()).toContain('reused from the last run');
    // Confirmed once is confirmed: the reused demo exports no new kit.
    expect(later.stderr()).not.toContain('exporting the recovery kit');
    const reports = await api<DrillReportEntry[]>(demo.url, 'reports.list', {
      serverId: server.id,
    });
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(await interrupt(demo), demo.stderr()).toBe(0);
    expect(pidsWithArgument(dir)).toEqual([]);
  }, 120_000);
});
