import { SYSTEMD_UNIT_NAME, systemdUnit } from '../../../shared/agent/systemd-unit';
import type { RemoteLayout } from './layout';
import type { AgentPreflight, Preflight } from './preflight';
import { shq, writeFileScript, type RemoteShell } from './remote-shell';

/**
 * Starts the agent's scheduler: a systemd service where systemd runs, otherwise the agent's
 * own supervisor (a daemon with a pid file that restarts its worker on failure). Either
 * way the schedule itself lives in the agent's config.
 */
export async function startScheduler(
  shell: RemoteShell,
  pre: Pick<AgentPreflight, 'nodePath' | 'systemd'>,
  layout: RemoteLayout,
  signal?: AbortSignal,
): Promise<'systemd' | 'daemon'> {
  const scripts = schedulerScripts(pre, layout);
  for (const step of scripts) {
    if (step.file)
      await shell.writeFile(step.name, step.file.path, step.file.content, { mode: '644', signal });
    else await shell.run(step.name, step.script, { signal });
  }
  return pre.systemd ? 'systemd' : 'daemon';
}

/** One step of {@link startScheduler}: a script, or a file written with writeFileScript. */
export interface SchedulerStep {
  name: 'write systemd unit' | 'start agent service' | 'start agent daemon';
  script: string;
  file?: { path: string; content: string };
}

/**
 * The scripts that start the scheduler: the unit file and `systemctl` where systemd runs,
 * otherwise the agent's supervisor (a re-install replaces the running one so it picks up the
 * new bundle and config).
 */
export function schedulerScripts(
  pre: Pick<AgentPreflight, 'nodePath' | 'systemd'>,
  layout: RemoteLayout,
): SchedulerStep[] {
  const node = shq(pre.nodePath);
  const bundle = shq(layout.bundlePath);
  const config = shq(layout.configPath);
  if (pre.systemd) {
    const file = {
      path: `/etc/systemd/system/${SYSTEMD_UNIT_NAME}`,
      content: systemdUnit(pre.nodePath, layout.bundlePath, layout.configPath),
    };
    return [
      {
        name: 'write systemd unit',
        script: writeFileScript(file.path, file.content, { mode: '644' }),
        file,
      },
      {
        name: 'start agent service',
        script: `systemctl daemon-reload\nsystemctl enable --now ${SYSTEMD_UNIT_NAME}\nsystemctl restart ${SYSTEMD_UNIT_NAME}`,
      },
    ];
  }
  return [
    {
      name: 'start agent daemon',
      script: [
        `${node} ${bundle} stop --config ${config} >/dev/null 2>&1 || true`,
        ...supervisorStartLines(pre.nodePath, layout),
      ].join('\n'),
    },
  ];
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
