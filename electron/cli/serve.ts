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
      throw new Error('Building the console failed: run `npm run build:renderer`.');
  }
  return dir;
}

/** Starts browser mode and prints the URL (with its token) to open. */
export async function serve(core: AppCore, port?: number): Promise<WebServer> {
  const web = await startWebServer({ core, staticDir: ensureRendererBuilt(), port });
  process.stdout.write(`Kumiko Recovery console: ${web.url}\n`);
  return web;
}

/** Resolves on Ctrl-C or SIGTERM, after which the caller stops what it started. */
export function untilInterrupted(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}
