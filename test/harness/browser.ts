import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './paths';

const run = promisify(execFile);

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Starts headless Chromium (/usr/bin/chromium) through playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * A screenshot of `page` into `file`, of the whole page unless `fullPage` is false. A full-page
 * shot in Chromium leaves the window scrolled elsewhere than the page believes: the next focus
 * change (a click's press) jumps back, by ~400 px in the install wizard, so the release missed
 * the button. The scroll position is put back explicitly after the shot.
 */
export async function screenshot(page: Page, file: string, fullPage = true): Promise<void> {
  // Strings: the tests' tsconfig has no DOM types.
  const at = await page.evaluate<[number, number]>('[window.scrollX, window.scrollY]');
  await page.screenshot({ path: file, fullPage });
  if (fullPage) await page.evaluate(`window.scrollTo(${at[0]}, ${at[1]})`);
}

/** Builds the renderer into a private folder, so parallel work on dist/ cannot race a test. */
export async function buildRenderer(outDir: string): Promise<void> {
  const env = { ...process.env };
  delete env.NODE_ENV; // vitest sets 'test'; the bundle must be a production build
  await run(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: repoRoot, env, timeout: 120_000 },
  );
}
