import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '../app-error';

export interface DownloadOptions {
  signal?: AbortSignal;
  /** Whole download limit (default 15 min: ~53 MB over a slow office line). */
  timeoutMs?: number;
  /** Fails when no byte arrived for this long (default 60 s), so a dead link is not a hang. */
  stallMs?: number;
}

/**
 * Downloads `url` to `dest` with Node's fetch (TLS verified by Node's defaults, which this never
 * changes). Writes to `dest` directly; callers pass a temporary name and rename after
 * verifying. A partial file is removed on any failure.
 * @throws AppError CANCELLED when `signal` aborts, AGENT_INSTALL_FAILED otherwise.
 */
export async function downloadFile(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  const stallMs = options.stallMs ?? 60_000;
  const stall = new AbortController();
  const signals = [AbortSignal.timeout(timeoutMs), stall.signal];
  if (options.signal) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  let timer = setTimeout(() => stall.abort(), stallMs);
  const watchdog = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(), stallMs);
      done(null, chunk);
    },
  });
  try {
    const response = await fetch(url, { signal, redirect: 'follow' });
    if (!response.ok || !response.body) {
      throw new AppError(
        'AGENT_INSTALL_FAILED',
        `Downloading the Node.js runtime from ${url} failed: HTTP ${response.status}.`,
        { step: 'runtime', url, status: response.status },
      );
    }
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      watchdog,
      fs.createWriteStream(dest, { mode: 0o644 }),
      { signal },
    );
  } catch (err) {
    await fs.promises.rm(dest, { force: true });
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    if (err instanceof AppError) throw err;
    const why = stall.signal.aborted
      ? `no data for ${Math.round(stallMs / 1000)} s`
      : signal.aborted
        ? `took longer than ${Math.round(timeoutMs / 1000)} s`
        : describe(err);
    throw new AppError(
      'AGENT_INSTALL_FAILED',
      `Downloading the Node.js runtime from ${url} failed: ${why}. Check the network or set ` +
        'KUMIKO_NPM_REGISTRY to a reachable npm mirror.',
      { step: 'runtime', url },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** fetch wraps network errors as "fetch failed" with the reason in `cause`. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
}
