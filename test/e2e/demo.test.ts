import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../harness';

// `kumiko demo` as a new user runs it: a child process that prints the console URL, a
// console in Chromium that shows the demo server connected with its PostgreSQL 15 cluster,
// and Ctrl-C stopping every process the demo started.

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('kumiko demo', () => {
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-demo-e2e-'));

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints a URL whose console shows the demo server connected, and stops everything on Ctrl-C', async () => {
    child = spawn(process.execPath, [path.join(root, 'bin/kumiko.mjs'), 'demo', '--dir', dir], {
      cwd: root,
      env: { ...process.env, KUMIKO_FROM_SOURCE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL in time\n${stderr}`)), 150_000);
      child?.stdout?.on('data', (d: Buffer) => {
        stdout += d;
        const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] as string);
        }
      });
      child?.on('exit', (code) => reject(new Error(`demo exited ${code}\n${stderr}`)));
    });

    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    // The start page is the overview once servers exist; the demo server's page is in the list.
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('button', { name: 'Servers', exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Servers' }).waitFor();
    await page.getByText('Demo (chinook)').first().click();
    await expect
      .poll(() => page.getByText('Connected').first().isVisible(), { timeout: 20_000 })
      .toBe(true);
    const demoDataDir = path.join(dir, 'postgres', 'data');
    const row = page.getByRole('row').filter({ hasText: demoDataDir });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.innerText()).toMatch(/PostgreSQL 15/);
    fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
    await page.screenshot({
      path: path.join(root, 'test-results/e2e-demo-console.png'),
      fullPage: true,
    });

    const postmasterPid = Number(
      fs.readFileSync(path.join(demoDataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    expect(isAlive(postmasterPid)).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child?.once('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(isAlive(postmasterPid)).toBe(false);
  });
});
