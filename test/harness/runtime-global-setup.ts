import { agentNode } from './node-runtime';

/**
 * Vitest global setup of the projects that install or run the agent: fetches the pinned
 * Node.js runtime (first run of a checkout only, so once per CI run) and unpacks it before the
 * test files start side by side, which would otherwise each download the same ~53 MB.
 */
export default async function fetchNodeRuntimeOnce(): Promise<void> {
  await agentNode();
}
