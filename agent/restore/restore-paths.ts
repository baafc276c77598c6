import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { drillPaths, type DrillPaths } from '../drill/scratch-paths';

/**
 * The scratch root of the app's restores, `<state dir>/scratch`: beside the drills' own root
 * (`drills`), so a drill's sweep of its leftovers never touches an environment the admin keeps.
 */
export function restoreScratchRoot(config: Pick<AgentConfig, 'stateDir'>): string {
  return path.join(config.stateDir, 'scratch');
}

/** The folders of scratch environment `id`, laid out like a drill's (scratch-paths.ts). */
export function restorePaths(config: Pick<AgentConfig, 'stateDir'>, id: string): DrillPaths {
  return drillPaths(restoreScratchRoot(config), id);
}
