import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { registerCleanup } from './registry';
import type { S3Server } from './s3';

// A fault-injecting proxy in front of the harness S3 server, for the fault suite (issue 20).
// Written here rather than taken off the shelf: Toxiproxy (the usual tool) is a Go program
// that is neither in Debian nor on npm, and CI reaches only those two; and a pure TCP proxy
// could not answer 500/503, because the S3 traffic is TLS. So this one terminates TLS with
// the S3 server's own certificate (clients keep verifying against the harness CA, nothing is
// switched off) and forwards each HTTP request to s3rver unchanged, Host header and SigV4
// signature included. Between the two it can fail requests, slow them, partition the network
// or reset connections, switched at any moment with set().

/** What the proxy does to the traffic from now on. */
export type FaultMode =
  /** Forward everything. */
  | { kind: 'pass' }
  /** Answer every request with this status and an S3 XML error, after reading its body. */
  | { kind: 'error'; status: 500 | 503 }
  /** Forward every request `ms` late. */
  | { kind: 'delay'; ms: number }
  /**
   * A network partition: nothing gets through in either direction, connections hang rather
   * than fail (new ones are accepted by the kernel and then never answered, open ones are
   * frozen). Clients notice only through their own timeouts, as with a real cable cut.
   * Switching back lets the frozen connections go on.
   */
  | { kind: 'partition' }
  /** Every connection, open or new, is reset (TCP RST). */
  | { kind: 'reset' };

/** A running {@link startFaultProxy}. */
export interface FaultProxy {
  /** `https://localhost:<port>`: the S3 endpoint clients use instead of the server's. */
  readonly endpoint: string;
  readonly host: 'localhost';
  readonly port: number;
  readonly mode: FaultMode;
  /** TCP connections accepted (a client that sent nothing still counts). */
  readonly connections: number;
  /** Requests seen, and how many of them the fault answered or held. */
  readonly requests: number;
  readonly faulted: number;
  /** Switches the fault; open connections are frozen, reset or thawed to match. */
  set(mode: FaultMode): void;
  /** The S3 server as clients should see it: the proxy's endpoint and port, the same CA. */
  asS3(): S3Server;
  stop(): Promise<void>;
}

const S3_ERRORS: Record<number, [string, string]> = {
  500: ['InternalError', 'We encountered an internal error. Please try again.'],
  503: ['SlowDown', 'Please reduce your request rate.'],
};

/** Headers that belong to one hop, never forwarded. `expect` is answered by this proxy. */
const HOP_HEADERS = new Set(['expect', 'proxy-connection', 'keep-alive', 'upgrade']);

/** Starts the proxy on 127.0.0.1 (a free port) in front of `target`, in 'pass' mode. */
export async function startFaultProxy(target: S3Server): Promise<FaultProxy> {
  const tlsDir = path.dirname(target.caFile);
  const ca = fs.readFileSync(target.caFile);
  let mode: FaultMode = { kind: 'pass' };
  let connections = 0;
  let requests = 0;
  let faulted = 0;
  /** Client sockets handed to the TLS server, and ones held unanswered during a partition. */
  const open = new Set<net.Socket>();
  const held: net.Socket[] = [];
  const upstream = new https.Agent({ keepAlive: true, ca, servername: 'localhost' });

  const tlsServer = https.createServer(
    {
      key: fs.readFileSync(path.join(tlsDir, 'server.key')),
      cert: fs.readFileSync(path.join(tlsDir, 'server.crt')),
    },
    (request, response) => {
      requests += 1;
      const now = mode;
      if (now.kind === 'error') {
        faulted += 1;
        answerError(request, response, now.status);
      } else if (now.kind === 'delay') {
        faulted += 1;
        setTimeout(() => forward(request, response), now.ms);
      } else if (now.kind === 'partition' || now.kind === 'reset') {
        // The request arrived just before the switch: its socket is frozen or reset already.
        faulted += 1;
      } else forward(request, response);
    },
  );
  tlsServer.on('tlsClientError', () => undefined);
  tlsServer.keepAliveTimeout = 30_000;

  function forward(request: http.IncomingMessage, response: http.ServerResponse): void {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (!HOP_HEADERS.has(name)) headers[name] = value;
    }
    const out = https.request(
      {
        host: '127.0.0.1',
        port: target.port,
        method: request.method,
        path: request.url,
        headers,
        agent: upstream,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    // S3 down behind the proxy: the client sees its connection break, as without the proxy.
    out.on('error', () => response.socket?.destroy());
    request.pipe(out);
  }

  const front = net.createServer((socket) => {
    connections += 1;
    socket.on('error', () => undefined);
    if (mode.kind === 'reset') {
      socket.resetAndDestroy();
      return;
    }
    if (mode.kind === 'partition') {
      socket.pause();
      held.push(socket);
      return;
    }
    admit(socket);
  });

  function admit(socket: net.Socket): void {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    tlsServer.emit('connection', socket);
    socket.resume();
  }

  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(0, '127.0.0.1', () => resolve());
  });
  const address = front.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const endpoint = `https://localhost:${port}`;

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    unregister();
    for (const socket of [...open, ...held]) socket.destroy();
    upstream.destroy();
    await new Promise<void>((resolve) => front.close(() => resolve()));
  };
  const unregister = registerCleanup({
    name: `fault proxy :${port}`,
    stop,
    killNow: () => front.close(),
  });

  return {
    endpoint,
    host: 'localhost',
    port,
    get mode() {
      return mode;
    },
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    get faulted() {
      return faulted;
    },
    set(next) {
      const before = mode;
      mode = next;
      if (next.kind === 'reset') {
        for (const socket of [...open, ...held.splice(0)]) socket.resetAndDestroy();
        upstream.destroy();
      } else if (next.kind === 'partition' && before.kind !== 'partition') {
        // Freeze: read nothing more and send nothing more (writes stay in the buffer).
        for (const socket of open) {
          socket.pause();
          socket.cork();
        }
      } else if (next.kind !== 'partition' && before.kind === 'partition') {
        for (const socket of open) {
          socket.uncork();
          socket.resume();
        }
        for (const socket of held.splice(0)) {
          if (!socket.destroyed) admit(socket);
        }
      }
    },
    asS3() {
      return { ...target, endpoint, port } as S3Server;
    },
    stop,
  };
}

/** Reads the request to its end, then answers as S3 does when it fails. */
function answerError(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  status: 500 | 503,
): void {
  const [code, message] = S3_ERRORS[status] ?? ['InternalError', 'error'];
  request.resume();
  request.once('end', () => {
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code>` +
      `<Message>${message}</Message><Resource>${request.url ?? ''}</Resource>` +
      `<RequestId>fault-proxy</RequestId></Error>`;
    response.writeHead(status, {
      'content-type': 'application/xml',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
}
