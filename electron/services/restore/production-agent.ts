import { SYSTEMD_UNIT_NAME } from '../../../shared/agent/systemd-unit';
import type { InstalledAgent } from '../agent-install/agents-repo';
import type { RemoteLayout } from '../agent-install/layout';
import { supervisorStartLines } from '../agent-install/scheduler';
import { shq } from '../agent-install/remote-shell';
import type { AgentShell } from '../agent-run/remote-agent';

/** How the agent's scheduler runs on the server, from its install record. */
export interface AgentRun {
  scheduler: InstalledAgent['scheduler'];
  nodePath: string;
  layout: RemoteLayout;
}

export function agentRunOf(agent: InstalledAgent, layout: RemoteLayout): AgentRun {
  const nodePath = typeof agent.settings.nodePath === 'string' ? agent.settings.nodePath : 'node';
  return { scheduler: agent.scheduler, nodePath, layout };
}

function agentCommand(run: AgentRun, command: string): string {
  return `${shq(run.nodePath)} ${shq(run.layout.bundlePath)} ${command} --config ${shq(run.layout.configPath)}`;
}

/**
 * Stops the agent's scheduler for the restore: its heartbeats would query a stopped cluster and
 * its scheduled snapshot or drill would race the restore for the repository. `stop` waits for
 * a running job to wind down. Returns whether it was running, so only then is it started again.
 * Takes no signal: a stop cut short would leave the agent neither running nor known stopped.
 */
export async function pauseAgent(shell: AgentShell, run: AgentRun): Promise<boolean> {
  const script =
    run.scheduler === 'systemd'
      ? `if systemctl is-active --quiet ${SYSTEMD_UNIT_NAME}; then systemctl stop ${SYSTEMD_UNIT_NAME}; echo was=running; else echo was=stopped; fi`
      : [
          `out=$(${agentCommand(run, 'stop')})`,
          'if [ "$out" = "not running" ]; then echo was=stopped; else echo was=running; fi',
        ].join('\n');
  const out = await shell.run('pause the agent', script);
  return out.stdout.includes('was=running');
}

/** Starts the agent's scheduler again, the way the installer started it. */
export async function resumeAgent(shell: AgentShell, run: AgentRun): Promise<void> {
  await shell.run(
    'start the agent again',
    run.scheduler === 'systemd'
      ? `systemctl start ${SYSTEMD_UNIT_NAME}`
      : supervisorStartLines(run.nodePath, run.layout).join('\n'),
  );
}
