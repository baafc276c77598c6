import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WireMessage, WireRequest } from '../../shared/contract';
import { fail } from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import { rendererCsp } from './renderer-files';
import { readStatic } from './static-files';
import { bearerToken, generateToken, queryToken, tokenMatches } from './token';

export interface WebServerOptions {
  core: AppCore;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
}

export interface WebServer {
  /** Open this in a browser: it carries the token. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const CSP = rendererCsp(['ws://127.0.0.1:*', 'ws://localhost:*']);

// A report zip the auditor verifies in the console travels as base64 in one message
// (MAX_UPLOAD_BASE64 in the contract, 16 MiB of text): room for it and its envelope.
const MAX_BODY_BYTES = 17 * 1024 * 1024;

/**
 * Browser mode: the renderer and the contract over HTTP + WebSocket, bound to 127.0.0.1 only.
 *
 * The session's random token is the credential, and it never travels in a cookie: cookies are
 * not bound to a port (and SameSite counts every 127.0.0.1 port as one site), so a page on any
 * other local port would get the browser to send it. The renderer keeps the token from the
 * printed URL in sessionStorage and presents it itself: in the WebSocket URL, or as
 * `Authorization: Bearer` on `POST /api/invoke`. On top of that every request must be
 * same-origin: the Host must name this loopback server (DNS rebinding), an `Origin` must be
 * this server's own, a `Sec-Fetch-Site` must be `same-origin` (or `none` for a typed-in GET),
 * and an invoke must be `Content-Type: application/json` (no "simple" cross-site POST).
 * The static files are the public renderer build; they hold no data and need no token, so a
 * reload of the page (the token already out of the address bar) loads the console again.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = generateToken();
  const staticDir = path.resolve(options.staticDir);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const server = http.createServer((req, res) => {
    void handleHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const baseHeaders = {
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    };
    const refuse = (status: number, message: string) => {
      req.resume();
      res.writeHead(status, { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(message);
    };
    if (!allowedHosts().has(req.headers.host ?? '')) {
      refuse(421, 'Misdirected request');
      return;
    }
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    if (!sameOrigin(req, isRead)) {
      refuse(403, 'Forbidden: only this console itself may call it (cross-origin request).');
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/invoke') {
      if (!tokenMatches(token, bearerToken(req))) {
        refuse(401, 'Unauthorized: send the token as `Authorization: Bearer <token>`.');
        return;
      }
      if (mediaType(req.headers['content-type']) !== 'application/json') {
        refuse(415, 'Unsupported media type: the body must be Content-Type: application/json.');
        return;
      }
      const body = await readBody(req);
      let request: { name?: unknown; input?: unknown };
      try {
        request = JSON.parse(body) as typeof request;
      } catch {
        request = {};
      }
      const result =
        typeof request?.name === 'string'
          ? await options.core.dispatch(request.name, request.input)
          : fail('INVALID_INPUT', 'Body must be JSON: { "name": string, "input": object }.');
      res.writeHead(200, { ...baseHeaders, 'Content-Type': 'application/json' });
      res.end(JSON.stringify(result));
      return;
    }
    if (!isRead) {
      req.resume();
      res.writeHead(405, baseHeaders).end();
      return;
    }
    // The static files need no token, but a wrong one in the link is said at once.
    const fromLink = queryToken(url);
    if (fromLink !== null && !tokenMatches(token, fromLink)) {
      refuse(401, 'Unauthorized: open the URL with its token, as printed by `kumiko serve`.');
      return;
    }
    const file = await readStatic(staticDir, url.pathname);
    if (!file) {
      res.writeHead(404, baseHeaders).end('Not found');
      return;
    }
    res.writeHead(200, {
      ...baseHeaders,
      'Content-Type': file.type,
      'Content-Security-Policy': CSP,
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reject = (status: string) => {
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
    };
    if (url.pathname !== '/ws' || !allowedHosts().has(req.headers.host ?? '')) {
      reject('404 Not Found');
    } else if (!sameOrigin(req, false)) {
      reject('403 Forbidden');
    } else if (!tokenMatches(token, queryToken(url) ?? bearerToken(req))) {
      reject('401 Unauthorized');
    } else {
      wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options.core));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Same-origin as the browser says it: an `Origin` header must be exactly this server as the
 * request addressed it (the Host was checked against the loopback names before); a
 * `Sec-Fetch-Site` header must be `same-origin`, or `none` (typed in, bookmarked) for reads.
 * Clients that are not browsers send neither and are judged by the token alone.
 */
function sameOrigin(req: http.IncomingMessage, isRead: boolean): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) return false;
  const site = req.headers['sec-fetch-site'];
  if (site === undefined) return true;
  return site === 'same-origin' || (isRead && site === 'none');
}

/** `application/json; charset=utf-8` → `application/json`. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function serveSocket(ws: WebSocket, core: AppCore): void {
  const send = (message: WireMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = core.onEvent((name, payload) => send({ type: 'event', name, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', (data) => {
    let request: Partial<WireRequest>;
    try {
      request = JSON.parse(String(data)) as Partial<WireRequest>;
    } catch {
      return;
    }
    if (request.type !== 'invoke' || typeof request.id !== 'number') return;
    const id = request.id;
    void core
      .dispatch(typeof request.name === 'string' ? request.name : '', request.input)
      .then((result) => send({ type: 'result', id, result }));
  });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
