import { runtimePack } from '../../electron/services/node-runtime/runtime-pack';
import { agentNode, nodeRuntimeSources, pinnedRuntimeTarball } from './node-runtime';

/**
 * Vitest global setup of the projects that install or run the agent: fetches the pinned
 * Node.js runtime (first run of a checkout only, so once per CI run) and unpacks it before the
 * test files start side by side, which would otherwise each download the same ~53 MB; and
 * makes the pieces the installer sends it in (runtime-pack.ts) once, not in every file at once.
 */
export default async function fetchNodeRuntimeOnce(): Promise<void> {
  await agentNode();
  await runtimePack(await pinnedRuntimeTarball(), nodeRuntimeSources);
}
