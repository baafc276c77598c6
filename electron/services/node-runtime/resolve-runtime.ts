import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { downloadFile } from './download';
import { verifyIntegrity } from './integrity';
import {
  NODE_RUNTIME_PACKAGES,
  NODE_RUNTIME_VERSION,
  npmRegistry,
  tarballFileName,
  tarballUrl,
  type RuntimeArch,
} from './runtime-pin';

/** Where the app finds the runtime tarball, tried in this order. */
export interface RuntimeSources {
  /** Folder with tarballs shipped inside a packaged app (electron-builder extraResources). */
  resourcesDir?: string;
  /** Download cache, normally `<app dataDir>/runtime-cache`. */
  cacheDir: string;
  /** Registry base URL; default from KUMIKO_NPM_REGISTRY or the public registry. */
  registry?: string;
  downloadTimeoutMs?: number;
}

/** A verified runtime tarball on this machine. */
export interface RuntimeTarball {
  arch: RuntimeArch;
  version: string;
  path: string;
  /** Hex sha256, checked again on the server after the upload. */
  sha256: string;
  size: number;
  source: 'bundled' | 'cache' | 'download';
}

/**
 * Finds the pinned runtime for `arch`: shipped with the app, else cached, else downloaded from
 * the npm registry into the cache. Every source is checked against the pinned sha512 before
 * it is returned; a bad cached or downloaded file is deleted.
 * @throws AppError AGENT_INSTALL_FAILED (checksum, download) or CANCELLED.
 */
export async function resolveRuntimeTarball(
  arch: RuntimeArch,
  sources: RuntimeSources,
  signal?: AbortSignal,
): Promise<RuntimeTarball> {
  const known = verified.get(sources)?.get(arch);
  if (known && (await stampOf(known.tarball.path)) === known.stamp) return known.tarball;
  const tarball = await resolveAndVerify(arch, sources, signal);
  const stamp = await stampOf(tarball.path);
  if (stamp) {
    const byArch = verified.get(sources) ?? new Map();
    byArch.set(arch, { tarball, stamp });
    verified.set(sources, byArch);
  }
  return tarball;
}

/**
 * Tarballs this app (one RuntimeSources: one app core) verified already, with the file's
 * identity then: hashing 53 MB takes ~0.4 s, and a rebuild's plan and its start both need it.
 * A file changed since is verified again. Whatever is uploaded is checked on the server against
 * the verified sha256 all the same, so a file swapped after its stamp is refused there.
 */
const verified = new WeakMap<
  RuntimeSources,
  Map<RuntimeArch, { tarball: RuntimeTarball; stamp: string }>
>();

async function stampOf(file: string): Promise<string | null> {
  try {
    const st = await fs.promises.stat(file);
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return null;
  }
}

async function resolveAndVerify(
  arch: RuntimeArch,
  sources: RuntimeSources,
  signal?: AbortSignal,
): Promise<RuntimeTarball> {
  const file = tarballFileName(arch);
  const expected = NODE_RUNTIME_PACKAGES[arch].integrity;
  const found = (
    source: RuntimeTarball['source'],
    p: string,
    d: { sha256: string; size: number },
  ) =>
    ({
      arch,
      version: NODE_RUNTIME_VERSION,
      path: p,
      sha256: d.sha256,
      size: d.size,
      source,
    }) as const;

  if (sources.resourcesDir) {
    const bundled = path.join(sources.resourcesDir, file);
    if (fs.existsSync(bundled)) {
      // Part of the app's installation: refuse it, but leave deleting to whoever installed it.
      const digest = await verifyIntegrity(bundled, expected, {
        deleteOnMismatch: false,
        what: `shipped with the app (${bundled})`,
        signal,
      });
      return found('bundled', bundled, digest);
    }
  }

  const cached = path.join(sources.cacheDir, file);
  if (fs.existsSync(cached)) {
    const digest = await verifyIntegrity(cached, expected, {
      deleteOnMismatch: true,
      what: `in the download cache (${cached})`,
      signal,
    });
    return found('cache', cached, digest);
  }

  await fs.promises.mkdir(sources.cacheDir, { recursive: true });
  // A private name, so two installs downloading at once never read each other's half file.
  const partial = `${cached}.${crypto.randomBytes(6).toString('hex')}.part`;
  const url = tarballUrl(arch, sources.registry ?? npmRegistry());
  await downloadFile(url, partial, { signal, timeoutMs: sources.downloadTimeoutMs });
  const digest = await verifyIntegrity(partial, expected, {
    deleteOnMismatch: true,
    what: `downloaded from ${url}`,
    signal,
  });
  await fs.promises.rename(partial, cached);
  return found('download', cached, digest);
}
