import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { installedAgentNode } from './node-runtime';
import { pidsWithArgument } from './proc-table';

/**
 * Stops what a rebuild started on a new host (its root folder `root`): the agent (by its own
 * `stop`), PostgreSQL (SIGQUIT to the postmaster its pid file in `dataDir` names) and whatever
 * else runs with the root in its arguments (archivers, restic), by PID. Safe to call when
 * nothing was started.
 */
export async function stopRebuiltHost(root: string, dataDir: string): Promise<void> {
  if (!root) return;
  const config = path.join(root, 'etc/kumiko-agent/config.json');
  if (fs.existsSync(config)) {
    const node = await installedAgentNode(root).catch(() => process.execPath);
    spawnSync(node, [
      path.join(root, 'opt/kumiko-agent/kumiko-agent.cjs'),
      'stop',
      '--config',
      config,
    ]);
  }
  const pidFile = dataDir && path.join(dataDir, 'postmaster.pid');
  if (pidFile && fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid > 1) signal(pid, 'SIGQUIT');
  }
  for (const pid of pidsWithArgument(root)) signal(pid, 'SIGKILL');
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}
