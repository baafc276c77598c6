/**
 * Which Node.js the agent runs on (DESIGN.md §3, issue 15 §7). The installer uses the server's
 * own `node` only when this says it is supported, and uploads the pinned runtime otherwise
 * (electron/services/node-runtime/runtime-pin.ts); the agent refuses to start on anything else.
 *
 * The rule: an LTS line (even major version; odd majors are "Current" releases that never get
 * LTS and lose security fixes after about eight months) of at least {@link MIN_NODE_MAJOR}.
 * Node.js 18 reached end of life on 2025-04-30: no more security fixes, yet it is what Debian
 * 12 and Ubuntu 24.04 ship as `nodejs`, so the installer used to accept it for a program that
 * runs as root on the database host. Node.js 20 followed on 2026-04-30, so the floor is 22
 * (maintenance LTS until April 2027); the pinned runtime is the newer LTS line, 24
 * (electron/services/node-runtime/runtime-pin.ts), so an uploaded runtime is not the next one
 * to fall out of support. The agent bundle's esbuild target is this floor
 * (scripts/build-node.mjs): a server's own Node.js 22 must run it.
 *
 * The check is by version number, never by today's date: an agent that stopped taking backups
 * on the day its runtime's support ended would do more harm than the old runtime.
 */
export const MIN_NODE_MAJOR = 22;

/** The major version of `v24.22.3` or `24.22.3` (as `node --version` or process.versions say). */
export function nodeMajorOrNull(version: string | null | undefined): number | null {
  const match = /^v?([0-9]{1,4})\.[0-9]{1,6}\.[0-9]{1,6}$/.exec((version ?? '').trim());
  return match ? Number(match[1]) : null;
}

/** True for a Node.js major version the agent may run on (see the rule above). */
export function isSupportedNodeMajor(major: number | null): boolean {
  return major !== null && major >= MIN_NODE_MAJOR && major % 2 === 0;
}

/**
 * Null when `version` is supported; otherwise why not and what to do, for the agent's stderr
 * (the journal, or the app's install and drill output over SSH).
 */
export function unsupportedNodeMessage(version: string): string | null {
  if (isSupportedNodeMajor(nodeMajorOrNull(version))) return null;
  return (
    `Node.js ${version} is not supported: the agent runs only on a Node.js LTS release, ` +
    `version ${MIN_NODE_MAJOR} or newer with an even major version (Node.js 20 reached end of ` +
    'life in April 2026). Reinstall the agent from the Kumiko Recovery app, which uploads a ' +
    'supported Node.js runtime for it, or install a supported Node.js on this server.'
  );
}
