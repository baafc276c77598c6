import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Result } from '../../shared/contract';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { openVault } from '../../electron/services/secrets/vault';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { buildRenderer, launchChromium } from '../harness/browser';
import { stopInOrder } from '../harness/stop-in-order';

// Browser mode against cross-site request forgery from another 127.0.0.1 port. Cookies are not
// bound to a port and SameSite counts every 127.0.0.1 port as one site, so a token cookie set
// by the console reaches any local page's requests; an invoke that accepts a text/plain body
// with no Origin check then runs whatever that page posts. Here: the built console in headless
// Chromium, and an attacker page on another local port in the same browser.

let tmp: string;
let core: AppCore | undefined;
let web: WebServer | undefined;
let attacker: http.Server | undefined;
let attackerPort = 0;
let browser: Browser | undefined;
let context: BrowserContext | undefined;

/** servers.add with nothing to reach (port 1): it only stores a row, which is what we look for. */
const addInput = (name: string) => ({
  name,
  host: '127.0.0.1',
  port: 1,
  user: 'root',
  auth: { kind: 'generate' },
});

async function serverNames(): Promise<string[]> {
  const listed = (await core!.dispatch('servers.list', {})) as Result<{ name: string }[]>;
  if (!listed.ok) throw new Error(listed.error.message);
  return listed.value.map((s) => s.name);
}

/** Waits until the console has answered over its socket: the start page became Servers or Overview. */
async function consoleLoaded(page: Page): Promise<void> {
  await expect
    .poll(
      async () => {
        const h1 = page.getByRole('heading', { level: 1 });
        return (await h1.count()) === 1 ? await h1.textContent() : null;
      },
      { timeout: 30_000 },
    )
    .toMatch(/^(Servers|Overview)$/);
}

/**
 * The attacker's page: a no-cors fetch with the browser's credentials and a text/plain form
 * POST, both to the console's /api/invoke; `window.attackDone` once both got an answer.
 */
function attackPage(consolePort: number): string {
  const target = `http://127.0.0.1:${consolePort}/api/invoke`;
  const fetchBody = JSON.stringify({ name: 'servers.add', input: addInput('csrf-fetch') });
  // enctype=text/plain sends `name=value`: the name opens the JSON, the value closes it.
  const formName = `${JSON.stringify({ name: 'servers.add', input: addInput('csrf-form') }).slice(0, -1)},"pad":"`;
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<!doctype html><title>innocent</title>
<iframe name="sink" id="sink"></iframe>
<form id="f" method="POST" enctype="text/plain" action="${target}" target="sink">
  <input type="hidden" name="${attr(formName)}" value='"}'>
</form>
<script>
  window.attackDone = false;
  const fetched = fetch(${JSON.stringify(target)}, {
    method: 'POST', mode: 'no-cors', credentials: 'include',
    headers: { 'Content-Type': 'text/plain' },
    body: ${JSON.stringify(fetchBody)},
  }).then(() => 'answered', (e) => 'failed: ' + e);
  const posted = new Promise((resolve) => {
    document.getElementById('sink').addEventListener('load', () => resolve('loaded'), { once: true });
    document.getElementById('f').submit();
  });
  Promise.all([fetched, posted]).then((r) => { window.attackResult = r; window.attackDone = true; });
</script>`;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-csrf-'));
  const staticDir = path.join(tmp, 'renderer');
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir);
  await buildRenderer(staticDir);
  const secrets = await openVault(path.join(dataDir, 'vault.json'), 'csrf test passphrase');
  core = await createAppCore({ dataDir, secrets, transport: 'web' });
  web = await startWebServer({ core, staticDir });

  const consolePort = web.port;
  attacker = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(attackPage(consolePort));
  });
  await new Promise<void>((resolve) => attacker!.listen(0, '127.0.0.1', resolve));
  attackerPort = (attacker.address() as AddressInfo).port;

  browser = await launchChromium();
  context = await browser.newContext({ locale: 'en-GB' });
});

afterAll(async () => {
  await stopInOrder([
    ['browser', () => browser?.close()],
    [
      'attacker',
      () =>
        attacker ? new Promise<void>((resolve) => attacker!.close(() => resolve())) : undefined,
    ],
    ['web server', () => web?.close()],
    ['core', () => core?.close()],
  ]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('browser mode refuses requests from other local origins', () => {
  it('refuses a cross-origin text/plain POST carrying the cookies the console set, and runs nothing', async () => {
    const w = web!;
    const before = await serverNames();
    const base = `http://127.0.0.1:${w.port}`;
    // As a browser would: open the printed URL and keep whatever cookies it sets.
    const opened = await fetch(w.url);
    expect(opened.status).toBe(200);
    const setCookies = opened.headers.getSetCookie();
    // A browser may still hold the cookie an older version set, or one named after the port:
    // neither is a credential.
    const cookie = [
      ...setCookies.map((c) => c.split(';')[0]),
      `kumiko_token=${w.token}`,
      `kumiko_token_${w.port}=${w.token}`,
    ].join('; ');
    const body = JSON.stringify({ name: 'servers.add', input: addInput('csrf-http') });
    const foreign = `http://127.0.0.1:${attackerPort}`;

    const attempts: { what: string; headers: Record<string, string> }[] = [
      {
        what: 'cookie, text/plain, foreign Origin',
        headers: { Cookie: cookie, 'Content-Type': 'text/plain', Origin: foreign },
      },
      {
        what: 'cookie, text/plain, same-site fetch without Origin',
        headers: { Cookie: cookie, 'Content-Type': 'text/plain', 'Sec-Fetch-Site': 'same-site' },
      },
      {
        what: 'cookie, JSON, own Origin',
        headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: base },
      },
      {
        what: 'token, JSON, foreign Origin',
        headers: {
          Authorization: `Bearer ${w.token}`,
          'Content-Type': 'application/json',
          Origin: foreign,
        },
      },
      {
        what: 'token, JSON, Origin null (sandboxed frame)',
        headers: {
          Authorization: `Bearer ${w.token}`,
          'Content-Type': 'application/json',
          Origin: 'null',
        },
      },
      {
        what: 'token, JSON, cross-site fetch',
        headers: {
          Authorization: `Bearer ${w.token}`,
          'Content-Type': 'application/json',
          'Sec-Fetch-Site': 'cross-site',
        },
      },
      {
        what: 'token, JSON, Sec-Fetch-Site none (only for a typed-in GET)',
        headers: {
          Authorization: `Bearer ${w.token}`,
          'Content-Type': 'application/json',
          'Sec-Fetch-Site': 'none',
        },
      },
    ];
    for (const { what, headers } of attempts) {
      const res = await fetch(`${base}/api/invoke`, { method: 'POST', headers, body });
      expect(await serverNames(), what).toEqual(before);
      expect([401, 403], what).toContain(res.status);
    }
    // Same origin with the token, but a body type a form or no-cors fetch could send.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
      const res = await fetch(`${base}/api/invoke`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${w.token}`, 'Content-Type': type, Origin: base },
        body,
      });
      expect(res.status, type).toBe(415);
    }
    expect(await serverNames()).toEqual(before);
    expect(setCookies, 'the console sets no cookie at all').toEqual([]);
  });

  it('refuses a WebSocket from a foreign Origin even with the token', async () => {
    const w = web!;
    const open = (origin: string | undefined): Promise<string> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${w.port}/ws?token=${w.token}`, { origin });
        ws.once('open', () => {
          ws.close();
          resolve('open');
        });
        ws.once('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
        ws.once('error', (err) => resolve(`error ${err.message}`));
      });
    for (const origin of [
      `http://127.0.0.1:${attackerPort}`,
      `http://localhost:${attackerPort}`,
      'null',
      `https://127.0.0.1:${w.port}`,
      `127.0.0.1:${w.port}`,
    ]) {
      expect(await open(origin), origin).toBe('HTTP 403');
    }
    expect(await open(`http://127.0.0.1:${w.port}`)).toBe('open');
    expect(await open(undefined)).toBe('open');
  });

  it('a page on another 127.0.0.1 port posts to /api/invoke (no-cors fetch and form) while the console is open: nothing runs', async () => {
    const before = await serverNames();
    const consolePage = await context!.newPage();
    await consolePage.goto(web!.url);
    await consoleLoaded(consolePage);

    const evil: Page = await context!.newPage();
    await evil.goto(`http://127.0.0.1:${attackerPort}/`);
    await evil.waitForFunction('window.attackDone === true', undefined, { timeout: 30_000 });
    const result = (await evil.evaluate('window.attackResult')) as string[];
    // Both requests reached the console and got an answer: only the answer was "no".
    expect(result).toEqual(['answered', 'loaded']);
    expect(await serverNames()).toEqual(before);

    // The attacker page also cannot open the socket, even guessing nothing else is needed.
    const socket = await evil.evaluate(`new Promise((resolve) => {
      const ws = new WebSocket('ws://127.0.0.1:${web!.port}/ws');
      ws.onopen = () => resolve('open');
      ws.onclose = () => resolve('closed');
    })`);
    expect(socket).toBe('closed');
    await evil.close();
    await consolePage.close();
  });

  it('the console itself still works: same-origin invoke, the socket, a reload, and a tab without the token is told what to open', async () => {
    const w = web!;
    const page = await context!.newPage();
    await page.goto(w.url);
    await consoleLoaded(page);
    expect(page.url()).not.toContain('token=');

    // The console's own origin, with the token it keeps, may invoke over HTTP.
    const added = (await page.evaluate(`fetch('/api/invoke', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Bearer ' + sessionStorage.getItem('kumiko.token'),
      },
      body: JSON.stringify({ name: 'servers.add', input: ${JSON.stringify(addInput('same-origin'))} }),
    }).then((r) => r.json())`)) as Result<unknown>;
    expect(added.ok).toBe(true);
    expect(await serverNames()).toContain('same-origin');

    // After a reload (the token is out of the address bar by now) the console loads and reads
    // the list over its socket again.
    await page.reload();
    expect(page.url()).not.toContain('token=');
    await consoleLoaded(page);
    await expect
      .poll(() => page.getByText('same-origin').first().isVisible(), { timeout: 30_000 })
      .toBe(true);

    // A new tab of the same address without the token: the console says which link to open.
    const bare = await context!.newPage();
    await bare.goto(`http://127.0.0.1:${w.port}/`);
    await expect
      .poll(() => bare.getByRole('heading', { name: 'Open the console with its link' }).isVisible())
      .toBe(true);
    // A wrong token in the link is refused at once.
    expect((await fetch(`http://127.0.0.1:${w.port}/?token=wrong`)).status).toBe(401);
    await bare.close();
    await page.close();
  });
});
