import type { InstalledAgent } from '../agent-install/agents-repo';
import { remoteLayout, type RemoteLayout } from '../agent-install/layout';
import type { AgentCommand } from './remote-scripts';

/** The agent's layout on its server, from the remote root recorded at install. */
export function installedLayout(agent: InstalledAgent): RemoteLayout {
  const root = typeof agent.settings.remoteRoot === 'string' ? agent.settings.remoteRoot : '/';
  return remoteLayout(root);
}

/** How the installed agent is run: its node (the server's or the uploaded runtime), bundle, config. */
export function installedAgentCommand(agent: InstalledAgent): AgentCommand {
  const layout = installedLayout(agent);
  return {
    node: typeof agent.settings.nodePath === 'string' ? agent.settings.nodePath : 'node',
    bundle: layout.bundlePath,
    config: layout.configPath,
    stateDir: layout.stateDir,
  };
}
