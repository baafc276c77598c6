/**
 * The agent's systemd unit, used by the installer where systemd runs. KillMode=mixed: `systemctl
 * stop` sends SIGTERM to the daemon alone, which stops its tools the way each needs (restic
 * SIGINT, so it removes its repository lock; a drill's scratch cluster a fast shutdown) and
 * waits for them; whatever still runs after TimeoutStopSec gets SIGKILL. The default
 * (control-group) would SIGTERM every process at once, and restic would leave its lock behind.
 */
export function systemdUnit(nodePath: string, bundlePath: string, configPath: string): string {
  return [
    '[Unit]',
    'Description=Kumiko Recovery capture agent',
    'After=network-online.target postgresql.service',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${nodePath} ${bundlePath} daemon --config ${configPath}`,
    'Restart=on-failure',
    'RestartSec=5',
    'KillMode=mixed',
    'TimeoutStopSec=120',
    'NoNewPrivileges=yes',
    'ProtectHome=read-only',
    'PrivateTmp=yes',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export const SYSTEMD_UNIT_NAME = 'kumiko-agent.service';
