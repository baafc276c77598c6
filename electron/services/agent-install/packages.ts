import { AppError } from '../app-error';
import type { Preflight } from './preflight';
import type { RemoteShell } from './remote-shell';

/** Installs pgBackRest and restic with the server's package manager when they are missing. */
export async function installPackages(
  shell: RemoteShell,
  pre: Preflight,
  signal: AbortSignal,
): Promise<void> {
  const missing = [
    ...(pre.pgbackrestInstalled ? [] : ['pgbackrest']),
    ...(pre.resticInstalled ? [] : ['restic']),
  ];
  if (missing.length === 0) return;
  if (!pre.packageManager) {
    throw new AppError(
      'NO_PACKAGE_MANAGER',
      `Neither apt-get nor dnf is available to install ${missing.join(' and ')}. Install them by hand and retry.`,
    );
  }
  const command =
    pre.packageManager === 'apt'
      ? `DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${missing.join(' ')}`
      : `dnf install -y -q ${missing.join(' ')}`;
  await shell.run('install packages', command, { signal });
}
