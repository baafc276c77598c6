import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built agent bundle. In a checkout it is dist/agent/kumiko-agent.cjs (npm run build);
 * a packaged app ships it under resources/agent (electron-builder extraResources) and its
 * main process passes that path explicitly.
 */
export function defaultAgentBundlePath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '..', '..', 'dist', 'agent', 'kumiko-agent.cjs');
}
