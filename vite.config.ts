import fs from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { bundledLicences, installedLicence } from './scripts/bundled-licences';

/**
 * Strict CSP for the built bundle, the same as the header both transports send
 * (electron/web/renderer-files.ts; test/unit/app-protocol.test.ts compares them). Only added at
 * build time: the dev server injects an inline React Refresh preamble that this policy would block.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'kumiko-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * `virtual:kumiko-licences`: the shipped npm packages and their licences, read from
 * package-lock.json when the renderer is built (the About page lists them).
 */
function licences(): Plugin {
  const id = 'virtual:kumiko-licences';
  return {
    name: 'kumiko-licences',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(loaded) {
      if (loaded !== `\0${id}`) return null;
      const lock: unknown = JSON.parse(
        fs.readFileSync(new URL('./package-lock.json', import.meta.url), 'utf8'),
      );
      const fromDisk = (where: string) =>
        installedLicence((file) => {
          try {
            return fs.readFileSync(new URL(`./${where}/${file}`, import.meta.url), 'utf8');
          } catch {
            return null;
          }
        });
      return `export default ${JSON.stringify(bundledLicences(lock, fromDisk))};`;
    },
  };
}

// The renderer is a static bundle: Electron serves it as app://kumiko/ (electron/web/
// app-protocol.ts) and browser mode over HTTP from electron/web; a relative base fits both.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), contentSecurityPolicy(), licences()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
  },
});
