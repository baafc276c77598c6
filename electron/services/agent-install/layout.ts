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
  /** The Node.js runtime the app uploads when the server has no supported Node of its own. */
  runtimeDir: string;
  /** `<runtimeDir>/bin/node`: the agent's node when the runtime was uploaded. */
  bundledNodePath: string;
  /** One line naming the uploaded runtime and its tarball's sha256 (skips re-uploads). */
  runtimeMarkerPath: string;
  settingsBackupPath: string;
  spoolPath: string;
  lockPath: string;
  logPath: string;
}

/** The agent's paths under `root` ('/' on a real server). */
export function remoteLayout(root = '/'): RemoteLayout {
  const base = root === '/' ? '' : root.replace(/\/+$/, '');
  const etcDir = `${base}/etc/kumiko-agent`;
  const stateDir = `${base}/var/lib/kumiko-agent`;
  const libDir = `${base}/opt/kumiko-agent`;
  const runtimeDir = `${libDir}/runtime`;
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
    runtimeDir,
    bundledNodePath: `${runtimeDir}/bin/node`,
    runtimeMarkerPath: `${runtimeDir}/kumiko-runtime.txt`,
    settingsBackupPath: `${stateDir}/pg-settings-before.json`,
    spoolPath: `${stateDir}/spool`,
    lockPath: `${stateDir}/lock`,
    logPath: `${stateDir}/log`,
  };
}
