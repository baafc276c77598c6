import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { AppCore } from '../ipc/app-core';
import { startWebServer, type WebServer } from '../web/server';
import { appRoot, rendererDir } from './paths';

/** Builds the renderer once if this checkout has no build yet (a fresh clone). */
export function ensureRendererBuilt(): string {
  const dir = rendererDir();
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    process.stderr.write('Building the console (first run)…\n');
    const vite = path.join(appRoot(), 'node_modules', 'vite', 'bin', 'vite.js');
    const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: appRoot(),
      stdio: 'inherit',
    });
    if (built.status !== 0)
      throw new Error('The console could not be built: the build output above says why.');
  }
  return dir;
}

/** Starts browser mode and prints the URL (with its token) to open. */
export async function serve(
  core: AppCore,
  port?: number,
  staticDir = ensureRendererBuilt(),
): Promise<WebServer> {
  const web = await startWebServer({ core, staticDir, port });
  process.stdout.write(`Kumiko Recovery console: ${web.url}\n`);
  return web;
}

/**
 * Resolves on Ctrl-C or SIGTERM, after which the caller stops what it started. Later signals
 * are caught too: Ctrl-C reaches every process of the terminal's group (npm, its shell, us),
 * so a second one often follows at once, and dying on it would leave processes running.
 */
export function untilInterrupted(): Promise<string> {
  return new Promise((resolve) => {
    let received: string | null = null;
    const onSignal = (signal: string): void => {
      if (received) {
        process.stderr.write('Still stopping what was started; this takes a few seconds.\n');
        return;
      }
      received = signal;
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
