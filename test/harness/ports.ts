import net from 'node:net';

// Ports handed out by this process recently. Asking the kernel for port 0 twice in a row can
// return the same number when the first caller has not bound it yet (several servers are
// started in parallel), so we skip numbers we gave out ourselves.
const handedOut = new Set<number>();

/**
 * Returns a TCP port on 127.0.0.1 that was free a moment ago (listen on port 0, close).
 * Never returns the same port twice within one process.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.unref();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const found = typeof address === 'object' && address !== null ? address.port : 0;
        server.close(() => resolve(found));
      });
    });
    if (port !== 0 && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('freePort: could not find an unused port after 50 attempts');
}

/** Resolves true when a TCP connection to host:port succeeds once. */
export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Waits until host:port accepts TCP connections.
 * @param abortReason polled between attempts; when it returns a string (e.g. "process exited"),
 *   waiting stops at once with that message instead of running into the timeout.
 * @throws Error after timeoutMs.
 */
export async function waitForPort(
  port: number,
  host = '127.0.0.1',
  timeoutMs = 15_000,
  abortReason?: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await canConnect(port, host)) return;
    const reason = abortReason?.();
    if (reason !== undefined) throw new Error(`waitForPort ${host}:${port}: ${reason}`);
    if (Date.now() > deadline) {
      throw new Error(
        `waitForPort: ${host}:${port} not accepting connections after ${timeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
