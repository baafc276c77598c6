import { SYSTEMD_UNIT_NAME, systemdUnit } from '../../../shared/agent/systemd-unit';
import type { RemoteLayout } from './layout';
import type { AgentPreflight, Preflight } from './preflight';
import { shq, type RemoteShell } from './remote-shell';

/**
 * Starts the agent's scheduler: a systemd service where systemd runs, otherwise the agent's
 * own supervisor (a daemon with a pid file that restarts its worker on failure). Either
 * way the schedule itself lives in the agent's config.
 */
export async function startScheduler(
  shell: RemoteShell,
  pre: AgentPreflight,
  layout: RemoteLayout,
  signal?: AbortSignal,
): Promise<'systemd' | 'daemon'> {
  const node = shq(pre.nodePath);
  const bundle = shq(layout.bundlePath);
  const config = shq(layout.configPath);
  if (pre.systemd) {
    await shell.writeFile(
      'write systemd unit',
      `/etc/systemd/system/${SYSTEMD_UNIT_NAME}`,
      systemdUnit(pre.nodePath, layout.bundlePath, layout.configPath),
      { mode: '644', signal },
    );
    await shell.run(
      'start agent service',
      `systemctl daemon-reload\nsystemctl enable --now ${SYSTEMD_UNIT_NAME}\nsystemctl restart ${SYSTEMD_UNIT_NAME}`,
      {
        signal,
      },
    );
    return 'systemd';
  }
  // A re-install replaces the running supervisor so it picks up the new bundle and config.
  await shell.run(
    'start agent daemon',
    [
      `${node} ${bundle} stop --config ${config} >/dev/null 2>&1 || true`,
      ...supervisorStartLines(pre.nodePath, layout),
    ].join('\n'),
    { signal },
  );
  return 'daemon';
}

/**
 * Shell lines that start the agent's own supervisor (servers without systemd) detached from
 * the SSH session and end the script: 0 once its pid file is there, 1 when it does not start.
 */
export function supervisorStartLines(nodePath: string, layout: RemoteLayout): string[] {
  const node = shq(nodePath);
  const bundle = shq(layout.bundlePath);
  return [
    `setsid ${node} ${bundle} supervise --config ${shq(layout.configPath)} </dev/null >/dev/null 2>&1 &`,
    // Wait for the supervisor's pid file so a failure to start shows up here, not later.
    `for i in $(seq 1 50); do [ -s ${shq(`${layout.stateDir}/agent.pid`)} ] && exit 0; sleep 0.2; done`,
    'echo "the agent daemon did not start (no pid file)" >&2; exit 1',
  ];
}

/**
 * Stops the agent's scheduler, whichever kind runs. The uploaded runtime is preferred when it
 * is there: the server's own node may be the too-old one that made install upload it.
 */
export async function stopScheduler(
  shell: RemoteShell,
  pre: Preflight,
  layout: RemoteLayout,
): Promise<void> {
  const runtime = shq(layout.bundledNodePath);
  await shell.run(
    'stop agent',
    [
      `node=${shq(pre.nodePath ?? 'node')}`,
      `if [ -x ${runtime} ]; then node=${runtime}; fi`,
      `if [ -f /etc/systemd/system/${SYSTEMD_UNIT_NAME} ] && [ -d /run/systemd/system ]; then`,
      `  systemctl disable --now ${SYSTEMD_UNIT_NAME} || true`,
      `  rm -f /etc/systemd/system/${SYSTEMD_UNIT_NAME}; systemctl daemon-reload || true`,
      'fi',
      `if [ -f ${shq(layout.bundlePath)} ]; then "$node" ${shq(layout.bundlePath)} stop --config ${shq(layout.configPath)} || true; fi`,
    ].join('\n'),
  );
}
