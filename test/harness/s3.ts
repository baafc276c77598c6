import fs from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import path from 'node:path';
import { makeWorkDir } from './dirs';
import { freePort, waitForPort } from './ports';
import { registerCleanup, spawnManaged, type ManagedProcess } from './processes';
import { createTlsMaterial } from './tls';

/** Options for {@link startS3}. */
export interface S3Options {
  /** Folder for TLS material and object data; default a fresh temp dir (deleted on stop). */
  baseDir?: string;
  /** Buckets created at startup (s3rver --configure-bucket); default ['kumiko']. */
  buckets?: string[];
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
  /** Region clients should sign for; s3rver accepts any. Default eu-central-1. */
  region?: string;
}

/** A running s3rver with TLS, stopped and restarted by PID. */
export interface S3Server {
  /** `https://localhost:<port>` — the host name must be localhost for the certificate. */
  readonly endpoint: string;
  readonly host: 'localhost';
  readonly port: number;
  /** CA certificate that signed the server certificate. */
  readonly caFile: string;
  readonly accessKeyId: 'S3RVER';
  readonly secretAccessKey: 'S3RVER';
  readonly region: string;
  readonly buckets: readonly string[];
  /** s3rver's filesystem store: <dataDir>/<bucket>/<key>._S3rver_object */
  readonly dataDir: string;
  readonly dir: string;
  /** PID of the running s3rver, undefined while stopped. */
  readonly pid: number | undefined;
  /** Keys stored in a bucket (read from the data dir, not over HTTP), sorted. */
  listKeys(bucket: string, prefix?: string): string[];
  /** Starts s3rver again after stopServer(), same port and data. */
  start(): Promise<void>;
  /** Kills s3rver by PID but keeps the data (an outage). */
  stopServer(): Promise<void>;
  /** stopServer() then start(). */
  restart(): Promise<void>;
  /** Stops s3rver and deletes the temp dir (not a given baseDir). Idempotent. */
  stop(): Promise<void>;
  logTail(): string;
}

const OBJECT_SUFFIX = '._S3rver_object';

function s3rverBin(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('s3rver/package.json')), 'bin', 's3rver.js');
}

function walkKeys(root: string, dir: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walkKeys(root, full, out);
    else if (entry.name.endsWith(OBJECT_SUFFIX))
      out.push(path.relative(root, full).slice(0, -OBJECT_SUFFIX.length));
  }
}

/** Resolves when an HTTPS request verified against `caFile` gets any HTTP response. */
function httpsAnswers(port: number, caFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      { host: 'localhost', port, path: '/', ca: fs.readFileSync(caFile), timeout: 5_000 },
      (response) => {
        response.resume();
        resolve();
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

/**
 * Starts s3rver (npm, patched, see patches/s3rver+3.7.1.patch) as a separate node process with
 * TLS from a fresh self-signed CA, so it can be killed by PID for outage tests.
 * Note: s3rver answers GetBucketLocation with the default (empty = us-east-1) location.
 */
export async function startS3(options: S3Options = {}): Promise<S3Server> {
  const work = makeWorkDir('s3', options.baseDir);
  const port = options.port ?? (await freePort());
  const buckets = options.buckets ?? ['kumiko'];
  const dataDir = path.join(work.path, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const tlsDir = path.join(work.path, 'tls');
  // A given baseDir keeps its CA across runs, so clients configured with it keep working (demo).
  const tls = fs.existsSync(path.join(tlsDir, 'server.crt'))
    ? {
        caCert: path.join(tlsDir, 'ca.crt'),
        serverCert: path.join(tlsDir, 'server.crt'),
        serverKey: path.join(tlsDir, 'server.key'),
      }
    : await createTlsMaterial(tlsDir).catch(async (error: unknown) => {
        await work.remove();
        throw error;
      });
  const args = [
    s3rverBin(),
    '--directory',
    dataDir,
    '--address',
    '127.0.0.1',
    '--port',
    String(port),
    '--key',
    tls.serverKey,
    '--cert',
    tls.serverCert,
    '--silent',
    // Must stay last: s3rver parses the words after --configure-bucket by hand.
    ...buckets.flatMap((bucket) => ['--configure-bucket', bucket]),
  ];
  let server: ManagedProcess | undefined;
  let stopped = false;

  const s3: S3Server = {
    endpoint: `https://localhost:${port}`,
    host: 'localhost',
    port,
    caFile: tls.caCert,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    region: options.region ?? 'eu-central-1',
    buckets,
    dataDir,
    dir: work.path,
    get pid() {
      return server && !server.exitInfo ? server.pid : undefined;
    },
    listKeys(bucket, prefix = '') {
      const root = path.join(dataDir, bucket);
      const keys: string[] = [];
      walkKeys(root, root, keys);
      return keys.filter((k) => k.startsWith(prefix)).sort();
    },
    async start() {
      if (s3.pid !== undefined) return;
      const proc = spawnManaged('s3rver', process.execPath, args, {
        logFile: path.join(work.path, 's3rver.log'),
      });
      server = proc;
      try {
        await waitForPort(port, '127.0.0.1', 20_000, () => proc.exitReason());
        await httpsAnswers(port, tls.caCert);
      } catch (error) {
        await proc.stop();
        throw new Error(
          `s3rver did not start: ${(error as Error).message}\n${proc.output.text(4_000)}`,
        );
      }
    },
    async stopServer() {
      await server?.stop({ timeoutMs: 5_000 });
    },
    async restart() {
      await s3.stopServer();
      await s3.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unregister();
      try {
        await s3.stopServer();
      } finally {
        await work.remove();
      }
    },
    logTail() {
      return server?.output.text() ?? '';
    },
  };
  const unregister = registerCleanup({
    name: `s3 ${work.path}`,
    stop: () => s3.stop(),
    killNow: () => work.removeSync(),
  });
  try {
    await s3.start();
  } catch (error) {
    await s3.stop();
    throw error;
  }
  return s3;
}
