import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WireMessage, WireRequest } from '../../shared/contract';
import { fail } from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import { readStatic } from './static-files';
import { generateToken, presentedToken, TOKEN_COOKIE, tokenMatches } from './token';

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

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; frame-ancestors 'none'; " +
  "base-uri 'none'; form-action 'none'";

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Browser mode: the renderer and the contract over HTTP + WebSocket, bound to 127.0.0.1 only.
 * Every request and every socket must carry the session's random token; the Host and Origin
 * headers must name this loopback server (against DNS rebinding and cross-site sockets).
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
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, baseHeaders).end('Misdirected request');
      return;
    }
    if (!tokenMatches(token, presentedToken(req, url))) {
      res.writeHead(401, { ...baseHeaders, 'Content-Type': 'text/plain' });
      res.end('Unauthorized: open the URL with its token, as printed by `kumiko serve`.');
      return;
    }
    const cookie = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    if (req.method === 'POST' && url.pathname === '/api/invoke') {
      const body = await readBody(req);
      let request: { name?: unknown; input?: unknown };
      try {
        request = JSON.parse(body) as typeof request;
      } catch {
        request = {};
      }
      const result =
        typeof request.name === 'string'
          ? await options.core.dispatch(request.name, request.input)
          : fail('INVALID_INPUT', 'Body must be JSON: { "name": string, "input": object }.');
      res.writeHead(200, { ...baseHeaders, 'Content-Type': 'application/json' });
      res.end(JSON.stringify(result));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, baseHeaders).end();
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
      'Set-Cookie': cookie,
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const originOk = origin === undefined || allowedHosts().has(origin.replace(/^http:\/\//, ''));
    if (
      url.pathname !== '/ws' ||
      !allowedHosts().has(req.headers.host ?? '') ||
      !originOk ||
      !tokenMatches(token, presentedToken(req, url))
    ) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options.core));
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
