/**
 * Where the agent lives on a server. `root` is '/' in production; tests that install several
 * agents on one machine give each its own root, the same way a chroot would.
 */
export interface RemoteLayout {
  etcDir: string;
  stateDir: string;
  libDir: string;
  configPath: string;
  pgbackrestConfigPath: string;
  resticPasswordPath: string;
  signingKeyPath: string;
  caFilePath: string;
  bundlePath: string;
  settingsBackupPath: string;
  spoolPath: string;
  lockPath: string;
  logPath: string;
}

export function remoteLayout(root = '/'): RemoteLayout {
  const base = root === '/' ? '' : root.replace(/\/+$/, '');
  const etcDir = `${base}/etc/kumiko-agent`;
  const stateDir = `${base}/var/lib/kumiko-agent`;
  const libDir = `${base}/opt/kumiko-agent`;
  return {
    etcDir,
    stateDir,
    libDir,
    configPath: `${etcDir}/config.json`,
    pgbackrestConfigPath: `${etcDir}/pgbackrest.conf`,
    resticPasswordPath: `${etcDir}/restic.pass`,
    signingKeyPath: `${etcDir}/agent-signing.key`,
    caFilePath: `${etcDir}/storage-ca.pem`,
    bundlePath: `${libDir}/kumiko-agent.cjs`,
    settingsBackupPath: `${stateDir}/pg-settings-before.json`,
    spoolPath: `${stateDir}/spool`,
    lockPath: `${stateDir}/lock`,
    logPath: `${stateDir}/log`,
  };
}
