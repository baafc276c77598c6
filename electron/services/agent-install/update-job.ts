import crypto from 'node:crypto';
import {
  AGENT_UPDATE_PHASES,
  type AgentUpdateResult,
  type AgentUpdateReview,
} from '../../../shared/contract';
import type { JobContext } from '../../jobs/runner';
import { AppError } from '../app-error';
import type { SshConnection } from '../ssh/connection';
import type { InstalledAgent } from './agents-repo';
import { waitHeartbeatScript } from './install-scripts';
import type { RemoteLayout } from './layout';
import { RemoteShell, shq } from './remote-shell';
import { startScheduler } from './scheduler';

export interface UpdateContext {
  ssh: SshConnection;
  isRoot: boolean;
  agent: InstalledAgent;
  layout: RemoteLayout;
  /** The agent program this app carries, and the version it reports. */
  bundle: Buffer;
  bundledVersion: string;
  job: JobContext;
}

/** A version as the installed program prints it; anything else from the server is not shown. */
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,39}$/;
const SHA256 = /^[0-9a-f]{64}$/;

const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/** The node the installed agent runs on, as install recorded it. */
export function agentNode(agent: InstalledAgent): string {
  return typeof agent.settings.nodePath === 'string' ? agent.settings.nodePath : 'node';
}

interface Installed {
  sha256: string | null;
  version: string | null;
  configSha256: string | null;
}

/** Reads the installed program's hash and version and the config's hash (untrusted values). */
async function readInstalled(
  shell: RemoteShell,
  agent: InstalledAgent,
  layout: RemoteLayout,
  signal?: AbortSignal,
): Promise<Installed> {
  const bundle = shq(layout.bundlePath);
  const out = await shell.run(
    'read installed agent',
    [
      `for f in ${bundle} ${shq(layout.configPath)}; do`,
      `  if [ -f "$f" ]; then sha256sum "$f" | cut -d' ' -f1; else echo -; fi`,
      'done',
      `${shq(agentNode(agent))} ${bundle} version 2>/dev/null | head -n 1 || echo -`,
    ].join('\n'),
    { signal },
  );
  const [bundleSha = '', configSha = '', version = ''] = out.stdout
    .split('\n')
    .map((l) => l.trim());
  return {
    sha256: SHA256.test(bundleSha) ? bundleSha : null,
    configSha256: SHA256.test(configSha) ? configSha : null,
    version: VERSION.test(version) ? version : null,
  };
}

/** What an update would change; nothing on the server is touched. */
export async function reviewUpdate(
  shell: RemoteShell,
  agent: InstalledAgent,
  layout: RemoteLayout,
  bundle: Buffer,
  bundledVersion: string,
  signal?: AbortSignal,
): Promise<AgentUpdateReview> {
  const installed = await readInstalled(shell, agent, layout, signal);
  const bundledSha256 = sha256(bundle);
  return {
    installedVersion: installed.version,
    installedSha256: installed.sha256,
    bundledVersion,
    bundledSha256,
    current: installed.sha256 === bundledSha256,
    scheduler: agent.scheduler,
    replaces: [layout.bundlePath],
    keeps: [layout.configPath, layout.pgbackrestConfigPath, layout.signingKeyPath],
  };
}

/**
 * Replaces the agent program and restarts its scheduler the way install started it. The
 * configuration is not written, so storage, schedule, alerts and paths stay as they are (the
 * result proves it with the config's hash before and after). WAL archiving does not pause:
 * PostgreSQL runs pgBackRest itself; only the scheduler (points, heartbeats, drills) restarts.
 * A failure after the upload puts the previous program back and starts it again.
 */
export async function runUpdate(ctx: UpdateContext): Promise<AgentUpdateResult> {
  const { agent, layout, job } = ctx;
  const signal = job.signal;
  const shell = new RemoteShell(ctx.ssh, ctx.isRoot);
  const phase = (p: (typeof AGENT_UPDATE_PHASES)[number]) =>
    job.progress(p, AGENT_UPDATE_PHASES.indexOf(p), AGENT_UPDATE_PHASES.length);
  const scheduler = { nodePath: agentNode(agent), systemd: agent.scheduler === 'systemd' };
  const bundleSha = sha256(ctx.bundle);
  const previous = `${layout.bundlePath}.previous`;

  phase('check');
  const before = await readInstalled(shell, agent, layout, signal);
  if (!before.configSha256)
    throw new AppError(
      'AGENT_NOT_INSTALLED',
      'The agent’s configuration is missing on the server; set up backups again.',
    );
  if (before.sha256 === bundleSha) {
    return {
      updated: false,
      fromVersion: before.version,
      toVersion: before.version,
      sha256: bundleSha,
      pausedSeconds: 0,
      configSha256: before.configSha256,
    };
  }
  await shell.run('keep the previous agent', `cp -p ${shq(layout.bundlePath)} ${shq(previous)}`, {
    signal,
  });

  let current = 'upload';
  try {
    phase('upload');
    await shell.upload('upload agent', layout.bundlePath, ctx.bundle, '755', signal);

    current = 'restart';
    phase('restart');
    const stoppedAt = Date.now();
    await startScheduler(shell, scheduler, layout, signal);

    current = 'verify';
    phase('verify');
    await shell.run('first heartbeat', waitHeartbeatScript(layout), { signal });
    const pausedSeconds = (Date.now() - stoppedAt) / 1000;
    const after = await readInstalled(shell, agent, layout, signal);
    if (after.sha256 !== bundleSha)
      throw new Error('the program on the server is not the one uploaded');
    if (after.configSha256 !== before.configSha256)
      throw new Error('the agent configuration changed during the update');
    await shell.run('remove the previous agent', `rm -f ${shq(previous)}`, { signal });
    job.progress('verify', AGENT_UPDATE_PHASES.length, AGENT_UPDATE_PHASES.length);
    return {
      updated: true,
      fromVersion: before.version,
      toVersion: after.version,
      sha256: bundleSha,
      pausedSeconds: Math.round(pausedSeconds * 10) / 10,
      configSha256: after.configSha256,
    };
  } catch (err) {
    // Put the previous program back and start it, also after a cancel.
    let restored = ' The previous agent program was put back and started again.';
    try {
      await shell.run(
        'put the previous agent back',
        `mv -f ${shq(previous)} ${shq(layout.bundlePath)}`,
      );
      await startScheduler(shell, scheduler, layout);
    } catch (undo) {
      restored = ` Putting the previous program back failed too: ${undo instanceof Error ? undo.message : String(undo)}`;
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError(
      signal.aborted ? 'CANCELLED' : 'AGENT_UPDATE_FAILED',
      signal.aborted
        ? `Update cancelled during "${current}".${restored}`
        : `Update failed at step "${current}": ${reason}${restored}`,
      { step: current },
    );
  }
}
