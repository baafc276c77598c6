/** The agent's version, written into every heartbeat and manifest. Bump with package.json. */
export const AGENT_VERSION = '0.1.0';
