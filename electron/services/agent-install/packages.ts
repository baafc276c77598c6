import { AppError } from '../app-error';
import type { Preflight } from './preflight';
import type { RemoteShell } from './remote-shell';

/**
 * Packages a server may lack. pgBackRest and restic are required. eatmydata is optional: drills
 * restore under it, so the throwaway restore does not wait for fsync (half of a 1 GB restore's
 * time); where the package is not available (dnf without EPEL: libeatmydata) drills still run,
 * with fsync.
 */
export interface PackagePlan {
  required: string[];
  optional: string[];
}

/** What the install adds to this server: the package names as its package manager calls them. */
export function plannedPackages(pre: Preflight): PackagePlan {
  const required = [
    ...(pre.pgbackrestInstalled ? [] : ['pgbackrest']),
    ...(pre.resticInstalled ? [] : ['restic']),
  ];
  const optional =
    pre.eatmydataInstalled || !pre.packageManager
      ? []
      : [pre.packageManager === 'apt' ? 'eatmydata' : 'libeatmydata'];
  return { required, optional };
}

/** The install command of one package manager, quiet and without questions. */
function installCommand(manager: 'apt' | 'dnf', names: readonly string[]): string {
  return manager === 'apt'
    ? `DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${names.join(' ')}`
    : `dnf install -y -q ${names.join(' ')}`;
}

/**
 * Installs the missing required packages with the server's package manager (a failure stops
 * the install), then the optional ones (a failure does not: drills then run without them).
 */
export async function installPackages(
  shell: RemoteShell,
  pre: Preflight,
  signal: AbortSignal,
): Promise<void> {
  const { required } = plannedPackages(pre);
  if (required.length > 0 && !pre.packageManager) {
    throw new AppError(
      'NO_PACKAGE_MANAGER',
      `Neither apt-get nor dnf is available to install ${required.join(' and ')}. Install them by hand and retry.`,
    );
  }
  for (const step of packageScripts(pre)) await shell.run(step.name, step.script, { signal });
}

/** The package installer's scripts in order (none when nothing is missing). */
export function packageScripts(
  pre: Preflight,
): { name: 'install packages' | 'install optional packages'; script: string }[] {
  const { required, optional } = plannedPackages(pre);
  if (!pre.packageManager) return [];
  return [
    ...(required.length > 0
      ? [
          {
            name: 'install packages' as const,
            script: installCommand(pre.packageManager, required),
          },
        ]
      : []),
    ...(optional.length > 0
      ? [
          {
            name: 'install optional packages' as const,
            script: `${installCommand(pre.packageManager, optional)} || echo "optional packages not installed: ${optional.join(' ')}" >&2`,
          },
        ]
      : []),
  ];
}
