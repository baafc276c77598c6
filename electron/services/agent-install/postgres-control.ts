import { AUTO_CONF_SOURCE, type ManagedSetting, type Preflight } from './preflight';
import { shq, type RemoteShell } from './remote-shell';

/** ALTER SYSTEM for each setting, in one psql session, as the cluster's OS user. */
export async function alterSystem(
  shell: RemoteShell,
  pre: Preflight,
  settings: Partial<Record<ManagedSetting, string>>,
  signal?: AbortSignal,
): Promise<void> {
  await shell.run('change PostgreSQL settings', alterSystemScript(pre, settings), {
    asUser: pre.cluster.osUser,
    signal,
  });
}

/** The script of {@link alterSystem}: one ALTER SYSTEM per setting, values quoted for SQL. */
export function alterSystemScript(
  pre: Preflight,
  settings: Partial<Record<ManagedSetting, string>>,
): string {
  const sql = Object.entries(settings)
    .map(([name, value]) => `ALTER SYSTEM SET ${name} = '${String(value).replace(/'/g, "''")}';`)
    .join('\n');
  return psql(pre, sql);
}

/** {@link restoreSystemScript}, run as the cluster's OS user. */
export async function restoreSystem(
  shell: RemoteShell,
  pre: Preflight,
  settings: readonly { name: ManagedSetting; value: string | null }[],
  signal?: AbortSignal,
): Promise<void> {
  if (settings.length === 0) return;
  await shell.run('restore PostgreSQL settings', restoreSystemScript(pre, settings), {
    asUser: pre.cluster.osUser,
    signal,
  });
}

/**
 * ALTER SYSTEM SET for each setting with a value, ALTER SYSTEM RESET for each without (so
 * postgresql.auto.conf loses the line install added), in one psql session.
 */
export function restoreSystemScript(
  pre: Preflight,
  settings: readonly { name: ManagedSetting; value: string | null }[],
): string {
  const sql = settings
    .map(({ name, value }) =>
      value === null
        ? `ALTER SYSTEM RESET ${name};`
        : `ALTER SYSTEM SET ${name} = '${value.replace(/'/g, "''")}';`,
    )
    .join('\n');
  return psql(pre, sql);
}

/**
 * ALTER SYSTEM SET for lines of postgresql.auto.conf with the values they have (any setting,
 * not only the managed ones): changes nothing but where the lines stand in the file.
 */
export function alterSystemLinesScript(
  pre: Preflight,
  lines: readonly { name: string; value: string }[],
): string {
  const sql = lines
    .map(
      ({ name, value }) => `ALTER SYSTEM SET ${quoteIdent(name)} = '${value.replace(/'/g, "''")}';`,
    )
    .join('\n');
  return psql(pre, sql);
}

/** The lines of postgresql.auto.conf as `name|value`, in file order (pg_file_settings). */
export function autoConfLinesScript(pre: Preflight): string {
  return `${shq(`${pre.cluster.binDirectory}/psql`)} -X -A -t -F '|' -h ${shq(pre.cluster.socketDirectory)} -p ${pre.cluster.port} -d postgres -c ${shq(
    `SELECT name, setting FROM pg_file_settings WHERE ${AUTO_CONF_SOURCE} ORDER BY seqno`,
  )}`;
}

/**
 * A setting name as SQL: the file's names come from the server, so anything but a plain
 * (possibly dotted) lower-case name is double-quoted, quotes doubled.
 */
function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(name)
    ? name
    : `"${name.replace(/"/g, '""')}"`;
}

/** The script of {@link reload}, run as the cluster's OS user. */
export function reloadScript(pre: Preflight): string {
  return psql(pre, 'SELECT pg_reload_conf();');
}

/** A psql invocation over the cluster's socket that reads SQL from a heredoc. */
export function psql(pre: Preflight, sql: string): string {
  return [
    `psql -X -q -v ON_ERROR_STOP=1 -h ${shq(pre.cluster.socketDirectory)} -p ${pre.cluster.port} -d postgres <<'KUMIKO_SQL'`,
    sql,
    'KUMIKO_SQL',
  ].join('\n');
}

export async function reload(
  shell: RemoteShell,
  pre: Preflight,
  signal?: AbortSignal,
): Promise<void> {
  await shell.run('reload PostgreSQL', reloadScript(pre), {
    asUser: pre.cluster.osUser,
    signal,
  });
}

/**
 * A shell condition that holds when the cluster in `dataDirectory` is a Debian cluster under
 * systemd: such a cluster is stopped and started with `pg_ctlcluster` (through systemd),
 * never with pg_ctl behind systemd's back.
 */
export function systemdClusterTest(dataDirectory: string): string {
  const d = shq(dataDirectory);
  return `[ -d /run/systemd/system ] && command -v pg_lsclusters >/dev/null 2>&1 && pg_lsclusters -h | awk '{print $6}' | grep -qx ${d}`;
}

/** Sets `name` to the Debian cluster name of the cluster in `dataDirectory` (after the test). */
export function systemdClusterName(dataDirectory: string): string {
  return `name=$(pg_lsclusters -h | awk -v d=${shq(dataDirectory)} '$6==d {print $2}')`;
}

/**
 * Restarts the cluster the way it is managed: `pg_ctlcluster` for a Debian cluster under
 * systemd, otherwise `pg_ctl restart` (which reuses the postmaster's original options).
 * PostgreSQL's output stays where the customer had it: pg_ctl needs a log file (without one the
 * new postmaster would hold this SSH channel open forever), so it gets the file the running
 * postmaster writes its stderr to ({@link postmasterLogLines}); with logging_collector on, the
 * server log is PostgreSQL's own either way.
 * Only called after the admin said yes to a restart.
 */
export async function restart(
  shell: RemoteShell,
  pre: Preflight,
  signal?: AbortSignal,
): Promise<void> {
  await shell.run('restart PostgreSQL', restartScript(pre), { signal });
}

/** The script of {@link restart} (root: pg_ctlcluster goes through systemd). */
export function restartScript(pre: Preflight): string {
  const d = shq(pre.cluster.dataDirectory);
  return [
    `if ${systemdClusterTest(pre.cluster.dataDirectory)}; then`,
    `  ${systemdClusterName(pre.cluster.dataDirectory)}`,
    `  pg_ctlcluster ${shq(pre.cluster.version)} "$name" restart`,
    'else',
    ...postmasterLogLines(pre.cluster.dataDirectory, pre.cluster.osUser).map((line) => `  ${line}`),
    `  runuser -u ${shq(pre.cluster.osUser)} -- ${shq(`${pre.cluster.binDirectory}/pg_ctl`)} -D ${d} -m fast -w -t 120 -l "$log" restart </dev/null >/dev/null`,
    'fi',
    `runuser -u ${shq(pre.cluster.osUser)} -- ${shq(`${pre.cluster.binDirectory}/pg_isready`)} -q -h ${shq(pre.cluster.socketDirectory)} -p ${pre.cluster.port} -t 60`,
  ].join('\n');
}

/**
 * Shell lines that set `log` to the regular file the cluster's postmaster writes its stderr to.
 * When that is no file (a pipe to a supervisor or journald, a terminal): PostgreSQL's own log
 * folder in its data directory (`log/`, where logging_collector writes by default), made by the
 * cluster's OS user; never a folder of ours, which uninstall deletes. The pid comes from
 * postmaster.pid (digits only, else ignored); the path is only read and handed to pg_ctl, which
 * opens it as the cluster's OS user, never as root.
 */
export function postmasterLogLines(dataDirectory: string, osUser: string): string[] {
  const own = `${dataDirectory}/log`;
  return [
    `log=${shq(`${own}/postgresql-restart.log`)}`,
    `pid=$(head -n 1 ${shq(`${dataDirectory}/postmaster.pid`)} 2>/dev/null || true)`,
    'case "$pid" in (""|*[!0-9]*) pid= ;; esac',
    'target=',
    'if [ -n "$pid" ]; then target=$(readlink "/proc/$pid/fd/2" 2>/dev/null || true); fi',
    'case "$target" in',
    '  (/dev/null) log=/dev/null ;;',
    '  (/*) if [ -f "$target" ]; then log=$target; fi ;;',
    'esac',
    `if [ "$log" = ${shq(`${own}/postgresql-restart.log`)} ]; then runuser -u ${shq(osUser)} -- mkdir -p ${shq(own)}; fi`,
  ];
}
