import { SYSTEMD_UNIT_NAME, systemdUnit } from '../shared/agent/systemd-unit';

/** Name of the unit file the installer writes to /etc/systemd/system. */
export const AGENT_UNIT_NAME = SYSTEMD_UNIT_NAME;

/**
 * The `kumiko-agent.service` unit for servers where systemd runs: Type=simple, ExecStart
 * `node <bundle> daemon --config <path>`, Restart=on-failure. The daemon's own scheduler does
 * the timing, so no timer units are needed. The text lives in shared/ so the installer (which
 * may not import agent/) writes exactly what the agent documents.
 */
export function agentUnitFile(nodePath: string, bundlePath: string, configPath: string): string {
  return systemdUnit(nodePath, bundlePath, configPath);
}
