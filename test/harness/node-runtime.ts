import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  resolveRuntimeTarball,
  type RuntimeSources,
  type RuntimeTarball,
} from '../../electron/services/node-runtime/resolve-runtime';
import {
  NODE_RUNTIME_VERSION,
  runtimeArch,
} from '../../electron/services/node-runtime/runtime-pin';
import { remoteLayout } from '../../electron/services/agent-install/layout';
import { repoRoot } from './paths';

const run = promisify(execFile);

/**
 * The one download cache of the pinned Node.js runtime for every test file, the demo and the
 * benchmarks: the tarball is fetched from the npm registry once per checkout (once per CI run,
 * by the global setup) instead of once per app data folder. Under node_modules, so a fresh
 * `npm ci` starts it empty and `git clean` never sees it.
 */
export const NODE_RUNTIME_CACHE = path.join(
  repoRoot,
  'node_modules',
  '.cache',
  'kumiko-node-runtime',
);

/** What an app core in a test passes as `nodeRuntimeCacheDir`'s sources. */
export const nodeRuntimeSources: RuntimeSources = { cacheDir: NODE_RUNTIME_CACHE };

/**
 * The pinned runtime tarball for this machine, checked against its pinned sha512 by the
 * product's own code on every call (downloaded into the cache the first time).
 */
export function pinnedRuntimeTarball(): Promise<RuntimeTarball> {
  const machine = os.arch() === 'x64' ? 'x86_64' : os.arch();
  return resolveRuntimeTarball(runtimeArch(machine), nodeRuntimeSources);
}

let unpacked: Promise<string> | undefined;

/**
 * A Node.js the agent runs on, for tests that start the agent bundle themselves: the Node
 * running the tests is 20 (this machine's and CI's), which the agent refuses since the floor
 * is 22. It is the pinned runtime the installer uploads to such a server, unpacked once per
 * tarball next to it; each test process checks the tarball's integrity and the binary's
 * version before its first use.
 */
export function agentNode(): Promise<string> {
  unpacked ??= unpackAgentNode();
  return unpacked;
}

async function unpackAgentNode(): Promise<string> {
  const tarball = await pinnedRuntimeTarball();
  // Named after the verified tarball: a different pin (or a re-downloaded tarball) unpacks anew.
  const dir = path.join(
    NODE_RUNTIME_CACHE,
    `node-v${tarball.version}-${tarball.sha256.slice(0, 16)}`,
  );
  const node = path.join(dir, 'bin', 'node');
  if (!fs.existsSync(node)) {
    const temp = fs.mkdtempSync(path.join(NODE_RUNTIME_CACHE, '.unpack-'));
    try {
      await run('tar', [
        '-xzf',
        tarball.path,
        '-C',
        temp,
        '--strip-components=1',
        '--no-same-owner',
        'package/bin/node',
        'package/LICENSE',
      ]);
      // The agent's drills run it as the cluster's OS user too.
      fs.chmodSync(temp, 0o755);
      // Whole folder at once: a test file beside this one sees no half-written binary.
      fs.renameSync(temp, dir);
    } catch (error) {
      fs.rmSync(temp, { recursive: true, force: true });
      // Another test process unpacked the same tarball first: use its copy.
      if (!fs.existsSync(node)) throw error;
    }
  }
  const { stdout } = await run(node, ['--version']);
  if (stdout.trim() !== `v${NODE_RUNTIME_VERSION}`) {
    throw new Error(`${node} reports ${stdout.trim()}, not v${NODE_RUNTIME_VERSION}`);
  }
  return node;
}

/**
 * The Node.js that runs an agent installed under `remoteRoot`, for tests that start its
 * bundle themselves: the runtime the installer uploaded there (this machine's own Node is
 * below the floor), else the pinned one unpacked here.
 */
export async function installedAgentNode(remoteRoot: string): Promise<string> {
  const uploaded = remoteLayout(remoteRoot).bundledNodePath;
  return fs.existsSync(uploaded) ? uploaded : agentNode();
}
