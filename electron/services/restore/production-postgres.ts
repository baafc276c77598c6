import { LIST_DATABASES_SQL } from '../../../shared/agent/table-checksum-sql';
import { parseControlData, scratchSettings } from '../../../shared/restore/scratch-settings';
import type { RemoteLayout } from '../agent-install/layout';
import {
  postmasterLogLines,
  systemdClusterName,
  systemdClusterTest,
} from '../agent-install/postgres-control';
import { AppError } from '../app-error';
import { shq } from './restore-shell';
import type { ProductionCluster, RestoreSite } from './restore-site';
import { scratchPsql } from './scratch-cluster';
import type { ScratchPaths } from './scratch-paths';

/** The production cluster with everything needed to stop and start it. */
export type ProductionTarget = Required<ProductionCluster>;

/** How production's PostgreSQL runs, read before it is stopped so it is started the same way. */
export interface ProductionControl {
  cluster: ProductionTarget;
  /** A Debian cluster under systemd is stopped and started by pg_ctlcluster, else by pg_ctl. */
  manager: { kind: 'systemd'; version: string; name: string } | { kind: 'pg_ctl' };
  /** The postmaster's options from postmaster.opts: what `pg_ctl restart` would reuse. */
  options: string;
  running: boolean;
  /**
   * The regular file the running postmaster writes its stderr to (or /dev/null): a start after
   * the restore writes there again, as before it (postgres-control.ts postmasterLogLines).
   */
  logFile: string;
  /** pg_control's system identifier: the same after the restore, or it is another cluster. */
  systemIdentifier: string | null;
}

/** The agent's own cluster on the site (its config names the socket folder). */
export function productionTarget(site: RestoreSite): ProductionTarget {
  const cluster = site.production[0];
  if (!cluster?.socketDirectory) {
    throw new AppError('AGENT_NOT_INSTALLED', 'The agent config names no PostgreSQL cluster.');
  }
  return { ...cluster, socketDirectory: cluster.socketDirectory };
}

/**
 * The folders a restore over production uses, in the ScratchPaths shape the recovery watcher
 * and the checks read: `data` is production's own directory; the socket and server log of the
 * private start are in `<state dir>/production-restore`; pgBackRest uses the agent's lock,
 * log and spool paths, as every other pgBackRest run on this server does.
 */
export function productionPaths(layout: RemoteLayout, cluster: ProductionTarget): ScratchPaths {
  const root = `${layout.stateDir}/production-restore`;
  return {
    root,
    data: cluster.dataDirectory,
    socket: `${root}/sock`,
    log: `${root}/postgres.log`,
    lock: layout.lockPath,
    pgbackrestLog: layout.logPath,
    spool: layout.spoolPath,
    files: `${root}/files`,
    resticCache: `${root}/restic-cache`,
  };
}

/** The options part of postmaster.opts (after the program), split the way pg_ctl does. */
export function postmasterOptions(line: string): string {
  const first = line.indexOf(' "');
  return first < 0 ? '' : line.slice(first + 1).trim();
}

/** Parses the `key=value` lines of the read-out script. */
export function parseControl(text: string, cluster: ProductionTarget): ProductionControl {
  const lines = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && !lines.has(line.slice(0, eq))) lines.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const [kind, version, name] = (lines.get('manager') ?? '').trim().split(' ');
  return {
    cluster,
    manager:
      kind === 'systemd' && version && name
        ? { kind: 'systemd', version, name }
        : { kind: 'pg_ctl' },
    options: postmasterOptions(lines.get('opts') ?? ''),
    running: lines.get('running') === 'yes',
    logFile: logFileOf(lines.get('log')),
    systemIdentifier:
      parseControlData(lines.get('control') ?? '').get('Database system identifier') ?? null,
  };
}

/** An absolute path of one line, as the server printed it; anything else: /dev/null. */
function logFileOf(printed: string | undefined): string {
  const value = (printed ?? '').trim();
  return /^\/[^\0\n]*$/.test(value) ? value : '/dev/null';
}

/** Reads how production runs, whether it runs, and its system identifier (changes nothing). */
export async function readProductionControl(
  site: RestoreSite,
  cluster: ProductionTarget,
  signal?: AbortSignal,
): Promise<ProductionControl> {
  const d = cluster.dataDirectory;
  const major = site.pgVersion.split('.')[0] ?? site.pgVersion;
  const out = await site.shell.run(
    'read how PostgreSQL runs',
    [
      `if ${systemdClusterTest(d)}; then`,
      `  ${systemdClusterName(d)}`,
      `  echo "manager=systemd ${major} $name"`,
      'else echo manager=pg_ctl; fi',
      `echo "opts=$(head -1 ${shq(`${d}/postmaster.opts`)} 2>/dev/null)"`,
      ...postmasterLogLines(d, site.osUser),
      'echo "log=$log"',
      `if ${pgBin(site, 'pg_isready')} -q -h ${shq(cluster.socketDirectory)} -p ${cluster.port} -t 5; then echo running=yes; else echo running=no; fi`,
      `echo "control=$(${pgBin(site, 'pg_controldata')} ${shq(d)} | grep 'Database system identifier')"`,
    ].join('\n'),
    { signal },
  );
  const control = parseControl(out.stdout, cluster);
  if (!control.running) {
    throw new AppError(
      'RESTORE_FAILED',
      `PostgreSQL does not accept connections on port ${cluster.port}: no safety snapshot can be taken, so nothing was changed. ` +
        'Start it first, or restore into a scratch database (or onto a new host) instead.',
    );
  }
  // The private start needs them either way (a Debian cluster's config_file is among them).
  if (!control.options) {
    throw new AppError(
      'RESTORE_FAILED',
      `${d}/postmaster.opts is missing: the app could not start PostgreSQL the way it runs now, so nothing was changed.`,
    );
  }
  return control;
}

/**
 * Production's databases as its own catalog lists them (connectable, not templates), or null
 * when it does not answer. Read-only; psql gets the database as a conninfo name.
 */
export async function readLiveDatabases(
  site: RestoreSite,
  signal?: AbortSignal,
): Promise<string[] | null> {
  const cluster = productionTarget(site);
  const sql = `SELECT coalesce(json_agg(d.name), '[]'::json) FROM (${LIST_DATABASES_SQL}) d`;
  const out = await site.shell.run(
    'list the production databases',
    `${scratchPsql(site, { socket: cluster.socketDirectory }, cluster.port, 'postgres')} -c ${shq(sql)} 2>/dev/null || true`,
    { asUser: site.osUser, signal },
  );
  try {
    const names: unknown = JSON.parse(out.stdout.trim());
    return Array.isArray(names) && names.every((n) => typeof n === 'string') ? names : null;
  } catch {
    return null;
  }
}

function pgBin(site: RestoreSite, tool: string): string {
  return shq(`${site.binDirectory}/${tool}`);
}

/** `pg_ctl stop` (fast) as the cluster's OS user; fails when the postmaster is still there. */
async function pgCtlStop(site: RestoreSite, data: string, step: string): Promise<void> {
  const pid = shq(`${data}/postmaster.pid`);
  await site.shell.run(
    step,
    [
      // pg_ctl fails on a cluster that is already down (systemd stopped it): the check decides.
      `if [ -f ${pid} ]; then ${pgBin(site, 'pg_ctl')} -D ${shq(data)} -m fast -w -t 120 stop >/dev/null 2>&1 || true; fi`,
      `if [ -f ${pid} ] && kill -0 "$(head -1 ${pid})" 2>/dev/null; then echo "the postmaster did not stop" >&2; exit 1; fi`,
    ].join('\n'),
    { asUser: site.osUser },
  );
}

/**
 * Stops production the way it is managed (pg_ctlcluster through systemd, else pg_ctl, fast
 * shutdown: sessions are disconnected). Runs without the job's signal: a stop is not cut short.
 */
export async function stopProduction(site: RestoreSite, control: ProductionControl): Promise<void> {
  if (control.manager.kind === 'systemd') {
    const { version, name } = control.manager;
    await site.shell.run('stop PostgreSQL', `pg_ctlcluster ${shq(version)} ${shq(name)} stop`);
  }
  // Under systemd this only confirms the postmaster is gone.
  await pgCtlStop(site, control.cluster.dataDirectory, 'stop PostgreSQL');
}

/** A fresh folder for the private start's socket and log (the last run's log is replaced). */
export async function prepareWorkFolder(site: RestoreSite, paths: ScratchPaths): Promise<void> {
  const root = shq(paths.root);
  await site.shell.run(
    'prepare the restore folder',
    [
      `rm -rf ${root}`,
      `mkdir -m 700 ${root} ${shq(paths.socket)}`,
      `chown -R ${shq(site.osUser)}: ${root}`,
    ].join('\n'),
  );
}

// The log settings of a scratch cluster: one file, in English and UTC, with replay progress and
// hot standby, because the same watcher and log reader (readRecoveryLog) follow this recovery.
const RECOVERY_LOG_SETTINGS = [
  'logging_collector',
  'log_destination',
  'lc_messages',
  'log_timezone',
  'log_min_messages',
  'log_startup_progress_interval',
  'hot_standby',
] as const;

/**
 * The private start's settings: only the job can connect (no TCP, a socket in the job's
 * folder) and the log is the scratch clusters'. archive_mode stays as configured: production
 * archives its new timeline (unlike a scratch cluster, DESIGN.md §7).
 */
export function privateSettings(paths: ScratchPaths, port: number): string {
  if (!/^[A-Za-z0-9_./-]+$/.test(paths.socket)) {
    throw new AppError('RESTORE_FAILED', `Unusable socket folder ${paths.socket}.`);
  }
  const scratch = scratchSettings({
    port,
    socketDirectory: paths.socket,
    clusterName: 'kumiko-production-restore',
    hbaFile: '',
    controlData: new Map(),
  });
  const settings: Record<string, string> = {
    listen_addresses: '',
    unix_socket_directories: paths.socket,
  };
  for (const name of RECOVERY_LOG_SETTINGS) settings[name] = scratch[name] ?? '';
  return Object.entries(settings)
    .map(([name, value]) => `"-c" "${name}=${value}"`)
    .join(' ');
}

/**
 * Starts the restored production cluster privately, without waiting: recovery is watched with
 * progress (waitForPromotion). pg_ctl puts the options through a shell, as `pg_ctl restart`
 * does with the same postmaster.opts text.
 */
export async function startPrivately(
  site: RestoreSite,
  control: ProductionControl,
  paths: ScratchPaths,
): Promise<void> {
  const options = `${control.options} ${privateSettings(paths, control.cluster.port)}`;
  await site.shell.run(
    'start PostgreSQL for recovery',
    `${pgBin(site, 'pg_ctl')} -D ${shq(paths.data)} -l ${shq(paths.log)} -o ${shq(options)} -W start </dev/null >/dev/null`,
    { asUser: site.osUser },
  );
}

/** Stops the private start (after verification, or when it failed). */
export function stopPrivately(site: RestoreSite, paths: ScratchPaths): Promise<void> {
  return pgCtlStop(site, paths.data, 'stop the recovery start');
}

/**
 * Starts production as it ran before (systemd's unit, or pg_ctl with the postmaster's original
 * options and the log file it wrote to) and waits until it accepts
 * connections on its own port and socket.
 */
export async function startAsBefore(site: RestoreSite, control: ProductionControl): Promise<void> {
  const { cluster, manager } = control;
  const start =
    manager.kind === 'systemd'
      ? [`pg_ctlcluster ${shq(manager.version)} ${shq(manager.name)} start`]
      : [
          // -l: without a log file the postmaster would hold this SSH channel open; the one it
          // wrote to before the restore, so the customer's log stays where it was.
          `runuser -u ${shq(site.osUser)} -- ${pgBin(site, 'pg_ctl')} -D ${shq(cluster.dataDirectory)} -l ${shq(control.logFile)} ` +
            `-o ${shq(control.options)} -w -t 120 start </dev/null >/dev/null`,
        ];
  await site.shell.run(
    'start PostgreSQL',
    [
      ...start,
      `runuser -u ${shq(site.osUser)} -- ${pgBin(site, 'pg_isready')} -q -h ${shq(cluster.socketDirectory)} -p ${cluster.port} -t 60`,
    ].join('\n'),
  );
}
