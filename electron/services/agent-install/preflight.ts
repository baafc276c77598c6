import { isSupportedNodeMajor, nodeMajorOrNull } from '../../../shared/agent/node-support';
import {
  isOsUserName,
  isSafeAbsolutePath,
  packageBinDirectories,
  pgMajorOrNull,
  portOrNull,
  SERVER_VALUE_SHELL,
} from '../../../shared/server-values';
import { AppError } from '../app-error';
import type { RemoteLayout } from './layout';
import { shq, type RemoteShell } from './remote-shell';

/** The PostgreSQL settings the installer reads and may change. */
export const MANAGED_SETTINGS = [
  'archive_mode',
  'archive_command',
  'archive_timeout',
  'wal_level',
] as const;
export type ManagedSetting = (typeof MANAGED_SETTINGS)[number];

export interface Preflight {
  isRoot: boolean;
  systemd: boolean;
  nodePath: string | null;
  nodeMajor: number | null;
  /** `uname -m`: picks the Node runtime to upload when the server's own Node is too old. */
  arch: string;
  pgbackrestInstalled: boolean;
  resticInstalled: boolean;
  /** eatmydata (optional: see packages.ts). */
  eatmydataInstalled: boolean;
  packageManager: 'apt' | 'dnf' | null;
  cpuCount: number;
  cluster: {
    version: string;
    dataDirectory: string;
    port: number;
    socketDirectory: string;
    binDirectory: string;
    osUser: string;
    running: boolean;
    dataChecksums: boolean | null;
  };
  settings: Record<ManagedSetting, string>;
  /**
   * The managed settings as postgresql.auto.conf has them now (absent: the file does not set
   * it). ALTER SYSTEM writes there; uninstall puts exactly these lines back, or removes its own.
   */
  autoConf: Partial<Record<ManagedSetting, string>>;
  /**
   * The names postgresql.auto.conf sets, in file order (values only for the managed ones):
   * ALTER SYSTEM moves a line it changes to the end, so uninstall needs the order to put the
   * file back byte for byte.
   */
  autoConfNames: string[];
  alreadyInstalled: boolean;
}

/** Reads everything install needs to decide, in one round trip plus one psql call. */
export async function runPreflight(
  shell: RemoteShell,
  dataDirectory: string,
  layout: RemoteLayout,
  signal?: AbortSignal,
): Promise<Preflight> {
  if (!isSafeAbsolutePath(dataDirectory)) {
    throw new AppError('NO_POSTGRES', 'The data directory must be a plain absolute path.');
  }
  const facts = await shell.run('preflight', preflightScript(dataDirectory, layout), { signal });
  const f = new Map<string, string>();
  for (const line of facts.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) f.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const cluster = checkedCluster(dataDirectory, f);
  const osUser = cluster.osUser;
  const settingsOut = await shell.run('read PostgreSQL settings', readSettingsScript(cluster), {
    asUser: osUser,
    signal,
  });
  const settings = {} as Record<ManagedSetting, string>;
  const autoConf: Partial<Record<ManagedSetting, string>> = {};
  const autoConfNames: string[] = [];
  for (const line of settingsOut.stdout.split('\n')) {
    const bar = line.indexOf('|');
    if (bar < 0) continue;
    const name = line.slice(0, bar);
    const value = line.slice(bar + 1);
    const fileName = name.startsWith(AUTO_CONF_PREFIX) ? name.slice(AUTO_CONF_PREFIX.length) : '';
    if (name === 'data_checksums') cluster.dataChecksums = value === 'on';
    else if (isManagedSetting(name)) settings[name] = value;
    else if (fileName) {
      if (!autoConfNames.includes(fileName)) autoConfNames.push(fileName);
      // Lines come in file order: a later line for the same name wins, as in PostgreSQL.
      if (isManagedSetting(fileName)) autoConf[fileName] = value;
    }
  }
  return {
    isRoot: f.get('uid') === '0',
    systemd: f.get('systemd') === 'yes',
    nodePath: f.get('node') || null,
    nodeMajor: nodeMajorOrNull(f.get('node_version')),
    arch: f.get('arch') ?? '',
    pgbackrestInstalled: Boolean(f.get('pgbackrest')),
    resticInstalled: Boolean(f.get('restic')),
    eatmydataInstalled: Boolean(f.get('eatmydata')),
    packageManager: f.get('apt') ? 'apt' : f.get('dnf') ? 'dnf' : null,
    cpuCount: Number(f.get('cpus')) || 1,
    cluster,
    settings,
    autoConf,
    autoConfNames,
    alreadyInstalled: f.get('installed') === 'yes',
  };
}

/** The preflight's read-only fact-finding script (root: the data directory is 0700). */
export function preflightScript(dataDirectory: string, layout: RemoteLayout): string {
  const d = shq(dataDirectory);
  return [
    'set +e',
    SERVER_VALUE_SHELL,
    'echo "uid=$(id -u)"',
    'echo "systemd=$([ -d /run/systemd/system ] && echo yes || echo no)"',
    'echo "node=$(command -v node)"',
    'echo "node_version=$(node --version 2>/dev/null)"',
    'echo "arch=$(uname -m)"',
    'echo "pgbackrest=$(command -v pgbackrest)"',
    'echo "restic=$(command -v restic)"',
    'echo "eatmydata=$(command -v eatmydata)"',
    'echo "apt=$(command -v apt-get)"',
    'echo "dnf=$(command -v dnf)"',
    'echo "cpus=$(nproc 2>/dev/null || echo 1)"',
    // PG_VERSION and postmaster.pid belong to the postgres OS user (so to any database
    // superuser): only checked values leave this script, and the binaries come from the
    // package folder of the major version, never from the pid the file names.
    `if [ -f ${d}/PG_VERSION ] && [ ! -L ${d}/PG_VERSION ]; then v=$(head -c 16 ${d}/PG_VERSION | head -n 1); if pg_major_ok "$v"; then echo "pg_version=$v"; echo "bin=$(pg_bin_dir "$v" pg_ctl)"; else echo pg_version=invalid; fi; fi`,
    `if [ -f ${d}/postmaster.pid ] && [ ! -L ${d}/postmaster.pid ]; then pidfile=$(head -c 4096 ${d}/postmaster.pid); p=$(printf '%s\\n' "$pidfile" | sed -n 1p); echo "port=$(printf '%s\\n' "$pidfile" | sed -n 4p)"; echo "socket=$(printf '%s\\n' "$pidfile" | sed -n 5p)"; if pid_ok "$p" && [ "$(readlink "/proc/$p/cwd")" = "$(readlink -f ${d})" ]; then echo running=yes; fi; fi`,
    `echo "owner=$(stat -c %U ${d} 2>/dev/null)"`,
    `echo "installed=$([ -f ${shq(layout.configPath)} ] && echo yes || echo no)"`,
  ].join('\n');
}

const AUTO_CONF_PREFIX = 'auto.conf:';
/** The pg_file_settings condition for the lines of the cluster's postgresql.auto.conf. */
export const AUTO_CONF_SOURCE =
  "sourcefile = current_setting('data_directory') || '/postgresql.auto.conf'";

function isManagedSetting(name: string): name is ManagedSetting {
  return (MANAGED_SETTINGS as readonly string[]).includes(name);
}

/**
 * Reads the managed settings (and data_checksums) with psql, as the cluster's OS user, and
 * the lines of postgresql.auto.conf (pg_file_settings, in file order), prefixed with
 * `auto.conf:`: every name, but a value only for the managed settings (the others may be
 * anything the customer set; install needs only where they stand).
 */
export function readSettingsScript(cluster: Preflight['cluster']): string {
  const managed = MANAGED_SETTINGS.map((n) => `'${n}'`).join(', ');
  return (
    `${shq(`${cluster.binDirectory}/psql`)} -X -A -t -F '|' -h ${shq(cluster.socketDirectory)} -p ${cluster.port} -d postgres -c ` +
    shq(`SELECT name, setting FROM pg_settings WHERE name IN (${managed}, 'data_checksums')`) +
    ' -c ' +
    shq(
      `SELECT '${AUTO_CONF_PREFIX}' || name, CASE WHEN name IN (${managed}) THEN setting END FROM pg_file_settings WHERE ${AUTO_CONF_SOURCE} ORDER BY seqno`,
    )
  );
}

/**
 * The cluster as the preflight script saw it, every value checked: the facts come from files
 * the postgres OS user writes, and root later runs `<binDirectory>/pg_ctl` and friends.
 * @throws AppError NO_POSTGRES when the folder holds no running cluster of a known version
 *   whose binaries are in the package folder.
 */
export function checkedCluster(
  dataDirectory: string,
  f: ReadonlyMap<string, string>,
): Preflight['cluster'] {
  if (!isSafeAbsolutePath(dataDirectory)) {
    throw new AppError('NO_POSTGRES', 'The data directory must be a plain absolute path.');
  }
  const raw = f.get('pg_version');
  if (!raw) {
    throw new AppError(
      'NO_POSTGRES',
      `No PostgreSQL data directory at ${dataDirectory} on this server.`,
    );
  }
  const version = pgMajorOrNull(raw);
  if (version === null) {
    throw new AppError(
      'NO_POSTGRES',
      `${dataDirectory}/PG_VERSION holds no PostgreSQL major version number; this is no data directory the agent can protect.`,
    );
  }
  if (f.get('running') !== 'yes') {
    throw new AppError(
      'NO_POSTGRES',
      `The PostgreSQL cluster in ${dataDirectory} is not running; start it before installing the agent.`,
    );
  }
  const packaged = packageBinDirectories(version);
  const binDirectory = f.get('bin') ?? '';
  if (!packaged.includes(binDirectory)) {
    throw new AppError(
      'NO_POSTGRES',
      `PostgreSQL ${version}'s programs are not in ${packaged.join(' or ')}, where the PostgreSQL packages put them; install the server package of version ${version} from your distribution or the PostgreSQL repository.`,
    );
  }
  const owner = f.get('owner') || 'postgres';
  if (!isOsUserName(owner)) {
    throw new AppError('NO_POSTGRES', `${dataDirectory} belongs to no ordinary OS user.`);
  }
  const socket = f.get('socket') || '/var/run/postgresql';
  if (!isSafeAbsolutePath(socket)) {
    throw new AppError(
      'NO_POSTGRES',
      `${dataDirectory}/postmaster.pid names no usable socket folder; restart PostgreSQL and try again.`,
    );
  }
  return {
    version,
    dataDirectory,
    port: portOrNull(f.get('port')) ?? 5432,
    socketDirectory: socket,
    binDirectory,
    osUser: owner,
    running: true,
    dataChecksums: null,
  };
}

/** A preflight whose `nodePath` runs the agent: the server's own or the uploaded runtime. */
export type AgentPreflight = Preflight & { nodePath: string };

/**
 * True when the server's own Node.js is a supported LTS (shared/agent/node-support.ts: 20 or
 * newer, even major; Node.js 18, which Debian 12 ships, is end-of-life since April 2025);
 * otherwise install uploads the pinned runtime and the agent runs on that.
 */
export function hasUsableNode(pre: Preflight): pre is AgentPreflight {
  return Boolean(pre.nodePath) && isSupportedNodeMajor(pre.nodeMajor);
}

/** The archive settings capture needs. */
export function targetSettings(
  layout: RemoteLayout,
  stanza: string,
): Record<ManagedSetting, string> {
  return {
    archive_mode: 'on',
    // Asynchronous push with a spool path (in the config): a synchronous push hangs unseen
    // for minutes when S3 is down; async fails within a minute and PostgreSQL counts it.
    archive_command: `pgbackrest --config=${layout.pgbackrestConfigPath} --stanza=${stanza} archive-push %p`,
    archive_timeout: '60',
    // logical: each recovery point takes its checksums in a temporary logical slot's exported
    // snapshot, the one snapshot tied to an exact WAL position, so drills can restore exactly
    // that state under any write load (agent/snapshot/exported-snapshot.ts). About 6 % more WAL.
    wal_level: 'logical',
  };
}

/** archive_mode and wal_level only change with a restart; the rest with a reload. */
export function restartRequired(
  current: Record<ManagedSetting, string>,
  target: Record<ManagedSetting, string>,
): boolean {
  return current.archive_mode !== target.archive_mode || current.wal_level !== target.wal_level;
}

/** The managed settings whose value differs from the target, with the target value. */
export function changedSettings(
  current: Record<ManagedSetting, string>,
  target: Record<ManagedSetting, string>,
): Partial<Record<ManagedSetting, string>> {
  const changes: Partial<Record<ManagedSetting, string>> = {};
  for (const name of Object.keys(target) as ManagedSetting[]) {
    if (current[name] !== target[name]) changes[name] = target[name];
  }
  return changes;
}
