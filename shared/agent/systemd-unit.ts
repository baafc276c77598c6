/** The agent's systemd unit, used by the installer where systemd runs. */
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
