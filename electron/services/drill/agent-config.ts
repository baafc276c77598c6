import { AgentConfig } from '../../../shared/agent/config';
import { DrillSettings, type SmokeCheck } from '../../../shared/agent/drill';
import { SYSTEMD_UNIT_NAME } from '../../../shared/agent/systemd-unit';
import { shq, type RemoteShell } from '../agent-install/remote-shell';
import { AppError } from '../app-error';

/**
 * The agent's config file on the server, read and edited over SSH as root. It holds the S3 and
 * repository keys, so its text stays in memory here and never reaches an error message, a log
 * or the renderer: only the `drill` section leaves this module.
 */

/** The config as found: the raw object (kept whole when rewriting) and its parsed form. */
export interface RemoteAgentConfig {
  raw: Record<string, unknown>;
  config: AgentConfig;
}

export async function readAgentConfig(
  shell: RemoteShell,
  configPath: string,
  signal?: AbortSignal,
): Promise<RemoteAgentConfig> {
  const out = await shell.run('read the agent config', `cat ${shq(configPath)}`, {
    signal,
    allowFailure: true,
  });
  if (out.code !== 0) {
    throw new AppError('AGENT_NOT_INSTALLED', `The agent config ${configPath} cannot be read.`);
  }
  try {
    const raw = JSON.parse(out.stdout) as Record<string, unknown>;
    return { raw, config: AgentConfig.parse(raw) };
  } catch {
    // A parse error could quote the file, keys included: say only what is wrong.
    throw new AppError('AGENT_NOT_INSTALLED', `The agent config ${configPath} is unreadable.`);
  }
}

/**
 * The config text with a new drill schedule, smoke checks and pg_amcheck mode (left out: kept
 * as the config has it), and the server's current name in the app for the reports. Only those
 * change: every other key is written back exactly as read, including ones this app version
 * does not know.
 * @throws AppError INVALID_INPUT when the result would not be a valid config.
 */
export function withDrillSettings(
  current: RemoteAgentConfig,
  settings: { intervalSeconds: number; smokeChecks: SmokeCheck[]; amcheckHeapAllIndexed?: boolean },
  serverName?: string,
): { text: string; drill: DrillSettings } {
  const previous = (current.raw.drill ?? {}) as Record<string, unknown>;
  // A setting left out (undefined) keeps the config's value instead of falling to the default.
  const given = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  const drill = DrillSettings.safeParse({ ...previous, ...given });
  if (!drill.success) {
    throw new AppError(
      'INVALID_INPUT',
      'The drill settings are invalid.',
      drill.error.issues.map((i) => ({
        path: ['drill', ...i.path.map(String)],
        message: i.message,
      })),
    );
  }
  const name = serverName?.trim().slice(0, 200);
  const raw = { ...current.raw, ...(name ? { serverName: name } : {}), drill: drill.data };
  if (!AgentConfig.safeParse(raw).success) {
    throw new AppError('INVALID_INPUT', 'The agent config would not be valid with these settings.');
  }
  return { text: `${JSON.stringify(raw, null, 2)}\n`, drill: drill.data };
}

/** What happened to the agent's scheduler after its config changed. */
export type SchedulerRestart = 'restarted' | 'deferred' | 'not-running';

/**
 * The daemon reads its config when it starts, so it is restarted to apply a new schedule.
 * Restarting aborts what it runs, so while a backup, retention or drill holds one of the
 * agent's locks the restart waits for it in a detached watcher on the server instead
 * (`deferred`): nothing is cut short for a settings change.
 */
export function restartScript(stateDir: string, mode: 'systemd' | 'daemon'): string {
  const restart =
    mode === 'systemd'
      ? `systemctl restart ${SYSTEMD_UNIT_NAME}`
      : 'p=$(cat "$1/locks/daemon.lock" 2>/dev/null); [ -n "$p" ] && kill -TERM "$p"';
  // Held locks other than the daemon's own and the heartbeat's mean work that must not be cut.
  // (A function has its own $1: it is called with the state dir.)
  const busy =
    'busy() { for f in "$1"/locks/*.lock; do [ -e "$f" ] || continue; case "$f" in */daemon.lock|*/heartbeat.lock) continue;; esac; ' +
    'p=$(cat "$f" 2>/dev/null); [ -n "$p" ] && kill -0 "$p" 2>/dev/null && return 0; done; return 1; }';
  const running =
    mode === 'systemd'
      ? `systemctl is-active --quiet ${SYSTEMD_UNIT_NAME}`
      : 'p=$(cat "$1/locks/daemon.lock" 2>/dev/null); [ -n "$p" ] && kill -0 "$p" 2>/dev/null';
  // Gives up after a day: a lock held that long is a stuck job the admin has to look at anyway.
  const watcher = `${busy}; i=0; while busy "$1" && [ $i -lt 5760 ]; do sleep 15; i=$((i+1)); done; ${restart}`;
  return [
    `set -- ${shq(stateDir)}`,
    busy,
    `if ! { ${running}; }; then echo not-running; exit 0; fi`,
    `if busy "$1"; then setsid sh -c ${shq(watcher)} kumiko-restart "$1" </dev/null >/dev/null 2>&1 & echo deferred; exit 0; fi`,
    restart,
    'echo restarted',
  ].join('\n');
}

export async function restartScheduler(
  shell: RemoteShell,
  stateDir: string,
  mode: 'systemd' | 'daemon',
  signal?: AbortSignal,
): Promise<SchedulerRestart> {
  const out = await shell.run('restart the agent scheduler', restartScript(stateDir, mode), {
    signal,
    allowFailure: true,
  });
  const answer = out.stdout.trim().split('\n').pop();
  if (out.code !== 0 || !answer || !['restarted', 'deferred', 'not-running'].includes(answer)) {
    throw new AppError(
      'SSH_COMMAND_FAILED',
      `The agent's scheduler could not be restarted: ${out.stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  }
  return answer as SchedulerRestart;
}
