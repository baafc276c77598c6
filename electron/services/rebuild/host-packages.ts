import { shq, type RemoteShell } from '../agent-install/remote-shell';

// A fresh host for a rebuild (issue 19 §2: "install PostgreSQL of the backup's major version and
// the agent") lacks the server packages: PostgreSQL of the backup's major version, pgBackRest and
// restic. The pre-flight found out which are missing and that apt can install them; this installs
// them before the restore, which needs all three on the host.

/** The apt packages a host still needs, from the pre-flight's `key=value` facts. */
export function missingHostPackages(pgMajor: string, facts: Map<string, string>): string[] {
  if (!/^\d{1,3}$/.test(pgMajor)) return [];
  return [
    ...(facts.get('pgBinaries') === 'yes' ? [] : [`postgresql-${pgMajor}`]),
    ...(facts.get('pgbackrest') === 'yes' ? [] : ['pgbackrest']),
    ...(facts.get('restic') === 'yes' ? [] : ['restic']),
  ];
}

/** Where postgresql-common reads drop-ins for new clusters (Debian 12, Ubuntu 22.04 and later). */
const CREATECLUSTER_DROP_IN = '/etc/postgresql-common/createcluster.d/kumiko-rebuild.conf';

/**
 * The install script. Debian's postgresql-NN package creates and starts a cluster "NN main" at
 * /var/lib/postgresql/NN/main on port 5432 by default: the very place and port the rebuild
 * restores to. A drop-in turns that off for this install only (and goes again after it); where
 * postgresql-common is too old to read drop-ins and made the cluster anyway, the distribution's
 * own pg_dropcluster removes the empty cluster it just made, never one that was there before.
 */
export function hostPackagesScript(pgMajor: string, packages: readonly string[]): string {
  if (!/^\d{1,3}$/.test(pgMajor)) throw new Error('PostgreSQL major version');
  if (!packages.every((p) => /^[a-z0-9][a-z0-9.+-]*$/.test(p))) throw new Error('package name');
  const conf = `/etc/postgresql/${pgMajor}/main`;
  return [
    'set -e',
    'export DEBIAN_FRONTEND=noninteractive',
    `had_main=no; [ -e ${shq(conf)} ] && had_main=yes`,
    `mkdir -p ${shq(CREATECLUSTER_DROP_IN.replace(/\/[^/]+$/, ''))}`,
    `printf 'create_main_cluster = false\\n' > ${shq(CREATECLUSTER_DROP_IN)}`,
    `trap 'rm -f ${CREATECLUSTER_DROP_IN}' EXIT`,
    // A host whose apt never updated its lists (many cloud images) knows no package yet.
    'if ! ls /var/lib/apt/lists 2>/dev/null | grep -q _Packages; then apt-get update -q; fi',
    `apt-get install -y -q --no-install-recommends ${packages.map(shq).join(' ')}`,
    `if [ "$had_main" = no ] && [ -e ${shq(conf)} ]; then pg_dropcluster --stop ${shq(pgMajor)} main; fi`,
  ].join('\n');
}

/** Installs what is missing (nothing to do: no command runs). */
export async function installHostPackages(
  shell: RemoteShell,
  pgMajor: string,
  packages: readonly string[],
  signal?: AbortSignal,
): Promise<void> {
  if (packages.length === 0) return;
  await shell.run('install packages', hostPackagesScript(pgMajor, packages), { signal });
}
