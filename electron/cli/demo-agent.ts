import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { remoteLayout } from '../services/agent-install/layout';
import { supervisorStartLines } from '../services/agent-install/scheduler';

const run = promisify(execFile);

/**
 * The demo server's agent daemon between demo runs. On a real server systemd (or the agent's
 * own supervisor, started by the installer) keeps it running across reboots; the demo stops it
 * with everything else on Ctrl-C, so a later run starts it again with the installer's own
 * shell lines: `setsid … supervise` from a shell that exits at once, so the supervisor is
 * never our child (a child we did not reap would look alive to `kumiko-agent stop`).
 */
export async function startDemoAgent(remoteRoot: string): Promise<void> {
  const layout = remoteLayout(remoteRoot);
  fs.rmSync(`${layout.stateDir}/agent.pid`, { force: true });
  await run('/bin/sh', ['-c', supervisorStartLines(agentNode(remoteRoot), layout).join('\n')], {
    timeout: 30_000,
  });
}

/** `kumiko-agent stop`: ends the supervisor and its worker (waits for them, SIGKILL last). */
export async function stopDemoAgent(remoteRoot: string): Promise<void> {
  const layout = remoteLayout(remoteRoot);
  if (!fs.existsSync(layout.bundlePath) || !fs.existsSync(layout.configPath)) return;
  await run(agentNode(remoteRoot), [layout.bundlePath, 'stop', '--config', layout.configPath], {
    timeout: 150_000,
  }).catch(() => undefined);
}

/**
 * The node the installer chose for the demo server's agent: the runtime it uploaded when this
 * machine's Node is below the agent's floor (22), else this machine's own, which it then used.
 */
function agentNode(remoteRoot: string): string {
  const uploaded = remoteLayout(remoteRoot).bundledNodePath;
  return fs.existsSync(uploaded) ? uploaded : process.execPath;
}
