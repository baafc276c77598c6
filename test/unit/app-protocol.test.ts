import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  appProtocolResponse,
  appRequestPath,
} from '../../electron/web/app-protocol';
import { mimeTypeOf, rendererCsp, rendererFilePath } from '../../electron/web/renderer-files';
import { readStatic } from '../../electron/web/static-files';
import { repoRoot } from '../harness/paths';

// The app:// protocol the desktop window loads the renderer from (DESIGN.md §6), against real
// files: a renderer build in a temp folder, with secrets beside it that a request must never
// reach: one next to the folder, one in a sibling whose name starts like the renderer folder's.

const SECRET = 'root:x:0:0:secret-beside-the-app';
let tmp: string;
let root: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-app-protocol-'));
  root = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Kumiko</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-1a2b.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'index-1a2b.css'), 'body{}');
  fs.writeFileSync(path.join(root, 'assets', 'logo file.svg'), '<svg/>');
  fs.writeFileSync(path.join(tmp, 'passwd'), SECRET);
  fs.mkdirSync(path.join(tmp, 'renderer-other'));
  fs.writeFileSync(path.join(tmp, 'renderer-other', 'passwd'), SECRET);
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => appProtocolResponse(root, { url, method });
const text = (body: Uint8Array | null) => Buffer.from(body ?? []).toString('utf8');

describe('app:// serves the renderer build', () => {
  it('answers the entry and its assets with their types and the strict CSP', async () => {
    for (const url of [APP_ENTRY_URL, 'app://kumiko/', `${APP_ENTRY_URL}?x=1#/servers`]) {
      const answer = await get(url);
      expect(answer.status, url).toBe(200);
      expect(answer.headers['Content-Type']).toBe('text/html; charset=utf-8');
      expect(text(answer.body)).toContain('<title>Kumiko</title>');
    }
    const js = await get('app://kumiko/assets/index-1a2b.js');
    expect([js.status, js.headers['Content-Type']]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
    const css = await get('app://kumiko/assets/index-1a2b.css');
    expect(css.headers['Content-Type']).toBe('text/css; charset=utf-8');
    const svg = await get('app://kumiko/assets/logo%20file.svg');
    expect([svg.status, svg.headers['Content-Type']]).toEqual([200, 'image/svg+xml']);
    expect(js.headers['X-Content-Type-Options']).toBe('nosniff');
    expect(js.headers['Content-Security-Policy']).toBe(rendererCsp());
  });

  it('answers HEAD without a body, and refuses other methods', async () => {
    const head = await get(APP_ENTRY_URL, 'HEAD');
    expect([head.status, head.body]).toEqual([200, null]);
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405);
  });

  it('says 404 for a missing file or a folder', async () => {
    expect((await get('app://kumiko/nope.js')).status).toBe(404);
    expect((await get('app://kumiko/assets/')).status).toBe(404);
  });

  it('types unknown files as bytes, never as something a browser would run', () => {
    expect(mimeTypeOf('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeOf('/x/a.map')).toBe('application/octet-stream');
    expect(mimeTypeOf('/x/Makefile')).toBe('application/octet-stream');
  });

  it('registers the scheme standard and secure, never bypassing the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({
      standard: true,
      secure: true,
      bypassCSP: false,
      allowServiceWorkers: false,
    });
  });
});

describe('app:// never reads outside the renderer folder', () => {
  it.each([
    // Parses with host "..": no host but kumiko is served.
    'app://../../etc/passwd',
    'app://..%2F..%2Fpasswd/',
    // Encoded separators survive URL parsing and decode into a climb.
    'app://kumiko/..%2Fpasswd',
    'app://kumiko/..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
    'app://kumiko/assets/..%2F..%2Fpasswd',
    'app://kumiko/%2e%2e%2fpasswd',
    // A sibling folder whose name starts with the renderer folder's.
    'app://kumiko/..%2Frenderer-other%2Fpasswd',
    // Windows separators, a drive letter, NUL, broken encoding.
    'app://kumiko/..%5Cpasswd',
    'app://kumiko/assets%5C..%5C..%5Cpasswd',
    'app://kumiko/C:%2Fpasswd',
    'app://kumiko/index.html%00.js',
    'app://kumiko/%E0%A4%A',
  ])('%s', async (url) => {
    expect(appRequestPath(root, url)).toBeNull();
    const answer = await get(url);
    expect(answer.status).toBe(404);
    expect(text(answer.body)).not.toContain('secret');
  });

  it('serves only the host kumiko, without user or port', async () => {
    for (const url of [
      'app://evil/index.html',
      'app://kumiko.evil/index.html',
      'app://user@kumiko/index.html',
      'app://kumiko:8080/index.html',
      'file:///etc/passwd',
      'https://kumiko/index.html',
      'not a url',
    ]) {
      expect(appRequestPath(root, url), url).toBeNull();
      expect((await get(url)).status, url).toBe(404);
    }
  });

  it('resolves paths by containment, the same for browser mode', async () => {
    expect(rendererFilePath(root, '/')).toBe(path.join(root, 'index.html'));
    expect(rendererFilePath(root, '/assets/../index.html')).toBe(path.join(root, 'index.html'));
    expect(rendererFilePath(root, '/..%2Fpasswd')).toBeNull();
    expect(rendererFilePath(root, '/%2e%2e/passwd')).toBeNull();
    expect(await readStatic(root, '/..%2Fpasswd')).toBeNull();
    expect(await readStatic(root, '/..%2Frenderer-other%2Fpasswd')).toBeNull();
    expect((await readStatic(root, '/index.html'))?.type).toBe('text/html; charset=utf-8');
  });
});

describe('the renderer CSP', () => {
  it("allows no inline script or style, nothing remote, and no 'unsafe-*' at all", () => {
    const csp = rendererCsp();
    expect(csp).not.toContain('unsafe');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(rendererCsp(['ws://127.0.0.1:*'])).toContain("connect-src 'self' ws://127.0.0.1:*;");
  });

  it('is the policy the built index.html carries in its meta tag (vite.config.ts)', () => {
    const vite = fs.readFileSync(path.join(repoRoot, 'vite.config.ts'), 'utf8');
    const meta = [...vite.matchAll(/^\s+"([a-z-]+ [^"]+)",$/gm)].map((m) => m[1]);
    // frame-ancestors only works as a header; browsers ignore it in a meta tag.
    const header = rendererCsp(['ws://127.0.0.1:*', 'ws://localhost:*'])
      .split('; ')
      .filter((d) => !d.startsWith('frame-ancestors'));
    expect(meta.sort()).toEqual(header.sort());
  });
});
