import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// DESIGN.md §7: runs only where the Electron binary exists; everywhere else it reports itself
// as skipped, with the reason in the suite title and on stderr, and never as passed.
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Mirrors node_modules/electron/index.js, without its download-on-miss side effect. */
function findElectron(): { binary: string } | { reason: string } {
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!name && !override) {
    return { reason: 'Electron binary not installed (node_modules/electron/path.txt missing)' };
  }
  const binary = path.join(override ?? path.join(pkg, 'dist'), name || 'electron');
  if (!existsSync(binary)) return { reason: `Electron binary missing (${binary})` };
  return { binary };
}

function availability(): { binary: string; reason?: undefined } | { reason: string } {
  const found = findElectron();
  if ('reason' in found) return found;
  const built = ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html'];
  const missing = built.filter((f) => !existsSync(path.join(root, f)));
  if (missing.length) return { reason: `app not built (${missing.join(', ')}): run npm run build` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'no display: run under xvfb-run' };
  }
  return found;
}

const status = availability();
const available = !status.reason;
if (status.reason) console.warn(`[electron-smoke] NOT RUN: ${status.reason}`);

describe(available ? 'Electron smoke' : `Electron smoke (skipped: ${status.reason})`, () => {
  let app: ElectronApplication | undefined;
  let page: Page;
  let userData: string | undefined;

  beforeAll(async () => {
    if (!('binary' in status)) return;
    userData = mkdtempSync(path.join(os.tmpdir(), 'kumiko-electron-smoke-'));
    const asRoot = process.platform === 'linux' && process.getuid?.() === 0;
    app = await _electron.launch({
      executablePath: status.binary,
      // Chromium refuses to start as root with its OS sandbox; the renderer flags still apply.
      args: [...(asRoot ? ['--no-sandbox'] : []), root],
      cwd: root,
      env: { ...process.env, XDG_CONFIG_HOME: userData, VITE_DEV_SERVER_URL: '' },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  it.skipIf(!available)('opens one window titled Kumiko Recovery', async () => {
    const titles = await app!.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((w) => w.getTitle()),
    );
    expect(titles).toEqual(['Kumiko Recovery']);
  });

  it.skipIf(!available)('exposes window.kumiko and no Node to the page', async () => {
    const probe = await page.evaluate(() => {
      const g = globalThis as Record<string, unknown>;
      return {
        kumiko: typeof g.kumiko,
        keys: g.kumiko ? Object.keys(g.kumiko as object).sort() : [],
        require: typeof g.require,
        process: typeof g.process,
        module: typeof g.module,
      };
    });
    expect(probe).toEqual({
      kumiko: 'object',
      keys: ['invoke', 'on'],
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
    });
  });

  it.skipIf(!available)('loads from app://kumiko/ and cannot read file:// URLs', async () => {
    expect(page.url()).toMatch(/^app:\/\/kumiko\/index\.html/);
    const read = await page.evaluate(async () => {
      try {
        return (await fetch('file:///etc/passwd')).status;
      } catch (error) {
        return String(error);
      }
    });
    expect(String(read)).toMatch(/TypeError|Failed to fetch|Refused/);
    const traversal = await page.evaluate(async () =>
      fetch('app://kumiko/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd').then(
        (r) => r.status,
        (error: unknown) => String(error),
      ),
    );
    expect(traversal).not.toBe(200);
  });

  it.skipIf(!available)('answers a command over IPC', async () => {
    const result = await page.evaluate(() => {
      const bridge = (globalThis as Record<string, unknown>).kumiko as {
        invoke(name: string, input: unknown): Promise<unknown>;
      };
      return bridge.invoke('app.info', {});
    });
    expect(result).toMatchObject({ ok: true, value: { transport: 'electron' } });
  });
});
