import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { AppError } from '../app-error';

/** The digests of a file read once: npm's SRI form for the pin, sha256 for the server. */
export interface FileDigest {
  /** `sha512-<base64>`, the form of npm's `dist.integrity`. */
  integrity: string;
  /** Hex, what `sha256sum` on the server prints. */
  sha256: string;
  size: number;
}

/** Hashes a file in one streaming pass (the runtime is ~53 MB: never read whole). */
export async function digestFile(path: string, signal?: AbortSignal): Promise<FileDigest> {
  const sha512 = crypto.createHash('sha512');
  const sha256 = crypto.createHash('sha256');
  let size = 0;
  await pipeline(
    fs.createReadStream(path),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        sha512.update(chunk);
        sha256.update(chunk);
        size += chunk.length;
        done();
      },
    }),
    { signal },
  );
  return {
    integrity: `sha512-${sha512.digest('base64')}`,
    sha256: sha256.digest('hex'),
    size,
  };
}

/**
 * Checks a file against the pinned integrity. A mismatch deletes the file when `deleteOnMismatch`
 * (cache and download: the next try fetches it fresh) and fails either way.
 * @throws AppError AGENT_INSTALL_FAILED on a mismatch or an unreadable file.
 */
export async function verifyIntegrity(
  path: string,
  expected: string,
  options: { deleteOnMismatch: boolean; what: string; signal?: AbortSignal },
): Promise<FileDigest> {
  const digest = await digestFile(path, options.signal);
  if (digest.integrity === expected) return digest;
  if (options.deleteOnMismatch) await fs.promises.rm(path, { force: true });
  throw new AppError(
    'AGENT_INSTALL_FAILED',
    `The Node.js runtime ${options.what} does not match its pinned checksum and was refused` +
      (options.deleteOnMismatch ? ' (the file was deleted; retry to fetch it again).' : '.'),
    { step: 'runtime', path, expected, actual: digest.integrity },
  );
}
